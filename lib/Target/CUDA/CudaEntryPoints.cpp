//===- CudaEntryPoints.cpp - Calling a cuda-lowered model -----------------===//

#include "lib/Target/CUDA/CudaEntryPoints.h"

using namespace mlir;
using namespace mlir::intc::cuda;

llvm::Expected<CudaEntryPoints>
CudaEntryPoints::lookup(SymbolLookup lookup, const CompiledModelInfo &info,
                        StringRef modelName) {
  auto fns = lookupEntryPoints(lookup, modelName);
  if (!fns)
    return fns.takeError();
  CudaEntryPoints e;
  e.fns = *fns;
  e.initArena = info.initArena;
  e.trainArena = info.trainStepArena;
  e.predictArena = info.predictArena;
  return e;
}

void CudaEntryPoints::init(void *state, int64_t seed, void *arena) const {
  if (initArena)
    reinterpret_cast<void (*)(void *, int64_t, void *)>(fns.init)(state, seed,
                                                                  arena);
  else
    reinterpret_cast<void (*)(void *, int64_t)>(fns.init)(state, seed);
}

void CudaEntryPoints::trainStep(void *state, const void *x, const void *labels,
                                int64_t lrInv, int64_t seed, int64_t step,
                                void *logits, void *arena) const {
  using Fn = void (*)(void *, const void *, const void *, int64_t, int64_t,
                      int64_t, void *);
  using ArenaFn = void (*)(void *, const void *, const void *, int64_t, int64_t,
                           int64_t, void *, void *);
  if (trainArena)
    reinterpret_cast<ArenaFn>(fns.trainStep)(state, x, labels, lrInv, seed,
                                             step, logits, arena);
  else
    reinterpret_cast<Fn>(fns.trainStep)(state, x, labels, lrInv, seed, step,
                                        logits);
}

void CudaEntryPoints::predict(const void *state, const void *x, void *logits,
                              void *arena) const {
  using Fn = void (*)(const void *, const void *, void *);
  using ArenaFn = void (*)(const void *, const void *, void *, void *);
  if (predictArena)
    reinterpret_cast<ArenaFn>(fns.predict)(state, x, logits, arena);
  else
    reinterpret_cast<Fn>(fns.predict)(state, x, logits);
}
