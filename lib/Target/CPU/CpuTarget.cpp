//===- CpuTarget.cpp - The CPU target -------------------------------------===//

#include "lib/Target/CPU/CpuTarget.h"
#include "lib/Pipeline/Pipelines.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::intc;

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
cpu::createTargetMachine(llvm::StringRef cpuName) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  if (cpuName == "native") {
    auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!builder)
      return builder.takeError();
    builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
    // Position independent, so objects can go into shared libraries too.
    builder->setRelocationModel(llvm::Reloc::PIC_);
    return builder->createTargetMachine();
  }
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError(error);
  // An unknown CPU would otherwise become a generic subtarget without
  // 64-bit support and a fatal error in the backend.
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!subtarget || !subtarget->isCPUStringValid(cpuName))
    return llvm::createStringError(
        "unknown CPU '" + cpuName.str() + "' for " + triple.str() +
        " (-mcpu takes native or an LLVM CPU name such as x86-64-v3)");
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpuName, "", options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!tm)
    return llvm::createStringError("cannot create a target machine for CPU '" +
                                   cpuName.str() + "'");
  return tm;
}

LogicalResult cpu::lowerToLLVMDialect(ModuleOp module,
                                      const CodegenOptions &options) {
  PassManager pm(module.getContext());
  buildCpuPipeline(pm, options);
  return pm.run(module);
}

llvm::Expected<std::unique_ptr<llvm::Module>> cpu::translateAndOptimize(
    ModuleOp module, llvm::LLVMContext &ctx, llvm::TargetMachine &tm,
    llvm::function_ref<void(llvm::Module &)> beforeOptimizing) {
  registerBuiltinDialectTranslation(*module.getContext());
  registerLLVMDialectTranslation(*module.getContext());
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, ctx, "intc");
  if (!llvmModule)
    return llvm::createStringError("translation to LLVM IR failed");
  llvmModule->setDataLayout(tm.createDataLayout());
  llvmModule->setTargetTriple(tm.getTargetTriple());
  if (beforeOptimizing)
    beforeOptimizing(*llvmModule);
  auto optimize =
      makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, &tm);
  if (llvm::Error err = optimize(llvmModule.get()))
    return std::move(err);
  return llvmModule;
}

llvm::Error cpu::writeObjectFile(llvm::Module &module, llvm::TargetMachine &tm,
                                 llvm::StringRef path) {
  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createFileError(path, ec);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, out.os(), nullptr,
                             llvm::CodeGenFileType::ObjectFile))
    return llvm::createFileError(
        path, llvm::createStringError("the target cannot emit object files"));
  pm.run(module);
  out.keep();
  return llvm::Error::success();
}

llvm::Error cpu::writeHostCode(ModuleOp module, llvm::StringRef cpu,
                               bool llvmText, llvm::StringRef path) {
  auto tm = createTargetMachine(cpu);
  if (!tm)
    return tm.takeError();
  llvm::LLVMContext ctx;
  auto llvmModule = translateAndOptimize(module, ctx, **tm);
  if (!llvmModule)
    return llvmModule.takeError();
  if (!llvmText)
    return writeObjectFile(**llvmModule, **tm, path);
  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return llvm::createFileError(path, ec);
  (*llvmModule)->print(out.os(), nullptr);
  out.keep();
  return llvm::Error::success();
}
