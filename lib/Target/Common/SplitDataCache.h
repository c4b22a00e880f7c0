//===- SplitDataCache.h - Decoded dataset splits in the cache ---*- C++ -*-===//
//
// The SplitCache of loadSplit() (runtime/host/SplitCache.h) kept in the
// compile cache's directory, with its entry format, checksum, atomic writes
// and eviction (CompileCache.h). A hit maps the entry and hands out its
// pixels in place.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_COMMON_SPLITDATACACHE_H
#define INTC_LIB_TARGET_COMMON_SPLITDATACACHE_H

#include "lib/Target/Common/CompileCache.h"
#include "runtime/host/SplitCache.h"

#include <mutex>

namespace mlir::intc {

class SplitDataCache : public ::intc::host::SplitCache {
public:
  explicit SplitDataCache(CompileCache &cache) : cache(cache) {}

  std::optional<::intc::host::ImageSet> load(llvm::StringRef identity) override;
  void store(llvm::StringRef identity,
             const ::intc::host::ImageSet &set) override;

  /// The entry key of \p identity, under a kind of its own, and of this
  /// build of intc.
  static CacheKey keyOf(llvm::StringRef identity);

private:
  CompileCache &cache;
  std::mutex mutex;
};

} // namespace mlir::intc

#endif // INTC_LIB_TARGET_COMMON_SPLITDATACACHE_H
