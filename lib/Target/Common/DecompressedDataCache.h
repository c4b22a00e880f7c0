//===- DecompressedDataCache.h - Decompressed data in the cache -*- C++ -*-===//
//
// The DecompressedCache of readDataFile() (runtime/host/DataFile.h) kept in
// the compile cache's directory, with its entry format, checks, atomic
// writes and eviction (CompileCache.h): the second run on CIFAR-10 reads
// its six batches decompressed instead of decoding 138 MB of xz again.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_COMMON_DECOMPRESSEDDATACACHE_H
#define INTC_LIB_TARGET_COMMON_DECOMPRESSEDDATACACHE_H

#include "lib/Target/Common/CompileCache.h"
#include "runtime/host/DataFile.h"

#include <mutex>

namespace mlir::intc {

class DecompressedDataCache : public ::intc::host::DecompressedCache {
public:
  explicit DecompressedDataCache(CompileCache &cache) : cache(cache) {}

  std::optional<std::vector<uint8_t>>
  load(llvm::ArrayRef<uint8_t> compressed) override;
  void store(llvm::ArrayRef<uint8_t> compressed,
             llvm::ArrayRef<uint8_t> decompressed) override;

  /// The entry key of \p compressed: its BLAKE3, under a kind of its own.
  static CacheKey keyOf(llvm::ArrayRef<uint8_t> compressed);

private:
  CompileCache &cache;
  std::mutex mutex; // the data readers decompress files concurrently
};

} // namespace mlir::intc

#endif // INTC_LIB_TARGET_COMMON_DECOMPRESSEDDATACACHE_H
