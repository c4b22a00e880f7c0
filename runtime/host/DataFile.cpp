//===- DataFile.cpp - Read a data file, decompressing gzip / xz -----------===//

#include "runtime/host/DataFile.h"
#include "runtime/host/ImageSet.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <climits>
#include <lzma.h>
#include <zlib.h>

using namespace llvm;
using namespace intc::host;

static const uint8_t kGzipMagic[] = {0x1f, 0x8b};
static const uint8_t kXzMagic[] = {0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00};

static bool startsWith(ArrayRef<uint8_t> bytes, ArrayRef<uint8_t> prefix) {
  return bytes.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), bytes.begin());
}

StringRef intc::host::compressionName(Compression compression) {
  switch (compression) {
  case Compression::None:
    return "none";
  case Compression::Gzip:
    return "gzip";
  case Compression::Xz:
    return "xz";
  }
  llvm_unreachable("unknown compression");
}

Compression intc::host::detectCompression(ArrayRef<uint8_t> bytes) {
  if (startsWith(bytes, kGzipMagic))
    return Compression::Gzip;
  if (startsWith(bytes, kXzMagic))
    return Compression::Xz;
  return Compression::None;
}

std::string DataFile::sizeNote() const {
  switch (compression) {
  case Compression::None:
    return "";
  case Compression::Gzip:
    return " (after gunzip)";
  case Compression::Xz:
    return " (after xz decompression)";
  }
  llvm_unreachable("unknown compression");
}

//===----------------------------------------------------------------------===//
// Locating files
//===----------------------------------------------------------------------===//

bool intc::host::dataFileExists(StringRef path, ArrayRef<StringRef> suffixes) {
  if (sys::fs::exists(path))
    return true;
  return llvm::any_of(suffixes, [&](StringRef suffix) {
    return sys::fs::exists(path + suffix);
  });
}

Expected<std::string> intc::host::findDataFile(StringRef path,
                                               ArrayRef<StringRef> suffixes) {
  if (sys::fs::exists(path))
    return path.str();
  for (StringRef suffix : suffixes) {
    std::string candidate = (path + suffix).str();
    if (sys::fs::exists(candidate))
      return candidate;
  }
  std::string msg = "no such file";
  if (!suffixes.empty()) {
    msg += " (also tried ";
    for (size_t i = 0; i < suffixes.size(); ++i)
      msg += (i ? ", '" : "'") + (path + suffixes[i]).str() + "'";
    msg += ")";
  }
  return createFileError(path,
                         createStringError(std::errc::no_such_file_or_directory,
                                           "%s", msg.c_str()));
}

//===----------------------------------------------------------------------===//
// Decompression
//===----------------------------------------------------------------------===//

/// Grows \p out so that at least one more byte fits, never beyond
/// maxBytes + 1: the extra byte is how we notice that a stream is larger than
/// the limit without decompressing all of it.
static Error growOutput(std::vector<uint8_t> &out, uint64_t maxBytes) {
  uint64_t cap = maxBytes + 1;
  if (out.size() >= cap)
    return createStringError(std::errc::file_too_large,
                             "decompressed data exceeds the limit of %llu "
                             "bytes",
                             (unsigned long long)maxBytes);
  uint64_t next = std::max<uint64_t>(out.size() + out.size() / 2, 1 << 16);
  out.resize(std::min(next, cap));
  return Error::success();
}

static Error checkLimit(size_t produced, uint64_t maxBytes) {
  if (produced > maxBytes)
    return createStringError(std::errc::file_too_large,
                             "decompressed data exceeds the limit of %llu "
                             "bytes",
                             (unsigned long long)maxBytes);
  return Error::success();
}

