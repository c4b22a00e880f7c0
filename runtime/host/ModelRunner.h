//===- ModelRunner.h - What the training loop drives ------------*- C++ -*-===//
//
// The compiler generates three functions for a model with batch B, K classes
// and N int32 weights: init, train_step and predict, and on some targets a
// fourth, predict_heads, for the H local blocks' heads. A ModelRunner wraps
// them (a JIT-compiled or loaded module on the cpu target, launch glue on cuda,
// the C reference runtime in tests) so that the target-independent loop in
// Trainer.h can drive any of them. All buffers belong to the caller; the
// model state is one flat int32 array of ModelInfo::numWeights elements.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_MODELRUNNER_H
#define INTC_RUNTIME_HOST_MODELRUNNER_H

#include <cstdint>

namespace intc::host {

/// A compiled (or reference) model the training loop drives. All buffers are
/// the caller's; the state is ONE flat int32 array of numWeights() elements.
class ModelRunner {
public:
  virtual ~ModelRunner();

  /// B: every call takes exactly B samples.
  virtual int64_t batchSize() const = 0;

  /// Initialises every weight from \p seed (ALGORITHM.md §5).
  virtual void init(int32_t *state, uint64_t seed) = 0;

  /// One NITRO-D training step on x (B×C×H×W int8) and labels (B uint8).
  /// \p seed and \p step (the global step, from 0) feed the dropout masks.
  /// Writes the training-mode network output (B×K int8) to \p logits.
  virtual void trainStep(int32_t *state, const int8_t *x, const uint8_t *labels,
                         int64_t lrInv, uint64_t seed, uint64_t step,
                         int8_t *logits) = 0;

  /// Evaluation forward (dropout is the identity): logits (B×K int8). Each
  /// row depends only on its own sample, so a partial batch may be padded.
  virtual void predict(const int32_t *state, const int8_t *x,
                       int8_t *logits) = 0;

  /// H: the local blocks whose head output predictHeads writes; 0 (the
  /// default) when the runner cannot report heads.
  virtual int64_t numHeads() const { return 0; }

  /// predict (the same \p logits, bit for bit), plus the output of every
  /// block's head on its evaluation-mode block output: \p heads is H×B×K
  /// int8, blocks in model order. The default, for runners without heads,
  /// is predict and leaves \p heads alone.
  virtual void predictHeads(const int32_t *state, const int8_t *x,
                            int8_t *logits, int8_t *heads);

  /// A runner may keep the state in device memory between calls (cuda): it
  /// uploads \p state when it is given an array other than the one it
  /// holds, and copies its copy back here. Callers call syncState before
  /// they read the state after init/trainStep, and do not modify the array
  /// in place between calls. A no-op for host runners.
  virtual void syncState(int32_t *state);
};

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_MODELRUNNER_H
