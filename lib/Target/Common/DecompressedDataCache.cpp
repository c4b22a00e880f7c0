//===- DecompressedDataCache.cpp - Decompressed data in the cache ---------===//

#include "lib/Target/Common/DecompressedDataCache.h"

#include "runtime/host/ImageSet.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::intc;

CacheKey DecompressedDataCache::keyOf(llvm::ArrayRef<uint8_t> compressed) {
  return CacheKeyBuilder()
      .add("kind", "decompressed-data")
      .add("format", int64_t(kEntryFormatVersion))
      .add("compressed", llvm::toStringRef(compressed))
      .finish();
}

std::optional<std::vector<uint8_t>>
DecompressedDataCache::load(llvm::ArrayRef<uint8_t> compressed) {
  CacheKey key = keyOf(compressed);
  std::lock_guard<std::mutex> lock(mutex);
  std::optional<CacheEntry> entry = cache.lookup(key);
  if (!entry) {
    cache.note("miss " + toHex(key) + ": decompressed data");
    return std::nullopt;
  }
  cache.note("hit " + cache.entryPath(key) + " (decompressed data, " +
             llvm::Twine(entry->payload.size()) + " bytes)");
  // Tens of MB filled at once: huge pages spare most of the page faults.
  std::vector<uint8_t> bytes;
  ::intc::host::reserveLarge(bytes, entry->payload.size());
  bytes.assign(entry->payload.bytes_begin(), entry->payload.bytes_end());
  return bytes;
}

void DecompressedDataCache::store(llvm::ArrayRef<uint8_t> compressed,
                                  llvm::ArrayRef<uint8_t> decompressed) {
  CacheKey key = keyOf(compressed);
  std::lock_guard<std::mutex> lock(mutex);
  cache.store(key, llvm::toStringRef(decompressed));
}
