//===- JitEntryPoints.h - A JIT-compiled model's entry points ---*- C++ -*-===//
//
// The cpu and cuda runners all JIT the same three functions of a model
// (`<model>_init`, `_train_step`, `_predict`), plus `_predict_heads` where
// the pipeline generated it (cpu), and size their arena from the
// `intc.arena_bytes` the memory planner records.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_COMMON_JITENTRYPOINTS_H
#define INTC_LIB_TARGET_COMMON_JITENTRYPOINTS_H

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::intc {

/// The addresses of a JIT-compiled model's init, train_step and predict,
/// and of predict_heads when the module has it.
struct JitEntryPoints {
  void *init = nullptr;
  void *trainStep = nullptr;
  void *predict = nullptr;
  void *predictHeads = nullptr; ///< null: no predict_heads
};

/// The H of the lowered module's `predict_heads` (its `intc.num_heads`), or
/// 0 when the module has none.
int64_t numPredictHeads(ModuleOp module);

/// Looks the three entry points of `modelName` up in `engine`, and
/// predict_heads too when `withHeads` (numPredictHeads of its module > 0:
/// looking up a missing symbol would make the JIT report an error).
llvm::Expected<JitEntryPoints> lookupEntryPoints(ExecutionEngine &engine,
                                                 StringRef modelName,
                                                 bool withHeads = false);

/// The largest `intc.arena_bytes` in `module`, at least `atLeast`.
int64_t maxArenaBytes(ModuleOp module, int64_t atLeast);

} // namespace mlir::intc

#endif // INTC_LIB_TARGET_COMMON_JITENTRYPOINTS_H