Expected<std::vector<uint8_t>> intc::host::gunzip(ArrayRef<uint8_t> input,
                                                  uint64_t maxBytes) {
  z_stream zs = {};
  // 16 + MAX_WBITS: expect a gzip header and trailer, not raw zlib.
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
    return createStringError(std::errc::not_enough_memory,
                             "cannot initialise zlib");
  scope_exit cleanup([&] { inflateEnd(&zs); });

  std::vector<uint8_t> out;
  // The gzip trailer holds the uncompressed size modulo 2^32; for a single
  // member that is the exact size, so usually no reallocation is needed. A
  // corrupt trailer must not make us allocate a gigabyte for a tiny file, so
  // the guess is also bounded by a generous compression ratio.
  if (input.size() >= 18) {
    const uint8_t *t = input.end() - 4;
    uint64_t isize = uint64_t(t[0]) | uint64_t(t[1]) << 8 |
                     uint64_t(t[2]) << 16 | uint64_t(t[3]) << 24;
    uint64_t bound = std::min<uint64_t>(uint64_t(input.size()) * 64, maxBytes);
    reserveLarge(out, std::min(isize, bound) + 1);
    out.resize(std::min(isize, bound) + 1);
  }

  size_t consumed = 0, produced = 0;
  while (true) {
    if (produced == out.size())
      if (Error err = growOutput(out, maxBytes))
        return std::move(err);
    zs.next_in = const_cast<Bytef *>(input.data() + consumed);
    zs.avail_in = uInt(std::min<size_t>(input.size() - consumed, UINT_MAX));
    zs.next_out = out.data() + produced;
    zs.avail_out = uInt(std::min<size_t>(out.size() - produced, UINT_MAX));
    int rc = inflate(&zs, Z_NO_FLUSH);
    consumed = zs.next_in - input.data();
    produced = zs.next_out - out.data();
    if (Error err = checkLimit(produced, maxBytes))
      return std::move(err);

    if (rc == Z_STREAM_END) {
      if (consumed == input.size())
        break;
      // Concatenated gzip members form one valid gzip file.
      if (startsWith(input.drop_front(consumed), kGzipMagic)) {
        inflateReset(&zs);
        continue;
      }
      return createStringError(
          std::errc::illegal_byte_sequence,
          "corrupt gzip data: %zu bytes of garbage after the end of the "
          "compressed stream",
          input.size() - consumed);
    }
    if (rc == Z_OK)
      continue;
    if (rc == Z_BUF_ERROR) {
      if (zs.avail_out == 0)
        continue; // Output full; grow and retry.
      // No progress with room to write: the input ended mid-stream.
      return createStringError(std::errc::illegal_byte_sequence,
                               "truncated gzip data: the stream ends without "
                               "its end marker after %zu compressed bytes",
                               input.size());
    }
    if (rc == Z_MEM_ERROR)
      return createStringError(std::errc::not_enough_memory,
                               "out of memory while decompressing gzip data");
    return createStringError(std::errc::illegal_byte_sequence,
                             "corrupt gzip data: %s",
                             zs.msg ? zs.msg : "invalid stream");
  }
  out.resize(produced);
  return std::move(out);
}

