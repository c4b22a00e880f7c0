//===- CompileCacheTest.cpp - The compile cache and HostJit's two halves --===//
//
// What the lit test (test/tools/intc/compile-cache.test) cannot reach from
// the command line: every check of an entry's header, the model-info and
// host-code payloads and their errors, a payload whose checksum is right
// but which its consumer refuses (rebuilt, not loaded), the key's
// sensitivity to every code generation option, the cache's location
// rules, eviction, the unwritable-directory warning, and the global
// constructors / destructors that HostJit runs itself (the cuda target's
// host code loads its device image in one: checked here on the real
// lowering, with the GPU runtime's entry points replaced by recorders).
//
//===----------------------------------------------------------------------===//

#include "lib/Driver/ModelLoader.h"
#include "lib/Driver/Runners.h"
#include "lib/Target/CPU/HostJit.h"
#include "lib/Target/CUDA/CudaTarget.h"

#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::intc;

namespace {

/// A fresh directory under the system's temporary folder.
std::string makeTempDir() {
  llvm::SmallString<128> dir;
  EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("intc-cache-test", dir));
  return dir.str().str();
}

void writeFile(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

CacheKey keyOf(llvm::StringRef text) {
  return CacheKeyBuilder().add("test", text).finish();
}

std::string errorOf(llvm::StringRef bytes, const CacheKey &key) {
  llvm::Expected<llvm::StringRef> payload = verifyEntry(bytes, key);
  return payload ? std::string("ok") : llvm::toString(payload.takeError());
}

TEST(CompileCacheEntry, EveryHeaderFieldIsChecked) {
  CacheKey key = keyOf("a"), other = keyOf("b");
  std::string entry = encodeEntry(key, "payload bytes");
  ASSERT_EQ(entry.size(), 88u + 13u);
  llvm::Expected<llvm::StringRef> payload = verifyEntry(entry, key);
  ASSERT_TRUE(bool(payload));
  EXPECT_EQ(*payload, "payload bytes");

  EXPECT_EQ(errorOf(entry.substr(0, 40), key),
            "truncated: 40 bytes, shorter than the 88-byte header");
  std::string magic = entry;
  magic[0] = 'X';
  EXPECT_EQ(errorOf(magic, key), "not a compile cache entry (bad magic)");
  std::string version = entry;
  version[8] = 2;
  EXPECT_EQ(errorOf(version, key), "entry format 2, expected 1");
  EXPECT_EQ(errorOf(entry, other),
            "a foreign entry: its key is not its file name's");
  EXPECT_EQ(errorOf(entry.substr(0, entry.size() - 1), key),
            "the header announces 13 payload bytes, the file holds 12");
  EXPECT_EQ(errorOf(entry + "x", key),
            "the header announces 13 payload bytes, the file holds 14");
  for (size_t i = 88; i < entry.size(); ++i) {
    std::string flipped = entry;
    flipped[i] ^= 1;
    EXPECT_EQ(errorOf(flipped, key),
              "checksum mismatch: the payload is corrupt")
        << "byte " << i;
  }
  std::string checksum = entry;
  checksum[60] ^= 1;
  EXPECT_EQ(errorOf(checksum, key),
            "checksum mismatch: the payload is corrupt");
}

TEST(CompileCacheKey, EveryCodegenOptionChangesTheKey) {
  auto keyFor = [](const CodegenOptions &o) {
    CacheKeyBuilder key;
    addCodegenOptions(key, o);
    return toHex(key.finish());
  };
  CodegenOptions base;
  std::vector<CodegenOptions> variants(17, base);
  variants[0].batch = 8;
  variants[1].microkernels = false;
  variants[2].weightBits = 16;
  variants[3].predictHeads = false;
  variants[4].gradientSteps = false;
  variants[5].gradsReadyHook = true;
  variants[6].checkOverflow = true;
  variants[7].lowering.fastDivision = false;
  variants[8].lowering.fuseScratchBytes = 1 << 10;
  variants[9].lowering.fuseWeightUpdates = true;
  variants[10].lowering.tileCacheBytes = 0;
  variants[11].cuda.chip = "sm_80";
  variants[12].cuda.features = "+ptx75";
  variants[13].cuda.format = "bin";
  variants[14].cuda.toolkit = "/opt/cuda";
  variants[15].cuda.gpuKernels = false;
  variants[16].cuda.threads = 128;
  std::set<std::string> keys = {keyFor(base)};
  for (const CodegenOptions &o : variants)
    keys.insert(keyFor(o));
  EXPECT_EQ(keys.size(), variants.size() + 1);
  EXPECT_EQ(keyFor(base), keyFor(CodegenOptions()));

  // Fields are length-prefixed: moving bytes from a name to a value is a
  // different key.
  EXPECT_NE(toHex(CacheKeyBuilder().add("ab", "c").finish()),
            toHex(CacheKeyBuilder().add("a", "bc").finish()));
}

TEST(CompileCacheKey, HostAndCodeGeneratorAreStable) {
  CacheKeyBuilder a, b;
  addCodeGeneratorIdentity(a);
  addHostIdentity(a);
  addCodeGeneratorIdentity(b);
  addHostIdentity(b);
  EXPECT_EQ(toHex(a.finish()), toHex(b.finish()));
}

TEST(CompiledModelInfo, RoundTripAndErrors) {
  CompiledModelInfo info;
  info.numHeads = 3;
  info.grads.present = true;
  info.grads.second = true;
  info.grads.cacheBytes = 77;
  info.grads.grads2Offset = 5;
  info.grads.grads2Count = 9;
  info.maxArenaBytes = 1000;
  info.totalArenaBytes = 3000;
  info.trainStepArena = true;
  llvm::Expected<CompiledModelInfo> back =
      CompiledModelInfo::parse(info.serialize());
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->serialize(), info.serialize());
  EXPECT_EQ(back->grads.grads2Count, 9);
  EXPECT_TRUE(back->trainStepArena);
  EXPECT_FALSE(back->predictArena);

  std::string text = info.serialize();
  auto error = [](const std::string &t) {
    llvm::Expected<CompiledModelInfo> parsed = CompiledModelInfo::parse(t);
    return parsed ? std::string("ok") : llvm::toString(parsed.takeError());
  };
  EXPECT_EQ(error(text + "extra=1\n"), "model info has unknown fields");
  EXPECT_EQ(error(text + "num_heads=4\n"), "bad model info line 'num_heads=4'");
  EXPECT_EQ(error(text.substr(text.find('\n') + 1)),
            "model info lacks 'num_heads'");
  EXPECT_EQ(error("num_heads=x\n"), "bad model info line 'num_heads=x'");
}

