//===- JitEntryPoints.h - A JIT-compiled model's entry points ---*- C++ -*-===//
//
// The cpu and cuda runners all JIT the same three functions of a model
// (`<model>_init`, `_train_step`, `_predict`), plus `_predict_heads` and the
// gradient steps (`_train_grads`, `_apply_grads`, `_train_grads2`,
// `_apply_grads2`) where the pipeline generated them (cpu), and size their
// arena from the `intc.arena_bytes` the memory planner records. What they
// need to know about the lowered module is read once, into
// CompiledModelInfo, which travels with the compiled code (and in the
// compile cache, where no module exists).
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_COMMON_JITENTRYPOINTS_H
#define INTC_LIB_TARGET_COMMON_JITENTRYPOINTS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <string>

namespace mlir::intc {

/// The addresses of a JIT-compiled model's init, train_step and predict,
/// and of predict_heads when the module has it.
struct JitEntryPoints {
  void *init = nullptr;
  void *trainStep = nullptr;
  void *predict = nullptr;
  void *predictHeads = nullptr; ///< null: no predict_heads
  /// Null when the module has no gradient steps (or no second step).
  void *trainGrads = nullptr, *applyGrads = nullptr;
  void *trainGrads2 = nullptr, *applyGrads2 = nullptr;
};

/// What the gradient steps of a lowered module tell the host, from the
/// attributes intc-expand-training puts on them.
struct GradientStepsInfo {
  bool present = false;   ///< train_grads and apply_grads exist
  bool second = false;    ///< train_grads2 and apply_grads2 exist
  int64_t cacheBytes = 0; ///< train_grads' `intc.cache_bytes`
  /// The part of `grads` train_grads2 writes (`intc.grads_offset`,
  /// `intc.grads_count`), in elements.
  int64_t grads2Offset = 0, grads2Count = 0;
};

/// Reads GradientStepsInfo from a lowered (or step-level) module.
GradientStepsInfo gradientStepsInfo(ModuleOp module);

/// The H of the lowered module's `predict_heads` (its `intc.num_heads`), or
/// 0 when the module has none.
int64_t numPredictHeads(ModuleOp module);

/// What the runners need to know about a lowered module besides its code.
struct CompiledModelInfo {
  int64_t numHeads = 0; ///< numPredictHeads
  GradientStepsInfo grads;
  int64_t maxArenaBytes = 0;    ///< the largest `intc.arena_bytes`
  uint64_t totalArenaBytes = 0; ///< their sum (what the JIT maps)
  /// Which entry points take the arena as their last argument
  /// (`intc.arena_arg`, intc-arena-to-argument: the cuda pipelines).
  bool initArena = false, trainStepArena = false, predictArena = false;
  bool trainGradsArena = false, applyGradsArena = false;
  bool trainGrads2Arena = false, applyGrads2Arena = false;

  /// "name=value" lines (the compile cache's form) and back; parse fails
  /// on a missing, unknown or malformed line.
  std::string serialize() const;
  static llvm::Expected<CompiledModelInfo> parse(llvm::StringRef text);
};

/// Reads CompiledModelInfo from a lowered module.
CompiledModelInfo describeCompiledModule(ModuleOp module);

/// Finds a JIT-compiled function by name.
using SymbolLookup = llvm::function_ref<llvm::Expected<void *>(StringRef)>;

/// Looks the three entry points of `modelName` up, and predict_heads too
/// when `withHeads` (numPredictHeads of its module > 0: looking up a missing
/// symbol would make the JIT report an error), and the gradient steps that
/// `grads` says the module has.
llvm::Expected<JitEntryPoints>
lookupEntryPoints(SymbolLookup lookup, StringRef modelName,
                  bool withHeads = false, const GradientStepsInfo &grads = {});

/// The largest `intc.arena_bytes` in `module`, at least `atLeast`.
int64_t maxArenaBytes(ModuleOp module, int64_t atLeast);

} // namespace mlir::intc

#endif // INTC_LIB_TARGET_COMMON_JITENTRYPOINTS_H
