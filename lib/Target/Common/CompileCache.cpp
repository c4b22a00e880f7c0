//===- CompileCache.cpp - Compiled code kept on disk between runs ---------===//

#include "lib/Target/Common/CompileCache.h"

#include "runtime/host/AtomicFile.h"

#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <cstring>
#include <link.h>
#include <vector>

#include <dlfcn.h>
#include <elf.h>

using namespace llvm;
using namespace mlir;
using namespace mlir::intc;

namespace {
constexpr char kMagic[8] = {'I', 'N', 'T', 'C', 'A', 'C', 'H', 'E'};
constexpr size_t kHeaderSize = 88;
constexpr size_t kKeyOffset = 16, kSizeOffset = 48, kChecksumOffset = 56;
} // namespace

std::string mlir::intc::toHex(const CacheKey &key) {
  return llvm::toHex(ArrayRef<uint8_t>(key), /*LowerCase=*/true);
}

//===----------------------------------------------------------------------===//
// Keys
//===----------------------------------------------------------------------===//

CacheKeyBuilder::CacheKeyBuilder() { hasher.init(); }

void CacheKeyBuilder::addBytes(StringRef bytes) {
  uint8_t size[8];
  support::endian::write64le(size, bytes.size());
  hasher.update(ArrayRef<uint8_t>(size));
  hasher.update(bytes);
}

CacheKeyBuilder &CacheKeyBuilder::add(StringRef field, StringRef value) {
  addBytes(field);
  addBytes(value);
  return *this;
}

CacheKeyBuilder &CacheKeyBuilder::add(StringRef field, int64_t value) {
  return add(field, StringRef(std::to_string(value)));
}

CacheKey CacheKeyBuilder::finish() { return hasher.final(); }

namespace {
/// The module (executable or shared library) that holds an address, and
/// its GNU build id when it has one.
struct ModuleId {
  const void *address;
  bool found = false;
  std::string buildId;
};

int findModule(dl_phdr_info *info, size_t, void *data) {
  auto *id = static_cast<ModuleId *>(data);
  auto address = reinterpret_cast<uintptr_t>(id->address);
  bool inside = false;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr) &ph = info->dlpi_phdr[i];
    uintptr_t start = info->dlpi_addr + ph.p_vaddr;
    if (ph.p_type == PT_LOAD && address >= start &&
        address < start + ph.p_memsz)
      inside = true;
  }
  if (!inside)
    return 0;
  id->found = true;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr) &ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE)
      continue;
    const char *p =
        reinterpret_cast<const char *>(info->dlpi_addr + ph.p_vaddr);
    const char *end = p + ph.p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      ElfW(Nhdr) note;
      std::memcpy(&note, p, sizeof note);
      const char *name = p + sizeof note;
      const char *desc = name + alignTo(note.n_namesz, 4);
      const char *next = desc + alignTo(note.n_descsz, 4);
      if (next > end)
        break;
      if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
          std::memcmp(name, "GNU", 4) == 0) {
        id->buildId = llvm::toHex(StringRef(desc, note.n_descsz), true);
        return 1;
      }
      p = next;
    }
  }
  return 1;
}

/// The build id of the binary that holds \p address; without one, its
/// path, size and modification time (ccache's default compiler check).
std::string binaryIdentity(const void *address) {
  ModuleId id{address};
  dl_iterate_phdr(findModule, &id);
  if (!id.buildId.empty())
    return "build-id " + id.buildId;
  Dl_info info;
  if (!dladdr(address, &info) || !info.dli_fname)
    return "unknown";
  std::string path = info.dli_fname;
  if (path.empty())
    if (auto exe = sys::fs::getMainExecutable(nullptr, (void *)&binaryIdentity);
        !exe.empty())
      path = exe;
  sys::fs::file_status status;
  if (sys::fs::status(path, status))
    return "path " + path;
  return "path " + path + ", size " + std::to_string(status.getSize()) +
         ", mtime " +
         std::to_string(
             status.getLastModificationTime().time_since_epoch().count());
}
} // namespace