TEST(HostCode, PayloadRoundTripAndErrors) {
  cpu::HostCode code;
  code.object = std::string("\x7f"
                            "ELF",
                            4) +
                std::string("\0\n\n\1", 4);
  code.hasCtors = true;
  code.info.numHeads = 2;
  code.arenas = {{"m_train_step_arena", 652800}, {"m_predict_arena", 64}};
  std::string payload = code.serialize();
  llvm::Expected<cpu::HostCode> back = cpu::HostCode::parse(payload);
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->object, code.object);
  EXPECT_TRUE(back->hasCtors);
  EXPECT_FALSE(back->hasDtors);
  EXPECT_EQ(back->info.numHeads, 2);
  ASSERT_EQ(back->arenas.size(), 2u);
  EXPECT_EQ(back->arenas[0].name, "m_train_step_arena");
  EXPECT_EQ(back->arenas[0].bytes, 652800u);
  EXPECT_EQ(back->arenas[1].name, "m_predict_arena");
  EXPECT_EQ(back->arenas[1].bytes, 64u);

  auto error = [](const std::string &p) {
    llvm::Expected<cpu::HostCode> parsed = cpu::HostCode::parse(p);
    return parsed ? std::string("ok") : llvm::toString(parsed.takeError());
  };
  // An entry of the previous payload format (arenas defined in the object).
  EXPECT_EQ(error("intc-host-code 1\n" + payload.substr(17)),
            "bad host code: no 'intc-host-code 2' header");
  std::string noObject = payload.substr(0, payload.find("\n\n") + 2) + "text";
  EXPECT_EQ(error(noObject), "bad host code: the object is not ELF");
  std::string badFlag = payload;
  badFlag.replace(badFlag.find("ctors=1"), 7, "ctors=2");
  EXPECT_EQ(error(badFlag),
            "bad host code: expected 'ctors=0|1', got 'ctors=2'");
  EXPECT_EQ(error(payload.substr(0, 40)),
            "bad host code: the header does not end");
  std::string badArena = payload;
  badArena.replace(badArena.find("652800"), 6, "-1");
  EXPECT_EQ(error(badArena),
            "bad host code: bad arena line 'arena=m_train_step_arena -1'");
}

