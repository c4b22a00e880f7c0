//===- SplitCache.h - Decoded dataset splits kept between runs --*- C++ -*-===//
//
// A warm start on CIFAR-10 spent most of its time on the data: six cached
// batch files read and checked, copied into one set, normalised into another,
// each copy into fresh memory (184 MB, which a VM backs with freshly zeroed
// pages: 0.1-0.3 s per copy). The split cache keeps a registered dataset's
// decoded split as one entry, and a hit maps that entry read-only: the
// pixels are used in place (ImageSet::mapped), nothing is decompressed,
// copied or zeroed.
//
// An entry is found by the identity of the split's files, not by their
// contents (hashing 140 MB of .xz would cost as much as it saves): the
// dataset, the split, and for each file the path read, its size, its
// modification and status-change times (nanoseconds), device and inode, as
// make and ccache's inode cache trust them. A file replaced or rewritten
// changes its change time, so the entry is not found; the entry's own
// checksum (CompileCache) guards the cached bytes. The front end's key also
// names its own build (another build of the readers, another entry). A file
// rewritten in place within one tick of the kernel's file clock, to the
// same size, keeps its identity: the limit make and ccache accept too.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_SPLITCACHE_H
#define INTC_RUNTIME_HOST_SPLITCACHE_H

#include "runtime/host/ImageSet.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <optional>
#include <string>

namespace intc::host {

struct DatasetInfo;

/// Where loadSplit() keeps decoded splits. The front end sets one (intc:
/// its compile cache directory); it must be safe to call from several
/// threads.
class SplitCache {
public:
  virtual ~SplitCache() = default;
  /// The split stored under \p identity, its pixels mapped, if kept.
  virtual std::optional<ImageSet> load(llvm::StringRef identity) = 0;
  virtual void store(llvm::StringRef identity, const ImageSet &set) = 0;
};

/// The cache loadSplit() uses from now on (null: none). Set it before
/// loading data, not while a load runs.
void setSplitCache(SplitCache *cache);
SplitCache *splitCache();

/// The identity of split \p split of \p info in the folder \p dir (see the
/// file comment), or nullopt when a file is missing or cannot be examined
/// (the reader then reports it).
std::optional<std::string> splitIdentity(const DatasetInfo &info,
                                         llvm::StringRef dir, Split split);

/// The payload of an entry:
///   offset  size
///        0     8  "INTCSPLT"
///        8    16  n, c, h, w (uint32, little-endian)
///       24     n  labels
///        -     -  zeros up to a multiple of 64
///        -  n*c*h*w  pixels
std::string encodeSplit(const ImageSet &set);

/// The set in \p payload, whose bytes \p owner keeps alive: labels copied,
/// pixels in place. An error says what is wrong with the payload.
llvm::Expected<ImageSet> decodeSplit(llvm::StringRef payload,
                                     std::shared_ptr<const void> owner);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_SPLITCACHE_H
