//===- SplitDataCache.cpp - Decoded dataset splits in the cache -----------===//

#include "lib/Target/Common/SplitDataCache.h"

using namespace mlir;
using namespace mlir::intc;
using ::intc::host::ImageSet;

CacheKey SplitDataCache::keyOf(llvm::StringRef identity) {
  CacheKeyBuilder key;
  key.add("kind", "decoded-split")
      .add("format", int64_t(kEntryFormatVersion))
      .add("files", identity);
  // The split is what intc's readers made of the files: another build of
  // the readers makes another entry.
  addCodeGeneratorIdentity(key);
  return key.finish();
}

std::optional<ImageSet> SplitDataCache::load(llvm::StringRef identity) {
  CacheKey key = keyOf(identity);
  std::lock_guard<std::mutex> lock(mutex);
  std::optional<CacheEntry> entry = cache.lookup(key);
  if (!entry) {
    cache.note("miss " + toHex(key) + ": decoded split");
    return std::nullopt;
  }
  llvm::StringRef payload = entry->payload;
  std::shared_ptr<const void> owner(std::move(entry->file));
  llvm::Expected<ImageSet> set =
      ::intc::host::decodeSplit(payload, std::move(owner));
  if (!set) {
    cache.discard(key, llvm::toString(set.takeError()));
    return std::nullopt;
  }
  cache.note("hit " + cache.entryPath(key) + " (decoded split, " +
             llvm::Twine(set->n) + " images, mapped)");
  return std::move(*set);
}

void SplitDataCache::store(llvm::StringRef identity, const ImageSet &set) {
  CacheKey key = keyOf(identity);
  std::lock_guard<std::mutex> lock(mutex);
  cache.store(key, ::intc::host::encodeSplit(set));
}
