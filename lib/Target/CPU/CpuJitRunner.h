//===- CpuJitRunner.h - Run a model JIT-compiled for this host --*- C++ -*-===//
//
// `intc train -target=cpu`: links a model compiled with the CPU pipeline for
// this host's CPU (O3, all its vector extensions; HostJit.h), fresh or from
// the compile cache, and exposes its entry points (init, train_step, predict
// and, for a model with blocks, predict_heads; the gradient steps where the
// pipeline generated them) as a host::ModelRunner.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_CPU_CPUJITRUNNER_H
#define INTC_LIB_TARGET_CPU_CPUJITRUNNER_H

#include "lib/Target/CPU/HostJit.h"
#include "lib/Target/Common/JitEntryPoints.h"
#include "lib/Target/Common/JitModelRunner.h"

namespace mlir::intc::cpu {

class CpuJitRunner : public JitModelRunner {
public:
  /// Links `code`, model @`modelName` lowered to the LLVM dialect
  /// (lowerToLLVMDialect) for `batch` and compiled (compileHostCode).
  static llvm::Expected<std::unique_ptr<CpuJitRunner>>
  create(const HostCode &code, llvm::StringRef modelName, int64_t batch);

  int64_t batchSize() const override { return batch; }
  void init(int32_t *state, uint64_t seed) override;
  void trainStep(int32_t *state, const int8_t *x, const uint8_t *labels,
                 int64_t lrInv, uint64_t seed, uint64_t step,
                 int8_t *logits) override;
  void predict(const int32_t *state, const int8_t *x, int8_t *logits) override;
  int64_t numHeads() const override { return headCount; }
  void predictHeads(const int32_t *state, const int8_t *x, int8_t *logits,
                    int8_t *heads) override;

  void trainGrads(const int32_t *state, const int8_t *x, const uint8_t *labels,
                  uint64_t seed, uint64_t step, int64_t sampleOffset,
                  int64_t globalBatch, int64_t *grads, uint8_t *cache,
                  int8_t *logits) override;
  void applyGrads(int32_t *state, const int64_t *grads, int64_t lrInv) override;
  void trainGrads2(const int32_t *state, const uint8_t *cache,
                   const uint8_t *labels, int64_t *grads) override;
  void applyGrads2(int32_t *state, const int64_t *grads,
                   int64_t lrInv) override;

private:
  using InitFn = void (*)(int32_t *, int64_t);
  using TrainStepFn = void (*)(int32_t *, const int8_t *, const uint8_t *,
                               int64_t, int64_t, int64_t, int8_t *);
  using PredictFn = void (*)(const int32_t *, const int8_t *, int8_t *);
  using PredictHeadsFn = void (*)(const int32_t *, const int8_t *, int8_t *,
                                  int8_t *);
  // The generated functions take every buffer writable (bare pointers).
  using TrainGradsFn = void (*)(int32_t *, const int8_t *, const uint8_t *,
                                int64_t, int64_t, int64_t, int64_t, int64_t *,
                                uint8_t *, int8_t *);
  using ApplyGradsFn = void (*)(int32_t *, const int64_t *, int64_t);
  using TrainGrads2Fn = void (*)(int32_t *, const uint8_t *, const uint8_t *,
                                 int64_t *);

  std::unique_ptr<HostJit> engine;
  int64_t batch = 0, headCount = 0;
  InitFn initFn = nullptr;
  TrainStepFn trainStepFn = nullptr;
  PredictFn predictFn = nullptr;
  PredictHeadsFn predictHeadsFn = nullptr; ///< null when headCount == 0
  TrainGradsFn trainGradsFn = nullptr;     ///< null without gradient steps
  ApplyGradsFn applyGradsFn = nullptr;
  TrainGrads2Fn trainGrads2Fn = nullptr; ///< null without a second step
  ApplyGradsFn applyGrads2Fn = nullptr;
};

} // namespace mlir::intc::cpu

#endif // INTC_LIB_TARGET_CPU_CPUJITRUNNER_H
