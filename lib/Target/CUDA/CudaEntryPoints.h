//===- CudaEntryPoints.h - Calling a cuda-lowered model ---------*- C++ -*-===//
//
// The cuda pipeline's entry points take the same pointers as the cpu
// target's (host pointers in the host lowering, device pointers on a GPU),
// plus the arena as a last argument where intc-arena-to-argument gave them
// one. Both cuda runners call them through this one table: init, train_step,
// predict and, where the pipeline generated them, the gradient steps of
// data-parallel training (ModelRunner.h, "Gradient steps").
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_CUDA_CUDAENTRYPOINTS_H
#define INTC_LIB_TARGET_CUDA_CUDAENTRYPOINTS_H

#include "lib/Target/Common/JitEntryPoints.h"

namespace mlir::intc::cuda {

class CudaEntryPoints {
public:
  /// Looks the entry points of `modelName` up (the gradient steps where
  /// `info` says the module has them); `info` also says which of them take
  /// the arena.
  static llvm::Expected<CudaEntryPoints> lookup(SymbolLookup lookup,
                                                const CompiledModelInfo &info,
                                                StringRef modelName);

  void init(void *state, int64_t seed, void *arena) const;
  void trainStep(void *state, const void *x, const void *labels, int64_t lrInv,
                 int64_t seed, int64_t step, void *logits, void *arena) const;
  void predict(const void *state, const void *x, void *logits,
               void *arena) const;

  /// The gradient steps (where CompiledModelInfo::grads says the module has
  /// them; the second pair only with its `second`): the arguments of the
  /// cpu target's.
  void trainGrads(const void *state, const void *x, const void *labels,
                  int64_t seed, int64_t step, int64_t sampleOffset,
                  int64_t globalBatch, void *grads, void *cache, void *logits,
                  void *arena) const;
  void applyGrads(void *state, const void *grads, int64_t lrInv,
                  void *arena) const;
  void trainGrads2(const void *state, const void *cache, const void *labels,
                   void *grads, void *arena) const;
  void applyGrads2(void *state, const void *grads, int64_t lrInv,
                   void *arena) const;

private:
  JitEntryPoints fns;
  bool initArena = false, trainArena = false, predictArena = false;
  bool trainGradsArena = false, applyGradsArena = false;
  bool trainGrads2Arena = false, applyGrads2Arena = false;
};

/// Stops with an internal error unless a shard of `batch` samples from
/// `sampleOffset` lies inside a global batch of `globalBatch`: one outside
/// would silently draw another batch's dropout masks.
void checkShard(int64_t sampleOffset, int64_t batch, int64_t globalBatch);

} // namespace mlir::intc::cuda

#endif // INTC_LIB_TARGET_CUDA_CUDAENTRYPOINTS_H
