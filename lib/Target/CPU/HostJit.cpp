//===- HostJit.cpp - JIT-compile generated code for this host -------------===//

#include "lib/Target/CPU/HostJit.h"
#include "lib/Target/CPU/CpuTarget.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"

#include <algorithm>
#include <chrono>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

using namespace mlir;
using namespace mlir::intc;
using namespace mlir::intc::cpu;

/// The functions that stand for the module's constructors / destructors.
static constexpr char kCtorsName[] = "__intc_module_ctors";
static constexpr char kDtorsName[] = "__intc_module_dtors";

/// HostJit::load maps each entry point's planned arena (intc-plan-memory)
/// as anonymous memory without reserving it (MAP_NORESERVE), so arenas
/// beyond the machine's memory would only fail when touched: refuse them
/// here, with an error instead.
static llvm::Error checkArenasFit(uint64_t total) {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || pageSize <= 0)
    return llvm::Error::success();
  uint64_t memory = uint64_t(pages) * uint64_t(pageSize);
  if (total <= memory)
    return llvm::Error::success();
  return llvm::createStringError(
      "the generated code needs " + std::to_string(total) +
      " bytes of scratch memory, more than this machine's " +
      std::to_string(memory) + "; use a smaller -batch");
}

/// Replaces the array `arrayName` (llvm.global_ctors / llvm.global_dtors)
/// by an exported function `fnName` that calls its functions in order
/// (constructors by increasing priority, destructors by decreasing).
/// Returns whether there was anything to call.
static bool gatherStructors(llvm::Module &module, llvm::StringRef arrayName,
                            llvm::StringRef fnName, bool reverse) {
  llvm::GlobalVariable *array = module.getNamedGlobal(arrayName);
  if (!array)
    return false;
  SmallVector<std::pair<uint64_t, llvm::Function *>> calls;
  if (auto *init =
          llvm::dyn_cast_or_null<llvm::ConstantArray>(array->getInitializer()))
    for (llvm::Value *operand : init->operands()) {
      auto *entry = llvm::cast<llvm::ConstantStruct>(operand);
      auto *priority = llvm::cast<llvm::ConstantInt>(entry->getOperand(0));
      if (auto *fn = llvm::dyn_cast<llvm::Function>(entry->getOperand(1)))
        calls.push_back({priority->getZExtValue(), fn});
    }
  array->eraseFromParent();
  if (calls.empty())
    return false;
  std::stable_sort(calls.begin(), calls.end(),
                   [](auto &a, auto &b) { return a.first < b.first; });
  if (reverse)
    std::reverse(calls.begin(), calls.end());
  llvm::LLVMContext &ctx = module.getContext();
  auto *fn = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), false),
      llvm::GlobalValue::ExternalLinkage, fnName, module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
  for (auto &call : calls)
    b.CreateCall(call.second);
  b.CreateRetVoid();
  return true;
}

