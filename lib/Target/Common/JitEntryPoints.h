//===- JitEntryPoints.h - A JIT-compiled model's entry points ---*- C++ -*-===//
//
// The cpu and cuda runners all JIT the same three functions of a model
// (`<model>_init`, `_train_step`, `_predict`) and size their arena from the
// `intc.arena_bytes` the memory planner records.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_COMMON_JITENTRYPOINTS_H
#define INTC_LIB_TARGET_COMMON_JITENTRYPOINTS_H

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::intc {

/// The addresses of a JIT-compiled model's init, train_step and predict.
struct JitEntryPoints {
  void *init = nullptr;
  void *trainStep = nullptr;
  void *predict = nullptr;
};

/// Looks the three entry points of `modelName` up in `engine`.
llvm::Expected<JitEntryPoints> lookupEntryPoints(ExecutionEngine &engine,
                                                 StringRef modelName);

/// The largest `intc.arena_bytes` in `module`, at least `atLeast`.
int64_t maxArenaBytes(ModuleOp module, int64_t atLeast);

} // namespace mlir::intc

#endif // INTC_LIB_TARGET_COMMON_JITENTRYPOINTS_H
