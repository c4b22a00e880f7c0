//===- Npz.h - NumPy .npz archives of integer arrays ------------*- C++ -*-===//
//
// A .npz file (numpy.savez / savez_compressed) is a zip archive with one
// .npy file per array, named after the array ("x_train.npy"), stored or
// deflated. libzip reads the archive; Npy.h reads each member. The archive is
// read into memory once (a regular file of at most kMaxDataFileBytes) and its
// members are decompressed on demand, all of them together again at most
// kMaxDataFileBytes, so a zip bomb or a lying size field ends in an error,
// not in exhausted memory. Every error names the file and, for a member, the
// array.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_NPZ_H
#define INTC_RUNTIME_HOST_NPZ_H

#include "runtime/host/DataFile.h"
#include "runtime/host/IntArray.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

typedef struct zip zip_t;

namespace intc::host {

/// An open .npz archive.
class NpzArchive {
public:
  /// Opens \p path; members are read later. \p maxBytes bounds the file and,
  /// separately, the sum of the members read from it.
  static llvm::Expected<NpzArchive> open(llvm::StringRef path,
                                         uint64_t maxBytes = kMaxDataFileBytes);

  /// The same for a file already in memory (\p path names it in errors):
  /// open() reads the file and calls this, and so does the fuzz target.
  static llvm::Expected<NpzArchive>
  openBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer, llvm::StringRef path,
             uint64_t maxBytes = kMaxDataFileBytes);

  NpzArchive(NpzArchive &&) = default;
  NpzArchive &operator=(NpzArchive &&) = default;
  ~NpzArchive();

  const std::string &path() const { return filePath; }

  /// The array names (member names without ".npy"), in archive order.
  llvm::ArrayRef<std::string> keys() const { return names; }
  bool contains(llvm::StringRef key) const;

  /// "'x.npz' x_train": how errors name an array of this archive.
  std::string describe(llvm::StringRef key) const;

  /// The decompressed .npy bytes of array \p key.
  llvm::Expected<std::vector<uint8_t>> readMember(llvm::StringRef key);

  /// readMember + readNpy / readNpyStrings.
  llvm::Expected<IntArray> readArray(llvm::StringRef key);
  llvm::Expected<std::vector<std::string>> readStrings(llvm::StringRef key);

private:
  NpzArchive() = default;

  struct ZipCloser {
    void operator()(zip_t *archive) const;
  };
  std::string filePath;
  std::unique_ptr<llvm::MemoryBuffer> buffer; // What libzip reads from.
  std::unique_ptr<zip_t, ZipCloser> archive;
  std::vector<std::string> names;
  std::vector<uint64_t> indices; // Zip entry index of each name.
  uint64_t budget = 0;           // Bytes members may still decompress to.
};

/// Every array of the .npz file \p path (all must be integer arrays).
llvm::Expected<std::map<std::string, IntArray>> readNpz(llvm::StringRef path);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_NPZ_H