llvm::Expected<HostCode> cpu::compileHostCode(ModuleOp module) {
  HostCode code;
  code.info = describeCompiledModule(module);
  if (llvm::Error err = checkArenasFit(code.info.totalArenaBytes))
    return std::move(err);
  auto tm = createTargetMachine("native");
  if (!tm)
    return tm.takeError();
  llvm::LLVMContext ctx;
  auto llvmModule =
      translateAndOptimize(module, ctx, **tm, [&](llvm::Module &m) {
        for (llvm::GlobalVariable &gv : m.globals()) {
          const llvm::Constant *init =
              gv.hasInitializer() ? gv.getInitializer() : nullptr;
          if (!gv.getName().ends_with("_arena") || !init ||
              !(llvm::isa<llvm::UndefValue>(init) || init->isNullValue()))
            continue;
          code.arenas.push_back(
              {gv.getName().str(),
               m.getDataLayout().getTypeAllocSize(gv.getValueType())});
          // Position-independent code reaches it through the GOT.
          gv.setInitializer(nullptr);
          gv.setLinkage(llvm::GlobalValue::ExternalLinkage);
          gv.setVisibility(llvm::GlobalValue::DefaultVisibility);
          gv.setDSOLocal(false);
        }
      });
  if (!llvmModule)
    return llvmModule.takeError();
  code.hasCtors =
      gatherStructors(**llvmModule, "llvm.global_ctors", kCtorsName, false);
  code.hasDtors =
      gatherStructors(**llvmModule, "llvm.global_dtors", kDtorsName, true);
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager pm;
  if ((*tm)->addPassesToEmitFile(pm, os, nullptr,
                                 llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the host target cannot emit objects");
  pm.run(**llvmModule);
  code.object.assign(buffer.begin(), buffer.end());
  return code;
}

//===----------------------------------------------------------------------===//
// The cache payload
//===----------------------------------------------------------------------===//

static constexpr char kPayloadTag[] = "intc-host-code 2\n";

std::string HostCode::serialize() const {
  std::string text = kPayloadTag;
  text += "ctors=" + std::to_string(int(hasCtors)) + "\n";
  text += "dtors=" + std::to_string(int(hasDtors)) + "\n";
  for (const Arena &a : arenas)
    text += "arena=" + a.name + " " + std::to_string(a.bytes) + "\n";
  text += info.serialize();
  text += "\n";
  return text + object;
}

llvm::Expected<HostCode> HostCode::parse(llvm::StringRef payload) {
  auto bad = [](const llvm::Twine &why) {
    return llvm::createStringError("bad host code: " + why);
  };
  if (!payload.consume_front(kPayloadTag))
    return bad("no 'intc-host-code 2' header");
  size_t end = payload.find("\n\n");
  if (end == llvm::StringRef::npos)
    return bad("the header does not end");
  llvm::StringRef header = payload.take_front(end + 1);
  HostCode code;
  code.object = payload.drop_front(end + 2).str();
  auto flag = [&](llvm::StringRef name, bool &value) -> llvm::Error {
    llvm::StringRef line = header.take_until([](char c) { return c == '\n'; });
    if (line != (name + "=0").str() && line != (name + "=1").str())
      return bad("expected '" + name + "=0|1', got '" + line + "'");
    value = line.back() == '1';
    header = header.drop_front(line.size() + 1);
    return llvm::Error::success();
  };
  if (llvm::Error err = flag("ctors", code.hasCtors))
    return std::move(err);
  if (llvm::Error err = flag("dtors", code.hasDtors))
    return std::move(err);
  while (header.consume_front("arena=")) {
    llvm::StringRef line = header.take_until([](char c) { return c == '\n'; });
    header = header.drop_front(std::min(line.size() + 1, header.size()));
    auto [name, bytes] = line.split(' ');
    HostCode::Arena arena{name.str(), 0};
    if (name.empty() || bytes.getAsInteger(10, arena.bytes) || arena.bytes == 0)
      return bad("bad arena line 'arena=" + line + "'");
    code.arenas.push_back(std::move(arena));
  }
  llvm::Expected<CompiledModelInfo> info = CompiledModelInfo::parse(header);
  if (!info)
    return bad(llvm::toString(info.takeError()));
  code.info = *info;
  if (!llvm::StringRef(code.object)
           .starts_with("\x7f"
                        "ELF"))
    return bad("the object is not ELF");
  return code;
}

using Clock = std::chrono::steady_clock;

static int64_t millisSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                               start)
      .count();
}

llvm::Expected<HostCode>
cpu::getHostCode(CompileCache *cache, const CacheKey &key,
                 llvm::function_ref<llvm::Expected<HostCode>()> compile) {
  Clock::time_point start = Clock::now();
  if (cache) {
    if (std::optional<CacheEntry> entry = cache->lookup(key)) {
      llvm::Expected<HostCode> code = HostCode::parse(entry->payload);
      if (code) {
        cache->note("hit " + cache->entryPath(key) + " (" +
                    llvm::Twine(entry->payload.size()) + " bytes, read in " +
                    llvm::Twine(millisSince(start)) + " ms)");
        return code;
      }
      cache->discard(key, llvm::toString(code.takeError()));
    }
  }
  llvm::Expected<HostCode> code = compile();
  if (!code || !cache)
    return code;
  cache->note("miss " + toHex(key) + ": compiled in " +
              llvm::Twine(millisSince(start)) + " ms");
  cache->store(key, code->serialize());
  return code;
}