Expected<std::vector<uint8_t>> intc::host::unxz(ArrayRef<uint8_t> input,
                                                uint64_t maxBytes) {
  lzma_stream strm = LZMA_STREAM_INIT;
  // LZMA_CONCATENATED: like xz(1), accept several streams back to back.
  if (lzma_stream_decoder(&strm, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
    return createStringError(std::errc::not_enough_memory,
                             "cannot initialise the xz decoder");
  scope_exit cleanup([&] { lzma_end(&strm); });

  std::vector<uint8_t> out;
  // Dataset images compress poorly; twice the input is a good first guess.
  reserveLarge(out,
               std::min<uint64_t>(uint64_t(input.size()) * 2, maxBytes) + 1);
  out.resize(std::min<uint64_t>(uint64_t(input.size()) * 2, maxBytes) + 1);
  strm.next_in = input.data();
  strm.avail_in = input.size();
  size_t produced = 0;
  while (true) {
    if (produced == out.size())
      if (Error err = growOutput(out, maxBytes))
        return std::move(err);
    strm.next_out = out.data() + produced;
    strm.avail_out = out.size() - produced;
    // All input is already available, so every call may finish the stream.
    lzma_ret rc = lzma_code(&strm, LZMA_FINISH);
    produced = strm.next_out - out.data();
    if (Error err = checkLimit(produced, maxBytes))
      return std::move(err);
    switch (rc) {
    case LZMA_OK:
      continue;
    case LZMA_STREAM_END:
      out.resize(produced);
      return std::move(out);
    case LZMA_BUF_ERROR:
      if (strm.avail_out == 0)
        continue;
      return createStringError(std::errc::illegal_byte_sequence,
                               "truncated xz data: the stream ends early "
                               "after %zu compressed bytes (or a few bytes "
                               "that are not an xz stream follow it)",
                               input.size());
    case LZMA_MEM_ERROR:
    case LZMA_MEMLIMIT_ERROR:
      return createStringError(std::errc::not_enough_memory,
                               "out of memory while decompressing xz data");
    case LZMA_FORMAT_ERROR:
      return createStringError(std::errc::illegal_byte_sequence,
                               "corrupt xz data: bad stream header or "
                               "garbage after the stream");
    case LZMA_OPTIONS_ERROR:
      return createStringError(std::errc::not_supported,
                               "unsupported xz options in the stream header");
    case LZMA_DATA_ERROR:
      return createStringError(std::errc::illegal_byte_sequence,
                               "corrupt xz data (at compressed byte %llu)",
                               (unsigned long long)strm.total_in);
    default:
      return createStringError(std::errc::illegal_byte_sequence,
                               "corrupt xz data (liblzma error %d)", int(rc));
    }
  }
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

static Expected<std::vector<uint8_t>>
decompress(ArrayRef<uint8_t> raw, Compression compression, uint64_t maxBytes) {
  switch (compression) {
  case Compression::None: {
    std::vector<uint8_t> bytes;
    reserveLarge(bytes, raw.size());
    bytes.assign(raw.begin(), raw.end());
    return std::move(bytes);
  }
  case Compression::Gzip:
    return gunzip(raw, maxBytes);
  case Compression::Xz:
    return unxz(raw, maxBytes);
  }
  llvm_unreachable("unknown compression");
}

Expected<std::unique_ptr<MemoryBuffer>>
intc::host::readRegularFile(StringRef path, uint64_t maxBytes) {
  sys::fs::file_status status;
  if (std::error_code ec = sys::fs::status(path, status))
    return createFileError(path, ec);
  if (status.type() == sys::fs::file_type::directory_file)
    return createFileError(
        path, createStringError(std::errc::is_a_directory,
                                "is a directory, expected a file"));
  if (status.type() != sys::fs::file_type::regular_file)
    return createFileError(
        path, createStringError(std::errc::invalid_argument,
                                "is not a regular file (a device, FIFO or "
                                "socket?)"));
  if (status.getSize() > maxBytes)
    return createFileError(
        path,
        createStringError(std::errc::file_too_large,
                          "file is too large: %llu bytes, the limit is %llu",
                          (unsigned long long)status.getSize(),
                          (unsigned long long)maxBytes));
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
      MemoryBuffer::getFile(path, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return createFileError(path, buffer.getError());
  return std::move(*buffer);
}

Expected<DataFile> intc::host::decodeDataFile(ArrayRef<uint8_t> raw,
                                              StringRef path,
                                              uint64_t maxBytes) {
  DataFile file;
  file.path = path.str();
  file.compression = detectCompression(raw);
  Expected<std::vector<uint8_t>> bytes =
      decompress(raw, file.compression, maxBytes);
  if (!bytes)
    return createFileError(file.path, bytes.takeError());
  file.bytes = std::move(*bytes);
  return std::move(file);
}

static intc::host::DecompressedCache *decompressedCache = nullptr;

void intc::host::setDecompressedCache(DecompressedCache *cache) {
  decompressedCache = cache;
}

Expected<DataFile> intc::host::readDataFile(StringRef path,
                                            ArrayRef<StringRef> suffixes,
                                            uint64_t maxBytes) {
  Expected<std::string> found = findDataFile(path, suffixes);
  if (!found)
    return found.takeError();
  Expected<std::unique_ptr<MemoryBuffer>> buffer =
      readRegularFile(*found, maxBytes);
  if (!buffer)
    return buffer.takeError();
  ArrayRef<uint8_t> raw(
      reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart()),
      (*buffer)->getBufferSize());
  Compression compression = detectCompression(raw);
  if (compression == Compression::None || !decompressedCache)
    return decodeDataFile(raw, *found, maxBytes);
  if (std::optional<std::vector<uint8_t>> kept = decompressedCache->load(raw);
      kept && kept->size() <= maxBytes) {
    DataFile file;
    file.path = *found;
    file.compression = compression;
    file.bytes = std::move(*kept);
    return std::move(file);
  }
  Expected<DataFile> file = decodeDataFile(raw, *found, maxBytes);
  if (file)
    decompressedCache->store(raw, file->bytes);
  return file;
}
