//===- Npz.cpp - NumPy .npz archives of integer arrays --------------------===//

#include "runtime/host/Npz.h"

#include "runtime/host/Npy.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"

#include <zip.h>

using namespace llvm;
using namespace intc::host;

static Error npzError(StringRef path, const Twine &msg) {
  return createFileError(
      path, createStringError(
                std::make_error_code(std::errc::illegal_byte_sequence), msg));
}

/// libzip's text for \p error, which it owns until zip_error_fini.
static std::string zipMessage(zip_error_t *error) {
  return zip_error_strerror(error);
}

void NpzArchive::ZipCloser::operator()(zip_t *archive) const {
  // Read-only: discard, never write anything back.
  zip_discard(archive);
}

NpzArchive::~NpzArchive() = default;

Expected<NpzArchive> NpzArchive::open(StringRef path, uint64_t maxBytes) {
  Expected<std::unique_ptr<MemoryBuffer>> buffer =
      readRegularFile(path, maxBytes);
  if (!buffer)
    return buffer.takeError();
  return openBuffer(std::move(*buffer), path, maxBytes);
}

Expected<NpzArchive>
NpzArchive::openBuffer(std::unique_ptr<MemoryBuffer> buffer, StringRef path,
                       uint64_t maxBytes) {
  NpzArchive npz;
  npz.filePath = path.str();
  npz.buffer = std::move(buffer);
  npz.budget = maxBytes;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t *source = zip_source_buffer_create(
      npz.buffer->getBufferStart(), npz.buffer->getBufferSize(), 0, &error);
  if (!source) {
    std::string msg = zipMessage(&error);
    zip_error_fini(&error);
    return npzError(path, "cannot read the zip archive: " + msg);
  }
  zip_t *archive =
      zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!archive) {
    zip_source_free(source);
    std::string msg = zipMessage(&error);
    zip_error_fini(&error);
    return npzError(path, "not a valid .npz (zip) archive: " + msg);
  }
  zip_error_fini(&error);
  npz.archive.reset(archive);

  zip_int64_t entries = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < entries; ++i) {
    const char *name = zip_get_name(archive, zip_uint64_t(i), 0);
    if (!name)
      return npzError(path, "cannot read the name of zip entry " + Twine(i) +
                                ": " + zip_strerror(archive));
    StringRef key(name);
    if (key.ends_with("/"))
      continue; // A directory entry.
    key.consume_back(".npy");
    if (npz.contains(key))
      continue; // NumPy's own loader also keeps the first.
    npz.names.push_back(key.str());
    npz.indices.push_back(zip_uint64_t(i));
  }
  return std::move(npz);
}

bool NpzArchive::contains(StringRef key) const {
  return llvm::is_contained(names, key);
}

std::string NpzArchive::describe(StringRef key) const {
  return ("'" + filePath + "' " + key).str();
}

Expected<std::vector<uint8_t>> NpzArchive::readMember(StringRef key) {
  auto it = llvm::find(names, key);
  if (it == names.end())
    return npzError(
        filePath,
        "has no array '" + key + "' (it has: " +
            (names.empty() ? std::string("none") : join(names, ", ")) + ")");
  zip_uint64_t index = indices[it - names.begin()];

  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive.get(), index, 0, &stat) != 0)
    return npzError(filePath, "array '" + key +
                                  "': cannot read its zip entry: " +
                                  zip_strerror(archive.get()));
  if (!(stat.valid & ZIP_STAT_SIZE))
    return npzError(filePath, "array '" + key + "': its zip entry has no size");
  // The size field may lie: it bounds the reads below, and a stream that
  // ends early or goes on longer is an error.
  if (stat.size > budget)
    return npzError(filePath, "array '" + key + "' is " + Twine(stat.size) +
                                  " bytes uncompressed, over the limit of " +
                                  Twine(budget) +
                                  " bytes left for this archive");

  zip_file_t *file = zip_fopen_index(archive.get(), index, 0);
  if (!file)
    return npzError(filePath, "array '" + key + "': cannot open it: " +
                                  zip_strerror(archive.get()));
  std::vector<uint8_t> bytes(stat.size);
  uint64_t got = 0;
  std::string failure;
  while (got < bytes.size()) {
    zip_int64_t n = zip_fread(file, bytes.data() + got, bytes.size() - got);
    if (n <= 0) {
      if (n < 0)
        failure = zip_error_strerror(zip_file_get_error(file));
      break;
    }
    got += uint64_t(n);
  }
  // Read past the end, so that libzip reaches the end of the stream, where
  // it checks the CRC, and so that extra data is noticed.
  uint8_t probe;
  zip_int64_t extra =
      failure.empty() && got == bytes.size() ? zip_fread(file, &probe, 1) : 0;
  if (extra < 0)
    failure = zip_error_strerror(zip_file_get_error(file));
  zip_fclose(file);
  if (!failure.empty())
    return npzError(filePath, "array '" + key + "' is corrupt: " + failure);
  if (got != stat.size || extra > 0)
    return npzError(
        filePath,
        "array '" + key + "' is corrupt: " + (extra > 0 ? "more" : "fewer") +
            " bytes than the " + Twine(stat.size) + " its zip entry announces");
  bytes.resize(got);
  budget -= got;
  return std::move(bytes);
}

Expected<IntArray> NpzArchive::readArray(StringRef key) {
  Expected<std::vector<uint8_t>> bytes = readMember(key);
  if (!bytes)
    return bytes.takeError();
  return readNpy(*bytes, describe(key));
}

Expected<std::vector<std::string>> NpzArchive::readStrings(StringRef key) {
  Expected<std::vector<uint8_t>> bytes = readMember(key);
  if (!bytes)
    return bytes.takeError();
  return readNpyStrings(*bytes, describe(key));
}

Expected<std::map<std::string, IntArray>> intc::host::readNpz(StringRef path) {
  Expected<NpzArchive> npz = NpzArchive::open(path);
  if (!npz)
    return npz.takeError();
  std::map<std::string, IntArray> arrays;
  for (const std::string &key : npz->keys()) {
    Expected<IntArray> array = npz->readArray(key);
    if (!array)
      return array.takeError();
    arrays.emplace(key, std::move(*array));
  }
  return std::move(arrays);
}