TEST(CompileCache, RejectedPayloadIsRebuiltNotLoaded) {
  std::string dir = makeTempDir();
  CompileCacheOptions options;
  options.directory = dir;
  std::unique_ptr<CompileCache> cache = CompileCache::create(options);
  ASSERT_TRUE(cache);
  CacheKey key = keyOf("model");
  // A well-formed entry (right key, length and checksum) whose payload is
  // no host code: getHostCode must not use it.
  cache->store(key, "intc-host-code 2\ngarbage\n\n");
  ASSERT_TRUE(cache->lookup(key).has_value());
  cpu::HostCode fresh;
  fresh.object = "\x7f"
                 "ELF fresh";
  int compiles = 0;
  auto compile = [&]() -> llvm::Expected<cpu::HostCode> {
    ++compiles;
    return fresh;
  };
  llvm::Expected<cpu::HostCode> got =
      cpu::getHostCode(cache.get(), key, compile);
  ASSERT_TRUE(bool(got));
  EXPECT_EQ(got->object, fresh.object);
  EXPECT_EQ(compiles, 1);
  EXPECT_EQ(cache->rejected, 1u);
  // The rebuilt entry replaced it and is used next time.
  got = cpu::getHostCode(cache.get(), key, compile);
  ASSERT_TRUE(bool(got));
  EXPECT_EQ(got->object, fresh.object);
  EXPECT_EQ(compiles, 1);
  // Without a cache, every call compiles.
  ASSERT_TRUE(bool(cpu::getHostCode(nullptr, key, compile)));
  EXPECT_EQ(compiles, 2);
  llvm::sys::fs::remove_directories(dir);
}

TEST(CompileCache, Location) {
  const char *saved[] = {getenv("INTC_CACHE_DIR"), getenv("XDG_CACHE_HOME"),
                         getenv("HOME")};
  std::string keep[3];
  for (int i = 0; i < 3; ++i)
    keep[i] = saved[i] ? saved[i] : "";
  setenv("INTC_CACHE_DIR", "/a/b", 1);
  setenv("XDG_CACHE_HOME", "/x", 1);
  setenv("HOME", "/h", 1);
  EXPECT_EQ(CompileCache::defaultDirectory(), "/a/b");
  unsetenv("INTC_CACHE_DIR");
  EXPECT_EQ(CompileCache::defaultDirectory(), "/x/intc");
  setenv("XDG_CACHE_HOME", "relative", 1);
  EXPECT_EQ(CompileCache::defaultDirectory(), "/h/.cache/intc");
  unsetenv("XDG_CACHE_HOME");
  unsetenv("HOME");
  EXPECT_EQ(CompileCache::defaultDirectory(), "");
  CompileCacheOptions options;
  EXPECT_FALSE(CompileCache::create(options)) << "no directory: no cache";
  options.directory = "/somewhere";
  options.enabled = false;
  EXPECT_FALSE(CompileCache::create(options)) << "-no-cache";
  const char *names[] = {"INTC_CACHE_DIR", "XDG_CACHE_HOME", "HOME"};
  for (int i = 0; i < 3; ++i)
    if (saved[i])
      setenv(names[i], keep[i].c_str(), 1);
}

