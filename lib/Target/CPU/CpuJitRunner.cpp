//===- CpuJitRunner.cpp - Run a model JIT-compiled for this host ----------===//

#include "lib/Target/CPU/CpuJitRunner.h"
#include "lib/Target/CPU/HostJit.h"

#include "lib/Target/Common/JitEntryPoints.h"
#include "runtime/cpu/intc_cpu_kernels.h"
#include "runtime/host/GradsReady.h"
#include "runtime/host/OverflowGuard.h"

using namespace mlir;
using namespace mlir::intc;
using namespace mlir::intc::cpu;

llvm::Expected<std::unique_ptr<CpuJitRunner>>
CpuJitRunner::create(const HostCode &code, llvm::StringRef modelName,
                     int64_t batch) {
  // The microkernels the generated code calls (intc-use-microkernels) are
  // linked into this executable.
  auto engine = HostJit::load(
      code, {INTC_JIT_SYMBOL(intc_cpu_linear_acc_i8),
             INTC_JIT_SYMBOL(intc_cpu_linear_acc_i16),
             INTC_JIT_SYMBOL(intc_cpu_linear_wgrad_acc_i8),
             INTC_JIT_SYMBOL(intc_cpu_linear_wgrad_acc_i16),
             INTC_JIT_SYMBOL(intc_cpu_linear_wgrad_i8),
             INTC_JIT_SYMBOL(intc_cpu_linear_wgrad_i16),
             INTC_JIT_SYMBOL(intc_cpu_linear_wgrad_sgd_i8),
             INTC_JIT_SYMBOL(intc_cpu_linear_wgrad_sgd_i16),
             INTC_JIT_SYMBOL(intc_cpu_conv2d_acc_i8),
             INTC_JIT_SYMBOL(intc_cpu_conv2d_acc_i16),
             INTC_JIT_SYMBOL(intc_cpu_conv2d_wgrad_acc_i8),
             INTC_JIT_SYMBOL(intc_cpu_conv2d_wgrad_acc_i16),
             INTC_JIT_SYMBOL(intc_cpu_conv2d_wgrad_sparse_acc_i8),
             INTC_JIT_SYMBOL(intc_cpu_conv2d_wgrad_sparse_acc_i16),
             INTC_JIT_SYMBOL(intc_cpu_parallel_for),
             // train_grads(2) compiled with grads-ready-hook report each
             // block's final gradients (runtime/host/GradsReady.h).
             INTC_JIT_SYMBOL(intc_grads_ready),
             // Updates compiled with check-overflow report weights that
             // leave int32 (runtime/host/OverflowGuard.h).
             INTC_JIT_SYMBOL(intc_overflow)});
  if (!engine)
    return engine.takeError();

  auto runner = std::unique_ptr<CpuJitRunner>(new CpuJitRunner());
  runner->engine = std::move(*engine);
  runner->batch = batch;
  runner->headCount = code.info.numHeads;
  runner->gradientSteps = code.info.grads;
  HostJit &jit = *runner->engine;
  auto entries = lookupEntryPoints(
      [&](StringRef name) { return jit.lookup(name); }, modelName,
      runner->headCount > 0, runner->gradientSteps);
  if (!entries)
    return entries.takeError();
  runner->initFn = reinterpret_cast<InitFn>(entries->init);
  runner->trainStepFn = reinterpret_cast<TrainStepFn>(entries->trainStep);
  runner->predictFn = reinterpret_cast<PredictFn>(entries->predict);
  runner->predictHeadsFn =
      reinterpret_cast<PredictHeadsFn>(entries->predictHeads);
  runner->trainGradsFn = reinterpret_cast<TrainGradsFn>(entries->trainGrads);
  runner->applyGradsFn = reinterpret_cast<ApplyGradsFn>(entries->applyGrads);
  runner->trainGrads2Fn = reinterpret_cast<TrainGrads2Fn>(entries->trainGrads2);
  runner->applyGrads2Fn = reinterpret_cast<ApplyGradsFn>(entries->applyGrads2);
  return runner;
}

void CpuJitRunner::init(int32_t *state, uint64_t seed) {
  initFn(state, static_cast<int64_t>(seed));
}

void CpuJitRunner::trainStep(int32_t *state, const int8_t *x,
                             const uint8_t *labels, int64_t lrInv,
                             uint64_t seed, uint64_t step, int8_t *logits) {
  trainStepFn(state, x, labels, lrInv, static_cast<int64_t>(seed),
              static_cast<int64_t>(step), logits);
}

void CpuJitRunner::predict(const int32_t *state, const int8_t *x,
                           int8_t *logits) {
  predictFn(state, x, logits);
}

void CpuJitRunner::predictHeads(const int32_t *state, const int8_t *x,
                                int8_t *logits, int8_t *heads) {
  if (!predictHeadsFn) // A model without blocks.
    return predict(state, x, logits);
  predictHeadsFn(state, x, logits, heads);
}

void CpuJitRunner::trainGrads(const int32_t *state, const int8_t *x,
                              const uint8_t *labels, uint64_t seed,
                              uint64_t step, int64_t sampleOffset,
                              int64_t globalBatch, int64_t *grads,
                              uint8_t *cache, int8_t *logits) {
  if (!trainGradsFn)
    return ModelRunner::trainGrads(state, x, labels, seed, step, sampleOffset,
                                   globalBatch, grads, cache, logits);
  // A shard outside its global batch would silently draw another batch's
  // dropout masks.
  if (sampleOffset < 0 || globalBatch < batch ||
      sampleOffset > globalBatch - batch)
    llvm::report_fatal_error(
        llvm::Twine("trainGrads: shard [") + llvm::Twine(sampleOffset) + ", " +
        llvm::Twine(sampleOffset + batch) +
        ") is not inside a global batch of " + llvm::Twine(globalBatch));
  // train_grads only reads the state.
  trainGradsFn(const_cast<int32_t *>(state), x, labels,
               static_cast<int64_t>(seed), static_cast<int64_t>(step),
               sampleOffset, globalBatch, grads, cache, logits);
}

void CpuJitRunner::applyGrads(int32_t *state, const int64_t *grads,
                              int64_t lrInv) {
  if (!applyGradsFn)
    return ModelRunner::applyGrads(state, grads, lrInv);
  applyGradsFn(state, grads, lrInv);
}

void CpuJitRunner::trainGrads2(const int32_t *state, const uint8_t *cache,
                               const uint8_t *labels, int64_t *grads) {
  if (!trainGrads2Fn)
    return ModelRunner::trainGrads2(state, cache, labels, grads);
  trainGrads2Fn(const_cast<int32_t *>(state), cache, labels, grads);
}

void CpuJitRunner::applyGrads2(int32_t *state, const int64_t *grads,
                               int64_t lrInv) {
  if (!applyGrads2Fn)
    return ModelRunner::applyGrads2(state, grads, lrInv);
  applyGrads2Fn(state, grads, lrInv);
}
