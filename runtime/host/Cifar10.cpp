//===- Cifar10.cpp - CIFAR-10 binary-format reader ------------------------===//

#include "runtime/host/Cifar10.h"

#include "runtime/host/DataFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"

#include <optional>

using namespace llvm;
using namespace intc::host;

static const StringRef kXzSuffix[] = {".xz"};

ArrayRef<StringRef> intc::host::cifar10Files(Split split) {
  static const StringRef train[] = {"data_batch_1.bin", "data_batch_2.bin",
                                    "data_batch_3.bin", "data_batch_4.bin",
                                    "data_batch_5.bin"};
  static const StringRef test[] = {"test_batch.bin"};
  if (split == Split::Train)
    return train;
  return test;
}

Expected<ImageSet> intc::host::parseCifar10Batch(const DataFile &file) {
  size_t size = file.bytes.size();
  if (size == 0 || size % kCifar10RecordBytes != 0)
    return createFileError(
        file.path, createStringError(
                       std::errc::illegal_byte_sequence,
                       "size %zu%s is not a positive multiple of the "
                       "%u-byte CIFAR-10 record (%zu whole records and %zu "
                       "extra bytes)",
                       size, file.sizeNote().c_str(), kCifar10RecordBytes,
                       size / kCifar10RecordBytes, size % kCifar10RecordBytes));
  size_t n = size / kCifar10RecordBytes;
  if (n > UINT32_MAX)
    return createFileError(file.path,
                           createStringError(std::errc::file_too_large,
                                             "too many records: %zu", n));
  ImageSet set;
  set.n = uint32_t(n);
  set.c = 3;
  set.h = 32;
  set.w = 32;
  set.labels.resize(n);
  set.pixels.resize(n * kCifar10ImageBytes);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t *record = file.bytes.data() + i * kCifar10RecordBytes;
    if (record[0] >= kCifar10Classes)
      return createFileError(
          file.path,
          createStringError(std::errc::illegal_byte_sequence,
                            "label %u of record %zu (at byte "
                            "offset %zu%s) is out of range: "
                            "expected 0..%u",
                            unsigned(record[0]), i, i * kCifar10RecordBytes,
                            file.sizeNote().c_str(), kCifar10Classes - 1));
    set.labels[i] = record[0];
    std::copy(record + 1, record + kCifar10RecordBytes,
              set.pixels.begin() + i * kCifar10ImageBytes);
  }
  return std::move(set);
}

Expected<ImageSet> intc::host::readCifar10Batch(StringRef path) {
  Expected<DataFile> file = readDataFile(path, kXzSuffix);
  if (!file)
    return file.takeError();
  return parseCifar10Batch(*file);
}

Expected<ImageSet> intc::host::loadCifar10(StringRef dir, Split split) {
  ArrayRef<StringRef> names = cifar10Files(split);
  std::vector<std::string> paths;
  for (StringRef name : names) {
    SmallString<256> path(dir);
    sys::path::append(path, name);
    paths.push_back(std::string(path));
  }
  // Report a missing file before spending seconds decompressing the others.
  for (const std::string &path : paths)
    if (Expected<std::string> found = findDataFile(path, kXzSuffix); !found)
      return found.takeError();

  // Decompress the files concurrently; each task only writes its own slot.
  std::vector<std::optional<Expected<ImageSet>>> batches(paths.size());
  {
    DefaultThreadPool pool(hardware_concurrency());
    for (size_t i = 0; i < paths.size(); ++i)
      pool.async([&, i] { batches[i].emplace(readCifar10Batch(paths[i])); });
    pool.wait();
  }

  // Keep the first error in file order so the message is deterministic; the
  // later ones are dropped (they would only repeat the problem).
  Error firstError = Error::success();
  for (std::optional<Expected<ImageSet>> &batch : batches)
    if (!*batch) {
      if (firstError)
        consumeError(batch->takeError());
      else
        firstError = batch->takeError();
    }
  if (firstError)
    return std::move(firstError);

  ImageSet set;
  set.c = 3;
  set.h = 32;
  set.w = 32;
  uint64_t total = 0;
  for (std::optional<Expected<ImageSet>> &batch : batches)
    total += (*batch)->n;
  if (total > UINT32_MAX)
    return createStringError(std::errc::file_too_large,
                             "%s: too many CIFAR-10 images: %llu",
                             dir.str().c_str(), (unsigned long long)total);
  set.n = uint32_t(total);
  set.pixels.reserve(total * kCifar10ImageBytes);
  set.labels.reserve(total);
  for (std::optional<Expected<ImageSet>> &batch : batches) {
    ImageSet &part = **batch;
    set.pixels.insert(set.pixels.end(), part.pixels.begin(), part.pixels.end());
    set.labels.insert(set.labels.end(), part.labels.begin(), part.labels.end());
    // Free each part once copied to keep the peak near one copy.
    part = ImageSet();
  }
  return std::move(set);
}
