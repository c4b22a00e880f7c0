//===- CudaEntryPoints.h - Calling a cuda-lowered model ---------*- C++ -*-===//
//
// The cuda pipeline's entry points take the same pointers as the cpu
// target's (host pointers in the host lowering, device pointers on a GPU),
// plus the arena as a last argument where intc-arena-to-argument gave them
// one. Both cuda runners call them through this one table.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_CUDA_CUDAENTRYPOINTS_H
#define INTC_LIB_TARGET_CUDA_CUDAENTRYPOINTS_H

#include "lib/Target/Common/JitEntryPoints.h"

namespace mlir::intc::cuda {

class CudaEntryPoints {
public:
  /// Looks the three entry points of `modelName` up; `info` says which of
  /// them take the arena.
  static llvm::Expected<CudaEntryPoints> lookup(SymbolLookup lookup,
                                                const CompiledModelInfo &info,
                                                StringRef modelName);

  void init(void *state, int64_t seed, void *arena) const;
  void trainStep(void *state, const void *x, const void *labels, int64_t lrInv,
                 int64_t seed, int64_t step, void *logits, void *arena) const;
  void predict(const void *state, const void *x, void *logits,
               void *arena) const;

private:
  JitEntryPoints fns;
  bool initArena = false, trainArena = false, predictArena = false;
};

} // namespace mlir::intc::cuda

#endif // INTC_LIB_TARGET_CUDA_CUDAENTRYPOINTS_H
