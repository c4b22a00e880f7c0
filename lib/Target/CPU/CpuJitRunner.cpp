//===- CpuJitRunner.cpp - Run a model JIT-compiled for this host ----------===//

#include "lib/Target/CPU/CpuJitRunner.h"
#include "lib/Target/CPU/HostJit.h"

#include "lib/Target/Common/JitEntryPoints.h"
#include "runtime/cpu/intc_cpu_kernels.h"

using namespace mlir;
using namespace mlir::intc;
using namespace mlir::intc::cpu;

llvm::Expected<std::unique_ptr<CpuJitRunner>>
CpuJitRunner::create(ModuleOp module, llvm::StringRef modelName,
                     int64_t batch) {
  // The microkernels the generated code calls (intc-use-microkernels) are
  // linked into this executable.
  auto engine = createHostJit(
      module, {INTC_JIT_SYMBOL(intc_cpu_linear_acc_i8),
               INTC_JIT_SYMBOL(intc_cpu_linear_acc_i16),
               INTC_JIT_SYMBOL(intc_cpu_linear_wgrad_acc_i8),
               INTC_JIT_SYMBOL(intc_cpu_linear_wgrad_acc_i16),
               INTC_JIT_SYMBOL(intc_cpu_conv2d_acc_i8),
               INTC_JIT_SYMBOL(intc_cpu_conv2d_acc_i16),
               INTC_JIT_SYMBOL(intc_cpu_conv2d_wgrad_acc_i8),
               INTC_JIT_SYMBOL(intc_cpu_conv2d_wgrad_acc_i16),
               INTC_JIT_SYMBOL(intc_cpu_conv2d_wgrad_sparse_acc_i8),
               INTC_JIT_SYMBOL(intc_cpu_conv2d_wgrad_sparse_acc_i16)});
  if (!engine)
    return engine.takeError();

  auto runner = std::unique_ptr<CpuJitRunner>(new CpuJitRunner());
  runner->engine = std::move(*engine);
  runner->batch = batch;
  runner->headCount = numPredictHeads(module);
  auto entries =
      lookupEntryPoints(*runner->engine, modelName, runner->headCount > 0);
  if (!entries)
    return entries.takeError();
  runner->initFn = reinterpret_cast<InitFn>(entries->init);
  runner->trainStepFn = reinterpret_cast<TrainStepFn>(entries->trainStep);
  runner->predictFn = reinterpret_cast<PredictFn>(entries->predict);
  runner->predictHeadsFn =
      reinterpret_cast<PredictHeadsFn>(entries->predictHeads);
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