void mlir::intc::addCodeGeneratorIdentity(CacheKeyBuilder &key) {
  key.add("entry-format", int64_t(kEntryFormatVersion));
  key.add("llvm-version", LLVM_VERSION_STRING);
  // This library is linked into intc (or the Python extension) with the
  // passes and pipelines; the upstream passes and the LLVM back end live in
  // the shared libMLIR and libLLVM.
  key.add("intc-binary", binaryIdentity(reinterpret_cast<const void *>(
                             &addCodeGeneratorIdentity)));
  std::unique_ptr<llvm::Module> (*translate)(
      Operation *, LLVMContext &, StringRef, bool) = &translateModuleToLLVMIR;
  key.add("mlir-binary",
          binaryIdentity(reinterpret_cast<const void *>(translate)));
  key.add("llvm-binary",
          binaryIdentity(reinterpret_cast<const void *>(&sys::getHostCPUName)));
}

void mlir::intc::addHostIdentity(CacheKeyBuilder &key) {
  key.add("triple", sys::getProcessTriple());
  key.add("cpu", sys::getHostCPUName());
  StringMap<bool> features = sys::getHostCPUFeatures();
  std::vector<std::string> list;
  for (const auto &f : features)
    list.push_back((f.second ? "+" : "-") + f.first().str());
  llvm::sort(list);
  key.add("cpu-features", join(list, ","));
}

void mlir::intc::addCodegenOptions(CacheKeyBuilder &key,
                                   const CodegenOptions &o) {
  // A field added to CodegenOptions must be added here too, or runs that
  // differ in it would share code: this size check fails to remind whoever
  // adds one (checked for the one ABI where the layout is known).
#if defined(__x86_64__) && defined(__GLIBCXX__) &&                             \
    defined(_GLIBCXX_USE_CXX11_ABI)
  static_assert(sizeof(CodegenOptions) == 200 &&
                    sizeof(LoweringOptions) == 32 && sizeof(CudaOptions) == 144,
                "CodegenOptions changed: add the new field to the compile "
                "cache key (addCodegenOptions) and update these sizes");
#endif
  key.add("batch", o.batch)
      .add("microkernels", int64_t(o.microkernels))
      .add("parallel-loops", int64_t(o.parallelLoops))
      .add("weight-bits", int64_t(o.weightBits))
      .add("predict-heads", int64_t(o.predictHeads))
      .add("gradient-steps", int64_t(o.gradientSteps))
      .add("grads-ready-hook", int64_t(o.gradsReadyHook))
      .add("check-overflow", int64_t(o.checkOverflow))
      .add("fast-division", int64_t(o.lowering.fastDivision))
      .add("fuse-scratch-bytes", o.lowering.fuseScratchBytes)
      .add("fuse-weight-updates", int64_t(o.lowering.fuseWeightUpdates))
      .add("tile-cache-bytes", o.lowering.tileCacheBytes)
      .add("cuda-chip", o.cuda.chip)
      .add("cuda-features", o.cuda.features)
      .add("cuda-format", o.cuda.format)
      .add("cuda-toolkit", o.cuda.toolkit)
      .add("cuda-gpu-kernels", int64_t(o.cuda.gpuKernels))
      .add("cuda-threads", o.cuda.threads);
}

//===----------------------------------------------------------------------===//
// Entries
//===----------------------------------------------------------------------===//

static std::string encodeHeader(const CacheKey &key, StringRef payload) {
  std::string header(kHeaderSize, '\0');
  char *h = header.data();
  std::memcpy(h, kMagic, sizeof kMagic);
  support::endian::write32le(h + 8, kEntryFormatVersion);
  support::endian::write32le(h + 12, kHeaderSize);
  std::memcpy(h + kKeyOffset, key.data(), key.size());
  support::endian::write64le(h + kSizeOffset, payload.size());
  auto checksum = BLAKE3::hash<32>(arrayRefFromStringRef(payload));
  std::memcpy(h + kChecksumOffset, checksum.data(), checksum.size());
  return header;
}

