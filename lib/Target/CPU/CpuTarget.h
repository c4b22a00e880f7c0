//===- CpuTarget.h - The CPU target -----------------------------*- C++ -*-===//
//
// From verified models to native code: the intc-cpu-pipeline down to the
// LLVM dialect, translation to LLVM IR, O3 for the chosen CPU, and object
// files. The generated functions use the bare-pointer C ABI documented in the
// header that emitCpuHeader writes.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_CPU_CPUTARGET_H
#define INTC_LIB_TARGET_CPU_CPUTARGET_H

#include "lib/Pipeline/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>

namespace mlir::intc::cpu {

/// A target machine for `cpu`: "native" is this host with its features
/// (what the JIT uses); anything else is an LLVM CPU name such as
/// "x86-64-v3".
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(llvm::StringRef cpu);

/// Runs intc-cpu-pipeline on `module` in place (models become LLVM-dialect
/// functions). Diagnostics go to the context's handler.
LogicalResult lowerToLLVMDialect(ModuleOp module,
                                 const CodegenOptions &options);

/// Translates an LLVM-dialect module to LLVM IR and optimises it at O3 for
/// `tm`; `beforeOptimizing`, if given, edits the IR first.
llvm::Expected<std::unique_ptr<llvm::Module>> translateAndOptimize(
    ModuleOp module, llvm::LLVMContext &ctx, llvm::TargetMachine &tm,
    llvm::function_ref<void(llvm::Module &)> beforeOptimizing = {});

/// Writes `module` as an object file for `tm`.
llvm::Error writeObjectFile(llvm::Module &module, llvm::TargetMachine &tm,
                            llvm::StringRef path);

/// The host code of a lowered (LLVM-dialect) `module` for `cpu`, optimised
/// at O3: LLVM IR text at `path` if `llvmText`, else an object file.
llvm::Error writeHostCode(ModuleOp module, llvm::StringRef cpu, bool llvmText,
                          llvm::StringRef path);

} // namespace mlir::intc::cpu

#endif // INTC_LIB_TARGET_CPU_CPUTARGET_H
