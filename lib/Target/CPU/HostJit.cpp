//===- HostJit.cpp - JIT-compile generated code for this host -------------===//

#include "lib/Target/CPU/HostJit.h"
#include "lib/Target/CPU/CpuTarget.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"

using namespace mlir;

llvm::Expected<std::unique_ptr<ExecutionEngine>>
intc::cpu::createHostJit(ModuleOp module, llvm::ArrayRef<JitSymbol> symbols) {
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
    for (const JitSymbol &s : symbols)
      map[interner(s.name)] = {s.address, llvm::JITSymbolFlags::Exported};
    return map;
  });
  return std::move(*engine);
}