TEST(CompileCache, EvictsLeastRecentlyUsedAndStaleTemporaries) {
  std::string dir = makeTempDir();
  CompileCacheOptions options;
  options.directory = dir;
  options.maxBytes = 3 * 1000; // three entries of ~1000 bytes
  std::unique_ptr<CompileCache> cache = CompileCache::create(options);
  std::string payload(900, 'p');
  CacheKey a = keyOf("a"), b = keyOf("b"), c = keyOf("c"), d = keyOf("d");
  // Old modification times make the order of use explicit (file times may
  // be coarse).
  auto age = [&](const CacheKey &key, int hours) {
    int fd;
    ASSERT_FALSE(llvm::sys::fs::openFileForWrite(cache->entryPath(key), fd,
                                                 llvm::sys::fs::CD_OpenExisting,
                                                 llvm::sys::fs::OF_Append));
    ASSERT_FALSE(llvm::sys::fs::setLastAccessAndModificationTime(
        fd, std::chrono::system_clock::now() - std::chrono::hours(hours)));
    llvm::sys::fs::closeFile(fd);
  };
  cache->store(a, payload);
  age(a, 30);
  cache->store(b, payload);
  age(b, 20);
  cache->store(c, payload);
  age(c, 10);
  // A hit makes `a` the most recently used.
  ASSERT_TRUE(cache->lookup(a).has_value());
  std::string stale = cache->entryPath(d) + ".tmp-12345678";
  writeFile(stale, "half");
  {
    int fd;
    ASSERT_FALSE(llvm::sys::fs::openFileForWrite(
        stale, fd, llvm::sys::fs::CD_OpenExisting, llvm::sys::fs::OF_Append));
    ASSERT_FALSE(llvm::sys::fs::setLastAccessAndModificationTime(
        fd, std::chrono::system_clock::now() - std::chrono::hours(2)));
    llvm::sys::fs::closeFile(fd);
  }
  std::string live = cache->entryPath(c) + ".tmp-87654321";
  writeFile(live, "being written");
  // Four entries exceed the limit: the least recently used go until three
  // quarters of it are left.
  cache->store(d, payload);
  EXPECT_TRUE(cache->lookup(a).has_value());
  EXPECT_FALSE(cache->lookup(b).has_value());
  EXPECT_FALSE(cache->lookup(c).has_value());
  EXPECT_TRUE(cache->lookup(d).has_value());
  EXPECT_FALSE(llvm::sys::fs::exists(stale));
  EXPECT_TRUE(llvm::sys::fs::exists(live)) << "a live writer's temporary";
  llvm::sys::fs::remove_directories(dir);
}

TEST(CompileCache, UnwritableDirectoryWarnsOnce) {
  std::string dir = makeTempDir();
  writeFile(dir + "/file", "x");
  CompileCacheOptions options;
  options.directory = dir + "/file/cache";
  std::unique_ptr<CompileCache> cache = CompileCache::create(options);
  testing::internal::CaptureStderr();
  cache->store(keyOf("a"), "payload");
  cache->store(keyOf("b"), "payload");
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("intc: warning: cannot write the compile cache"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find("warning", err.find("warning") + 1), std::string::npos)
      << "warned twice: " << err;
  EXPECT_FALSE(cache->lookup(keyOf("a")).has_value());
  llvm::sys::fs::remove_directories(dir);
}

//===----------------------------------------------------------------------===//
// Constructors and destructors
//===----------------------------------------------------------------------===//

std::vector<std::string> events;
void recordEvent(int64_t what) {
  events.push_back("event " + std::to_string(what));
}

TEST(HostJit, RunsConstructorsInOrderAndDestructorsAtUnload) {
  const char *text = R"mlir(
    llvm.func @recordEvent(i64)
    llvm.mlir.global_ctors ctors = [@late, @early], priorities = [200 : i32, 100 : i32], data = [#llvm.zero, #llvm.zero]
    llvm.mlir.global_dtors dtors = [@bye], priorities = [0 : i32], data = [#llvm.zero]
    llvm.func @early() {
      %c = llvm.mlir.constant(1 : i64) : i64
      llvm.call @recordEvent(%c) : (i64) -> ()
      llvm.return
    }
    llvm.func @late() {
      %c = llvm.mlir.constant(2 : i64) : i64
      llvm.call @recordEvent(%c) : (i64) -> ()
      llvm.return
    }
    llvm.func @bye() {
      %c = llvm.mlir.constant(3 : i64) : i64
      llvm.call @recordEvent(%c) : (i64) -> ()
      llvm.return
    }
    llvm.func @probe() -> i64 {
      %c = llvm.mlir.constant(42 : i64) : i64
      llvm.return %c : i64
    }
  )mlir";
  MLIRContext &ctx = ::intc::driver::context();
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &ctx);
  ASSERT_TRUE(module);
  llvm::Expected<cpu::HostCode> code = cpu::compileHostCode(*module);
  ASSERT_TRUE(bool(code)) << llvm::toString(code.takeError());
  EXPECT_TRUE(code->hasCtors);
  EXPECT_TRUE(code->hasDtors);
  // Through the cache payload, as a hit would load it.
  llvm::Expected<cpu::HostCode> again = cpu::HostCode::parse(code->serialize());
  ASSERT_TRUE(bool(again));
  events.clear();
  {
    auto jit = cpu::HostJit::load(*again, {INTC_JIT_SYMBOL(recordEvent)});
    ASSERT_TRUE(bool(jit)) << llvm::toString(jit.takeError());
    EXPECT_EQ(events, (std::vector<std::string>{"event 1", "event 2"}));
    auto probe = (*jit)->lookup("probe");
    ASSERT_TRUE(bool(probe));
    EXPECT_EQ(reinterpret_cast<int64_t (*)()>(*probe)(), 42);
    EXPECT_FALSE(bool((*jit)->lookup("missing")))
        << "a missing symbol is an error";
  }
  EXPECT_EQ(events,
            (std::vector<std::string>{"event 1", "event 2", "event 3"}));
}

