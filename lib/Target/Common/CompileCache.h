//===- CompileCache.h - Compiled code kept on disk between runs -*- C++ -*-===//
//
// Every `intc train`, `eval`, `check` and `predict` used to spend about a
// second lowering and compiling the model before its first step; the same
// model with the same options gives the same code, so, as ccache, the Triton
// cache and PyTorch's compile cache do, the compiled code is kept on disk
// and the next run loads it instead.
//
// An entry is found by a key: a BLAKE3 hash of everything the code depends
// on (the model's text, every option that changes generated code, the host
// CPU and its features, and the code generator itself: the GNU build ids of
// intc's binary, libMLIR and libLLVM). An entry file is
//
//   offset size
//        0    8  magic "INTCACHE"
//        8    4  format version (kEntryFormatVersion), little-endian
//       12    4  header size (88)
//       16   32  the key
//       48    8  payload size, little-endian
//       56   32  BLAKE3 of the payload
//       88    -  the payload (what the target stores: see HostJit.h)
//
// written atomically (runtime/host/AtomicFile: temporary + rename), so
// concurrent runs never see half an entry; a reader checks every field and
// the checksum, and an entry that fails (corrupt, truncated, of another
// format or another key) is removed and rebuilt, never loaded. The cache
// never fails a run: a directory that cannot be written gets one warning
// and the run goes on uncached.
//
// Where: $INTC_CACHE_DIR, else $XDG_CACHE_HOME/intc, else ~/.cache/intc.
// Size: at most $INTC_CACHE_MAX_MB megabytes (default 1024); a store that
// goes beyond removes the least recently used entries (a hit refreshes its
// entry's modification time) down to three quarters of it, and temporaries
// of writers killed more than an hour ago.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_COMMON_COMPILECACHE_H
#define INTC_LIB_TARGET_COMMON_COMPILECACHE_H

#include "lib/Pipeline/Pipelines.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace mlir::intc {

/// Bumped whenever the entry layout above or a payload layout changes.
constexpr uint32_t kEntryFormatVersion = 1;

using CacheKey = std::array<uint8_t, 32>;

/// "3f2a...": the 64 hex digits of \p key (the entry's file name).
std::string toHex(const CacheKey &key);

/// Hashes named fields into a key. Every field is length-prefixed, so two
/// different field lists never hash the same bytes.
class CacheKeyBuilder {
public:
  CacheKeyBuilder();
  CacheKeyBuilder &add(llvm::StringRef field, llvm::StringRef value);
  CacheKeyBuilder &add(llvm::StringRef field, int64_t value);
  CacheKey finish();

private:
  void addBytes(llvm::StringRef bytes);
  llvm::BLAKE3 hasher;
};

/// Adds what identifies the code generator: the entry format, the LLVM
/// version, and the GNU build ids (else path, size and modification time)
/// of the binaries that hold intc's passes, libMLIR and libLLVM. Any
/// rebuild of intc changes its build id.
void addCodeGeneratorIdentity(CacheKeyBuilder &key);

/// Adds the host: its target triple, CPU name and CPU features (the code is
/// compiled for this CPU with all its vector extensions).
void addHostIdentity(CacheKeyBuilder &key);

/// Adds every field of \p options.
void addCodegenOptions(CacheKeyBuilder &key, const CodegenOptions &options);

/// A verified entry: its payload points into `file`.
struct CacheEntry {
  std::unique_ptr<llvm::MemoryBuffer> file;
  llvm::StringRef payload;
};

/// What a command or session does with the cache.
struct CompileCacheOptions {
  bool enabled = true;
  /// "": defaultDirectory().
  std::string directory;
  /// The most the directory may hold (0: $INTC_CACHE_MAX_MB, else 1 GiB).
  uint64_t maxBytes = 0;
  /// Where a line per lookup goes (hit, miss, rebuilt entry) with its time;
  /// null: nowhere. Warnings (an unwritable directory) always go to stderr.
  llvm::raw_ostream *log = nullptr;
};

class CompileCache {
public:
  /// $INTC_CACHE_DIR, else $XDG_CACHE_HOME/intc (when absolute), else
  /// $HOME/.cache/intc; "" when none is set.
  static std::string defaultDirectory();

  /// Null when \p options disable the cache or no directory is known.
  static std::unique_ptr<CompileCache> create(const CompileCacheOptions &o);

  llvm::StringRef directory() const { return dir; }
  llvm::raw_ostream *log() const { return logStream; }
  std::string entryPath(const CacheKey &key) const;

  /// The payload stored under \p key, or nullopt. An entry that fails a
  /// check is removed (a line on the log says why) and reported as absent.
  std::optional<CacheEntry> lookup(const CacheKey &key);

  /// Stores \p payload under \p key, atomically. Never fails: the first
  /// failure prints one warning and later stores are skipped.
  void store(const CacheKey &key, llvm::StringRef payload);

  /// Removes the entry of \p key, whose payload its consumer rejected
  /// (\p why goes to the log).
  void discard(const CacheKey &key, llvm::StringRef why);

  /// Writes \p line ("hit ...") on the log, prefixed.
  void note(const llvm::Twine &line);

  /// Lookups so far: found, not found (or rejected), rejected entries
  /// (corrupt, foreign, or a payload its consumer refused).
  std::atomic<unsigned> hits = 0, misses = 0, rejected = 0;

  /// Removes stale temporaries, and the least recently used entries when
  /// the directory holds more than maxBytes. store() calls it.
  void evict();

private:
  CompileCache(std::string dir, llvm::raw_ostream *log, uint64_t maxBytes)
      : dir(std::move(dir)), logStream(log), maxBytes(maxBytes) {}
  std::string dir;
  llvm::raw_ostream *logStream;
  uint64_t maxBytes;
  std::atomic<bool> unwritable = false;
};

/// Checks \p bytes as an entry for \p key: on success, the payload (a view
/// into \p bytes), else why not. Exposed for the unit tests.
llvm::Expected<llvm::StringRef> verifyEntry(llvm::StringRef bytes,
                                            const CacheKey &key);

/// The entry file for \p payload under \p key (header + payload).
std::string encodeEntry(const CacheKey &key, llvm::StringRef payload);

} // namespace mlir::intc

#endif // INTC_LIB_TARGET_COMMON_COMPILECACHE_H
