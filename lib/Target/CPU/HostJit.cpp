//===- HostJit.cpp - JIT-compile generated code for this host -------------===//

#include "lib/Target/CPU/HostJit.h"
#include "lib/Target/CPU/CpuTarget.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"

#include <string>
#include <unistd.h>

using namespace mlir;

/// The JIT maps each entry point's planned arena (intc-plan-memory) as a
/// zero-initialised section and aborts the process when it cannot; refuse
/// arenas beyond the machine's memory here, with an error instead.
static llvm::Error checkArenasFit(ModuleOp module) {
  uint64_t total = 0;
  module->walk([&](Operation *op) {
    if (auto bytes = op->getAttrOfType<IntegerAttr>("intc.arena_bytes"))
      total += bytes.getValue().getZExtValue();
  });
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

llvm::Expected<std::unique_ptr<ExecutionEngine>>
intc::cpu::createHostJit(ModuleOp module, llvm::ArrayRef<JitSymbol> symbols) {
  if (llvm::Error err = checkArenasFit(module))
    return std::move(err);
  registerBuiltinDialectTranslation(*module.getContext());
  registerLLVMDialectTranslation(*module.getContext());
  auto tm = createTargetMachine("native");
  if (!tm)
    return tm.takeError();
  ExecutionEngineOptions options;
  options.transformer = makeOptimizingTransformer(3, 0, tm->get());
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = ExecutionEngine::create(module, options, std::move(*tm));
  if (!engine)
    return engine.takeError();
  // registerSymbols calls the callback before it returns.
  (*engine)->registerSymbols([&](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap map;
    for (const JitSymbol &s :
         {INTC_JIT_SYMBOL(__divti3), INTC_JIT_SYMBOL(__modti3),
          INTC_JIT_SYMBOL(__udivti3), INTC_JIT_SYMBOL(__umodti3)})
      map[interner(s.name)] = {s.address, llvm::JITSymbolFlags::Exported};
    for (const JitSymbol &s : symbols)
      map[interner(s.name)] = {s.address, llvm::JITSymbolFlags::Exported};
    return map;
  });
  return std::move(*engine);
}