std::string mlir::intc::encodeEntry(const CacheKey &key, StringRef payload) {
  return encodeHeader(key, payload) + payload.str();
}

Expected<StringRef> mlir::intc::verifyEntry(StringRef bytes,
                                            const CacheKey &key) {
  auto bad = [](const Twine &why) {
    return createStringError(
        std::make_error_code(std::errc::illegal_byte_sequence), why);
  };
  if (bytes.size() < kHeaderSize)
    return bad("truncated: " + Twine(bytes.size()) + " bytes, shorter than " +
               "the " + Twine(kHeaderSize) + "-byte header");
  const char *h = bytes.data();
  if (std::memcmp(h, kMagic, sizeof kMagic) != 0)
    return bad("not a compile cache entry (bad magic)");
  uint32_t version = support::endian::read32le(h + 8);
  if (version != kEntryFormatVersion ||
      support::endian::read32le(h + 12) != kHeaderSize)
    return bad("entry format " + Twine(version) + ", expected " +
               Twine(kEntryFormatVersion));
  if (std::memcmp(h + kKeyOffset, key.data(), key.size()) != 0)
    return bad("a foreign entry: its key is not its file name's");
  uint64_t size = support::endian::read64le(h + kSizeOffset);
  if (size != bytes.size() - kHeaderSize)
    return bad("the header announces " + Twine(size) +
               " payload bytes, the file holds " +
               Twine(bytes.size() - kHeaderSize));
  StringRef payload = bytes.drop_front(kHeaderSize);
  auto checksum = BLAKE3::hash<32>(arrayRefFromStringRef(payload));
  if (std::memcmp(h + kChecksumOffset, checksum.data(), checksum.size()) != 0)
    return bad("checksum mismatch: the payload is corrupt");
  return payload;
}

//===----------------------------------------------------------------------===//
// The cache directory
//===----------------------------------------------------------------------===//

std::string CompileCache::defaultDirectory() {
  if (std::optional<std::string> dir = sys::Process::GetEnv("INTC_CACHE_DIR"))
    if (!dir->empty())
      return *dir;
  // The XDG base directory specification ignores relative paths.
  if (std::optional<std::string> xdg = sys::Process::GetEnv("XDG_CACHE_HOME"))
    if (sys::path::is_absolute(*xdg)) {
      SmallString<256> dir(*xdg);
      sys::path::append(dir, "intc");
      return dir.str().str();
    }
  if (std::optional<std::string> home = sys::Process::GetEnv("HOME"))
    if (!home->empty()) {
      SmallString<256> dir(*home);
      sys::path::append(dir, ".cache", "intc");
      return dir.str().str();
    }
  return "";
}

std::unique_ptr<CompileCache>
CompileCache::create(const CompileCacheOptions &o) {
  if (!o.enabled)
    return nullptr;
  std::string dir = o.directory.empty() ? defaultDirectory() : o.directory;
  if (dir.empty()) {
    if (o.log)
      *o.log << "intc: compile cache: off (set INTC_CACHE_DIR, "
                "XDG_CACHE_HOME or HOME)\n";
    return nullptr;
  }
  uint64_t maxBytes = o.maxBytes;
  if (!maxBytes) {
    maxBytes = uint64_t(1) << 30;
    if (std::optional<std::string> mb =
            sys::Process::GetEnv("INTC_CACHE_MAX_MB"))
      if (uint64_t v; !StringRef(*mb).getAsInteger(10, v) && v > 0 &&
                      v < (uint64_t(1) << 40))
        maxBytes = v << 20;
  }
  return std::unique_ptr<CompileCache>(new CompileCache(dir, o.log, maxBytes));
}

