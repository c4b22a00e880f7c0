//===- DataFile.h - Read a data file, decompressing gzip / xz ---*- C++ -*-===//
//
// Dataset files come raw or compressed (MNIST as .gz in Debian's
// Fashion-MNIST package, CIFAR-10 as .xz in our shared copy). Readers should
// not care: readDataFile() returns the decompressed bytes. The compression is
// recognised by its magic bytes, never by the file name, so a renamed or
// decompressed-in-place file still works.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_DATAFILE_H
#define INTC_RUNTIME_HOST_DATAFILE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace intc::host {

enum class Compression { None, Gzip, Xz };

/// "gzip", "xz" or "none", for messages.
llvm::StringRef compressionName(Compression compression);

/// Recognises gzip (1f 8b) and xz (fd 37 7a 58 5a 00) by their magic bytes.
Compression detectCompression(llvm::ArrayRef<uint8_t> bytes);

/// Refuse to produce more than this many bytes from one file. The largest
/// file we read is ~47 MB (MNIST training images); the cap turns a
/// decompression bomb or a wrong path into an error instead of exhausting
/// memory.
constexpr uint64_t kMaxDataFileBytes = uint64_t(1) << 30;

/// The decompressed contents of one data file.
struct DataFile {
  std::string path; // The path actually read (may carry an added suffix).
  Compression compression = Compression::None;
  std::vector<uint8_t> bytes;

  /// " (after gunzip)" / " (after xz decompression)" / "", appended to size
  /// messages so that the reader knows which size is meant.
  std::string sizeNote() const;
};

/// Reads a whole regular file of at most \p maxBytes. Anything else (a
/// directory, a device such as /dev/zero, a FIFO) or a larger file is
/// refused before reading, with an error that names it.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readRegularFile(llvm::StringRef path, uint64_t maxBytes);

/// Returns \p path if it exists, else the first `path + suffix` that exists.
/// The error names \p path and every alternative that was tried.
llvm::Expected<std::string>
findDataFile(llvm::StringRef path, llvm::ArrayRef<llvm::StringRef> suffixes);

/// True if findDataFile() would succeed.
bool dataFileExists(llvm::StringRef path,
                    llvm::ArrayRef<llvm::StringRef> suffixes);

/// Where readDataFile() keeps the decompressed contents of compressed data
/// files between runs, so that a second run does not decompress them again
/// (CIFAR-10's six .xz batches take seconds). Keyed by the compressed bytes:
/// a changed file is another entry. The front end sets one (intc: its
/// compile cache directory); it must be safe to call from several threads.
class DecompressedCache {
public:
  virtual ~DecompressedCache() = default;
  /// The decompressed bytes of \p compressed, if kept.
  virtual std::optional<std::vector<uint8_t>>
  load(llvm::ArrayRef<uint8_t> compressed) = 0;
  virtual void store(llvm::ArrayRef<uint8_t> compressed,
                     llvm::ArrayRef<uint8_t> decompressed) = 0;
};

/// The cache readDataFile() uses from now on (null: none). Set it before
/// loading data, not while a load runs.
void setDecompressedCache(DecompressedCache *cache);

/// Reads the file found by findDataFile(path, suffixes) and decompresses it
/// if its magic bytes say gzip or xz (or takes the decompressed bytes from
/// the DecompressedCache). Every error names the file.
llvm::Expected<DataFile> readDataFile(llvm::StringRef path,
                                      llvm::ArrayRef<llvm::StringRef> suffixes,
                                      uint64_t maxBytes = kMaxDataFileBytes);

/// The bytes-level half of readDataFile(): decompresses \p raw (the contents
/// of the file \p path, which only names it in errors) if its magic bytes say
/// gzip or xz. readDataFile() and the fuzz targets (test/fuzz) use it.
llvm::Expected<DataFile> decodeDataFile(llvm::ArrayRef<uint8_t> raw,
                                        llvm::StringRef path,
                                        uint64_t maxBytes = kMaxDataFileBytes);

/// Decompresses a gzip stream (possibly several concatenated members).
/// Errors do not name a file; readDataFile() adds it.
llvm::Expected<std::vector<uint8_t>> gunzip(llvm::ArrayRef<uint8_t> input,
                                            uint64_t maxBytes);

/// Decompresses an xz stream (possibly several concatenated streams).
llvm::Expected<std::vector<uint8_t>> unxz(llvm::ArrayRef<uint8_t> input,
                                          uint64_t maxBytes);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_DATAFILE_H