// The GPU runtime's entry points, recording what the cuda target's host code
// does when it is linked: load its device image (in a constructor) and
// unload it (in a destructor). The JIT binds functions by address, so these
// need no C linkage.
const void *loadedImage = nullptr;
const void *unloadedModule = nullptr;
void *fakeModuleLoad(void *data, size_t) {
  loadedImage = data;
  return data;
}
// PTX (format isa) is loaded through the driver's JIT.
void *fakeModuleLoadJIT(void *data, int) {
  loadedImage = data;
  return data;
}
void fakeModuleUnload(void *module) { unloadedModule = module; }
void fakeUnused() {}

TEST(HostJit, CudaHostCodeLoadsItsDeviceImageInAConstructor) {
  mlir::FailureOr<::intc::driver::LoadedModel> loaded =
      ::intc::driver::loadModel(std::string(INTC_SOURCE_DIR) +
                                "/test/tools/intc/Inputs/tiny_two_blocks.mlir");
  ASSERT_TRUE(succeeded(loaded));
  OwningOpRef<ModuleOp> module = ::intc::driver::cloneModelModule(*loaded);
  CodegenOptions options;
  options.batch = 16;
  ASSERT_TRUE(succeeded(cuda::lowerToGpuBinary(*module, options)));
  FailureOr<std::string> ptx = cuda::getDeviceImage(*module);
  ASSERT_TRUE(succeeded(ptx));
  llvm::Expected<cpu::HostCode> code = cpu::compileHostCode(*module);
  ASSERT_TRUE(bool(code)) << llvm::toString(code.takeError());
  EXPECT_TRUE(code->hasCtors);
  llvm::Expected<cpu::HostCode> again = cpu::HostCode::parse(code->serialize());
  ASSERT_TRUE(bool(again));
  auto as = [](llvm::StringRef name, auto *fn) {
    return cpu::JitSymbol{name, llvm::orc::ExecutorAddr::fromPtr(fn)};
  };
  std::vector<cpu::JitSymbol> symbols = {
      as("mgpuModuleLoad", &fakeModuleLoad),
      as("mgpuModuleLoadJIT", &fakeModuleLoadJIT),
      as("mgpuModuleUnload", &fakeModuleUnload)};
  // Nothing else runs before an entry point is called.
  for (const char *name :
       {"mgpuModuleGetFunction", "mgpuLaunchKernel", "mgpuStreamCreate",
        "mgpuStreamDestroy", "mgpuStreamSynchronize", "mgpuSetDefaultDevice",
        "mgpuMemAlloc", "mgpuMemFree", "mgpuMemcpy", "mgpuMemset32",
        "intc_cuda_linear_acc_i8", "intc_cuda_linear_acc_i16",
        "intc_cuda_linear_wgrad_acc_i8", "intc_cuda_linear_wgrad_acc_i16",
        "intc_cuda_conv2d_acc_i8", "intc_cuda_conv2d_acc_i16",
        "intc_cuda_conv2d_wgrad_acc_i8", "intc_cuda_conv2d_wgrad_acc_i16"})
    symbols.push_back(as(name, &fakeUnused));
  loadedImage = unloadedModule = nullptr;
  const void *image = nullptr;
  {
    auto jit = cpu::HostJit::load(*again, symbols);
    ASSERT_TRUE(bool(jit)) << llvm::toString(jit.takeError());
    ASSERT_NE(loadedImage, nullptr) << "the constructor did not run";
    image = loadedImage;
    EXPECT_EQ(std::string(static_cast<const char *>(image), ptx->size()), *ptx);
    auto init = (*jit)->lookup("tiny_two_blocks_init");
    EXPECT_TRUE(bool(init)) << llvm::toString(init.takeError());
    EXPECT_EQ(unloadedModule, nullptr);
  }
  EXPECT_EQ(unloadedModule, image) << "the destructor did not run";
}

} // namespace
