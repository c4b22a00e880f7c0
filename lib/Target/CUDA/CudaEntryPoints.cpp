//===- CudaEntryPoints.cpp - Calling a cuda-lowered model -----------------===//

#include "lib/Target/CUDA/CudaEntryPoints.h"

#include "llvm/Support/ErrorHandling.h"

using namespace mlir;
using namespace mlir::intc::cuda;

llvm::Expected<CudaEntryPoints>
CudaEntryPoints::lookup(SymbolLookup lookup, const CompiledModelInfo &info,
                        StringRef modelName) {
  auto fns =
      lookupEntryPoints(lookup, modelName, /*withHeads=*/false, info.grads);
  if (!fns)
    return fns.takeError();
  CudaEntryPoints e;
  e.fns = *fns;
  e.initArena = info.initArena;
  e.trainArena = info.trainStepArena;
  e.predictArena = info.predictArena;
  e.trainGradsArena = info.trainGradsArena;
  e.applyGradsArena = info.applyGradsArena;
  e.trainGrads2Arena = info.trainGrads2Arena;
  e.applyGrads2Arena = info.applyGrads2Arena;
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

void CudaEntryPoints::trainGrads(const void *state, const void *x,
                                 const void *labels, int64_t seed, int64_t step,
                                 int64_t sampleOffset, int64_t globalBatch,
                                 void *grads, void *cache, void *logits,
                                 void *arena) const {
  using Fn = void (*)(const void *, const void *, const void *, int64_t,
                      int64_t, int64_t, int64_t, void *, void *, void *);
  using ArenaFn =
      void (*)(const void *, const void *, const void *, int64_t, int64_t,
               int64_t, int64_t, void *, void *, void *, void *);
  if (trainGradsArena)
    reinterpret_cast<ArenaFn>(fns.trainGrads)(state, x, labels, seed, step,
                                              sampleOffset, globalBatch, grads,
                                              cache, logits, arena);
  else
    reinterpret_cast<Fn>(fns.trainGrads)(state, x, labels, seed, step,
                                         sampleOffset, globalBatch, grads,
                                         cache, logits);
}

/// apply_grads and apply_grads2 have one signature.
static void callApply(void *fn, bool withArena, void *state, const void *grads,
                      int64_t lrInv, void *arena) {
  if (withArena)
    reinterpret_cast<void (*)(void *, const void *, int64_t, void *)>(fn)(
        state, grads, lrInv, arena);
  else
    reinterpret_cast<void (*)(void *, const void *, int64_t)>(fn)(state, grads,
                                                                  lrInv);
}

void CudaEntryPoints::applyGrads(void *state, const void *grads, int64_t lrInv,
                                 void *arena) const {
  callApply(fns.applyGrads, applyGradsArena, state, grads, lrInv, arena);
}

void CudaEntryPoints::trainGrads2(const void *state, const void *cache,
                                  const void *labels, void *grads,
                                  void *arena) const {
  using Fn = void (*)(const void *, const void *, const void *, void *);
  using ArenaFn =
      void (*)(const void *, const void *, const void *, void *, void *);
  if (trainGrads2Arena)
    reinterpret_cast<ArenaFn>(fns.trainGrads2)(state, cache, labels, grads,
                                               arena);
  else
    reinterpret_cast<Fn>(fns.trainGrads2)(state, cache, labels, grads);
}

void CudaEntryPoints::applyGrads2(void *state, const void *grads, int64_t lrInv,
                                  void *arena) const {
  callApply(fns.applyGrads2, applyGrads2Arena, state, grads, lrInv, arena);
}

void mlir::intc::cuda::checkShard(int64_t sampleOffset, int64_t batch,
                                  int64_t globalBatch) {
  if (sampleOffset < 0 || globalBatch < batch ||
      sampleOffset > globalBatch - batch)
    llvm::report_fatal_error(
        llvm::Twine("trainGrads: shard [") + llvm::Twine(sampleOffset) + ", " +
        llvm::Twine(sampleOffset + batch) +
        ") is not inside a global batch of " + llvm::Twine(globalBatch));
}