std::string CompileCache::entryPath(const CacheKey &key) const {
  SmallString<256> path(dir);
  sys::path::append(path, toHex(key) + ".entry");
  return path.str().str();
}

void CompileCache::note(const Twine &line) {
  if (logStream)
    *logStream << "intc: compile cache: " << line << "\n";
}

std::optional<CacheEntry> CompileCache::lookup(const CacheKey &key) {
  std::string path = entryPath(key);
  ErrorOr<std::unique_ptr<MemoryBuffer>> file = MemoryBuffer::getFile(
      path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!file) {
    ++misses;
    return std::nullopt;
  }
  Expected<StringRef> payload = verifyEntry((*file)->getBuffer(), key);
  if (!payload) {
    ++rejected;
    ++misses;
    note("rejected " + path + ": " + toString(payload.takeError()) +
         "; rebuilding it");
    sys::fs::remove(path);
    return std::nullopt;
  }
  ++hits;
  // The entry is in use: the last to be evicted (best effort; a read-only
  // cache still serves).
  if (int fd; !sys::fs::openFileForWrite(path, fd, sys::fs::CD_OpenExisting,
                                         sys::fs::OF_Append)) {
    (void)sys::fs::setLastAccessAndModificationTime(
        fd, std::chrono::system_clock::now());
    sys::fs::closeFile(fd);
  }
  return CacheEntry{std::move(*file), *payload};
}

void CompileCache::store(const CacheKey &key, StringRef payload) {
  if (unwritable)
    return;
  std::string path = entryPath(key);
  Error err = [&]() -> Error {
    if (std::error_code ec = sys::fs::create_directories(dir))
      return createFileError(dir, ec);
    return ::intc::host::writeFileAtomically(path, [&](raw_ostream &os) {
      os << encodeHeader(key, payload) << payload;
      return Error::success();
    });
  }();
  if (!err) {
    note("stored " + path);
    evict();
    return;
  }
  if (unwritable.exchange(true)) { // warned already
    consumeError(std::move(err));
    return;
  }
  errs() << "intc: warning: cannot write the compile cache ("
         << toString(std::move(err))
         << "); going on without it (-no-cache or INTC_CACHE_DIR=DIR "
            "choose otherwise)\n";
}

void CompileCache::discard(const CacheKey &key, StringRef why) {
  std::string path = entryPath(key);
  --hits; // lookup counted it as found
  ++misses;
  ++rejected;
  note("rejected " + path + ": " + why + "; rebuilding it");
  sys::fs::remove(path);
}

void CompileCache::evict() {
  struct File {
    std::string path;
    uint64_t size;
    sys::TimePoint<> modified;
  };
  std::vector<File> entries;
  uint64_t total = 0;
  const auto now = std::chrono::system_clock::now();
  std::error_code ec;
  for (sys::fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    StringRef name = sys::path::filename(it->path());
    sys::fs::file_status status;
    if (sys::fs::status(it->path(), status) ||
        status.type() != sys::fs::file_type::regular_file)
      continue;
    if (name.contains(".entry.tmp-")) {
      // A writer killed mid-write (a live one renames within seconds).
      if (now - status.getLastModificationTime() > std::chrono::hours(1))
        sys::fs::remove(it->path());
      continue;
    }
    if (!name.ends_with(".entry"))
      continue;
    entries.push_back(
        {it->path(), status.getSize(), status.getLastModificationTime()});
    total += status.getSize();
  }
  if (total <= maxBytes)
    return;
  llvm::sort(entries, [](const File &a, const File &b) {
    return a.modified < b.modified;
  });
  const uint64_t target = maxBytes / 4 * 3;
  for (const File &f : entries) {
    if (total <= target)
      break;
    if (!sys::fs::remove(f.path)) {
      total -= f.size;
      note("evicted " + f.path);
    }
  }
}
