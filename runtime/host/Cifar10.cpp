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

/// The number of records in \p file, or why it is not a CIFAR-10 batch.
static Expected<size_t> countRecords(const DataFile &file) {
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
  return n;
}

/// Splits the records of \p file (countRecords of them) into \p set's
/// images and labels from image \p first on, checking every label.
static Error copyRecords(const DataFile &file, ImageSet &set, size_t first) {
  const size_t n = file.bytes.size() / kCifar10RecordBytes;
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
    set.labels[first + i] = record[0];
    std::copy(record + 1, record + kCifar10RecordBytes,
              set.pixels.begin() + (first + i) * kCifar10ImageBytes);
  }
  return Error::success();
}

/// An empty set of \p n CIFAR-10 images, its pixels advised huge pages.
static ImageSet allocateSet(size_t n) {
  ImageSet set;
  set.n = uint32_t(n);
  set.c = 3;
  set.h = 32;
  set.w = 32;
  set.labels.resize(n);
  reserveLarge(set.pixels, n * kCifar10ImageBytes);
  set.pixels.resize(n * kCifar10ImageBytes);
  return set;
}

Expected<ImageSet> intc::host::parseCifar10Batch(const DataFile &file) {
  Expected<size_t> n = countRecords(file);
  if (!n)
    return n.takeError();
  ImageSet set = allocateSet(*n);
  if (Error err = copyRecords(file, set, 0))
    return std::move(err);
  return std::move(set);
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

  // Decompress the files concurrently, then split their records straight
  // into one set (no per-file sets to concatenate: on a warm start, with
  // the files decompressed in the cache, the copies and their fresh pages
  // were most of the loading). Each task only writes its own slot or slice.
  std::vector<std::optional<Expected<DataFile>>> files(paths.size());
  DefaultThreadPool pool(hardware_concurrency());
  for (size_t i = 0; i < paths.size(); ++i)
    pool.async([&, i] { files[i].emplace(readDataFile(paths[i], kXzSuffix)); });
  pool.wait();

  // Keep the first error in file order so the message is deterministic; the
  // later ones are dropped (they would only repeat the problem).
  auto firstOf = [](auto &results) {
    Error first = Error::success();
    for (auto &result : results)
      if (!*result) {
        if (first)
          consumeError(result->takeError());
        else
          first = result->takeError();
      }
    return first;
  };
  if (Error err = firstOf(files))
    return std::move(err);
  std::vector<std::optional<Expected<size_t>>> counts(files.size());
  for (size_t i = 0; i < files.size(); ++i)
    counts[i].emplace(countRecords(**files[i]));
  if (Error err = firstOf(counts))
    return std::move(err);

  uint64_t total = 0;
  std::vector<size_t> firsts;
  for (std::optional<Expected<size_t>> &count : counts) {
    firsts.push_back(size_t(total));
    total += **count;
  }
  if (total > UINT32_MAX)
    return createStringError(std::errc::file_too_large,
                             "%s: too many CIFAR-10 images: %llu",
                             dir.str().c_str(), (unsigned long long)total);
  ImageSet set = allocateSet(size_t(total));
  std::vector<std::optional<Expected<bool>>> copied(files.size());
  for (size_t i = 0; i < files.size(); ++i)
    pool.async([&, i] {
      DataFile &file = **files[i];
      Error err = copyRecords(file, set, firsts[i]);
      // Free each file once copied to keep the peak near one copy.
      file = DataFile();
      if (err)
        copied[i].emplace(std::move(err));
      else
        copied[i].emplace(true);
    });
  pool.wait();
  if (Error err = firstOf(copied))
    return std::move(err);
  return std::move(set);
}
