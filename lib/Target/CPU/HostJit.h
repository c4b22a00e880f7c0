//===- HostJit.h - JIT-compile generated code for this host -----*- C++ -*-===//
//
// The cpu runner and both cuda runners JIT an LLVM-dialect module the same
// way: for this host's CPU and features, at O3, with the runtime functions
// the generated code calls bound to their addresses in this executable.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_CPU_HOSTJIT_H
#define INTC_LIB_TARGET_CPU_HOSTJIT_H

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ExecutionEngine/Orc/Shared/ExecutorAddress.h"

#include <memory>

namespace mlir::intc::cpu {

/// A function the generated code calls, linked into this executable.
struct JitSymbol {
  llvm::StringRef name;
  llvm::orc::ExecutorAddr address;
};

/// `INTC_JIT_SYMBOL(f)`: f, bound under its own name.
#define INTC_JIT_SYMBOL(fn)                                                    \
  ::mlir::intc::cpu::JitSymbol { #fn, llvm::orc::ExecutorAddr::fromPtr(&fn) }

/// JIT-compiles `module` (LLVM dialect) for this host at O3 and binds
/// `symbols`.
llvm::Expected<std::unique_ptr<ExecutionEngine>>
createHostJit(ModuleOp module, llvm::ArrayRef<JitSymbol> symbols);

} // namespace mlir::intc::cpu

#endif // INTC_LIB_TARGET_CPU_HOSTJIT_H