//===----------------------------------------------------------------------===//
// Linking
//===----------------------------------------------------------------------===//

// The compiler-runtime (libgcc) helpers LLVM may call for 128-bit integer
// division in generated code. The intc executable exports them, but a
// process that loads intc as a library (the Python extension, with
// RTLD_LOCAL) does not, so the JIT binds them explicitly.
extern "C" {
__int128 __divti3(__int128, __int128);
__int128 __modti3(__int128, __int128);
unsigned __int128 __udivti3(unsigned __int128, unsigned __int128);
unsigned __int128 __umodti3(unsigned __int128, unsigned __int128);
}

llvm::Expected<std::unique_ptr<HostJit>>
HostJit::load(const HostCode &code, llvm::ArrayRef<JitSymbol> symbols) {
  if (llvm::Error err = checkArenasFit(code.info.totalArenaBytes))
    return std::move(err);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  // No platform: the object has no initialisers left (gatherStructors), and
  // the generic one would compile IR of its own at every start.
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(std::move(*builder))
                 .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
                 .create();
  if (!jit)
    return jit.takeError();
  std::unique_ptr<HostJit> result(new HostJit());
  result->jit = std::move(*jit);
  llvm::orc::LLJIT &j = *result->jit;
  llvm::orc::JITDylib &main = j.getMainJITDylib();
  // memset, memcpy and the like come from the process.
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      j.getDataLayout().getGlobalPrefix());
  if (!process)
    return process.takeError();
  main.addGenerator(std::move(*process));
  llvm::orc::MangleAndInterner mangle(j.getExecutionSession(),
                                      j.getDataLayout());
  llvm::orc::SymbolMap map;
  for (const JitSymbol &s :
       {INTC_JIT_SYMBOL(__divti3), INTC_JIT_SYMBOL(__modti3),
        INTC_JIT_SYMBOL(__udivti3), INTC_JIT_SYMBOL(__umodti3)})
    map[mangle(s.name)] = {s.address, llvm::JITSymbolFlags::Exported};
  for (const JitSymbol &s : symbols)
    map[mangle(s.name)] = {s.address, llvm::JITSymbolFlags::Exported};
  for (const HostCode::Arena &a : code.arenas) {
    void *p = mmap(nullptr, a.bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
      return llvm::createStringError(
          "cannot map the " + std::to_string(a.bytes) +
          " bytes of scratch memory of " + a.name + "; use a smaller -batch");
      // Huge pages where the kernel grants them: the kernels walk large
      // tensors of the arena column block by column block, every row on
      // another 4 KB page (the linear weight gradient's tiles), which
      // otherwise misses the TLB on nearly every row.
#ifdef MADV_HUGEPAGE
    (void)madvise(p, a.bytes, MADV_HUGEPAGE);
#endif
    result->arenaMaps.push_back({p, a.bytes});
    map[mangle(a.name)] = {llvm::orc::ExecutorAddr::fromPtr(p),
                           llvm::JITSymbolFlags::Exported};
  }
  if (llvm::Error err = main.define(llvm::orc::absoluteSymbols(map)))
    return std::move(err);
  if (llvm::Error err = j.addObjectFile(
          llvm::MemoryBuffer::getMemBufferCopy(code.object, "intc-host-code")))
    return std::move(err);
  if (code.hasCtors) {
    auto ctors = result->lookup(kCtorsName);
    if (!ctors)
      return ctors.takeError();
    reinterpret_cast<void (*)()> (*ctors)();
  }
  if (code.hasDtors) {
    auto dtors = result->lookup(kDtorsName);
    if (!dtors)
      return dtors.takeError();
    result->dtors = reinterpret_cast<void (*)()>(*dtors);
  }
  return result;
}

HostJit::~HostJit() {
  if (dtors)
    dtors();
  jit.reset(); // before the memory its code points into
  for (auto [p, bytes] : arenaMaps)
    munmap(p, bytes);
}

llvm::Expected<void *> HostJit::lookup(llvm::StringRef name) {
  auto address = jit->lookup(name);
  if (!address)
    return address.takeError();
  return address->toPtr<void *>();
}
