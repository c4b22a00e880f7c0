//===- ModelRunner.h - What the training loop drives ------------*- C++ -*-===//
//
// The compiler generates three functions for a model with batch B, K classes
// and N int32 weights: init, train_step and predict, and on some targets a
// fourth, predict_heads, for the H local blocks' heads, and train_step's
// gradient and update halves for data-parallel training. A ModelRunner wraps
// them (a JIT-compiled or loaded module on the cpu target, launch glue on cuda,
// the C reference runtime in tests) so that the target-independent loop in
// Trainer.h can drive any of them. All buffers belong to the caller; the
// model state is one flat int32 array of ModelInfo::numWeights elements.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_MODELRUNNER_H
#define INTC_RUNTIME_HOST_MODELRUNNER_H

#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>

namespace intc::host {

class Communicator;
class DeviceReducer;

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

  //===--------------------------------------------------------------------===//
  // Deferred steps: pipelined runners
  //===--------------------------------------------------------------------===//
  //
  // A pipelined runner (PipelineRunner.h) returns from trainStep once its
  // first stage has taken the batch; later stages finish it while the next
  // batches come in, so its logits are not ready when trainStep returns.
  // Such a runner counts the correct predictions itself, and the loop calls
  // finishSteps before it needs the state or the counts (the end of a
  // training pass, a checkpoint, a test pass).

  /// True if trainStep leaves \p logits alone and finishSteps reports the
  /// correct predictions instead (default: false).
  virtual bool defersTrainOutputs() const { return false; }

  /// Completes every step started; returns the correct predictions (argmax
  /// of the training-mode output = label) of the steps completed since the
  /// previous call. Every rank of a distributed job calls it together.
  virtual uint64_t finishSteps() { return 0; }

  /// False if trainStep never reads \p x (a pipeline stage after the
  /// first, fed by the stage before it): the loop then skips gathering and
  /// augmenting the batch's images.
  virtual bool needsTrainImages() const { return true; }

  /// A runner may keep the state in device memory between calls (cuda): it
  /// uploads \p state when it is given an array other than the one it
  /// holds, and copies its copy back here. Callers call syncState before
  /// they read the state after init/trainStep, and do not modify the array
  /// in place between calls. A no-op for host runners.
  virtual void syncState(int32_t *state);

  /// True if syncState is collective (PipelineRunner: the stages' parts
  /// are gathered): then every rank of the job calls it at every
  /// checkpoint, the ranks that write none included.
  virtual bool syncStateIsCollective() const { return false; }

  //===--------------------------------------------------------------------===//
  // Gradient steps: train_step split for data-parallel training
  //===--------------------------------------------------------------------===//
  //
  // A global batch of G samples is split into contiguous shards, one per
  // rank; a rank's runner is compiled for its shard's size b (batchSize())
  // and its shard is samples [offset, offset + b). Every rank holds the same
  // state and runs, for step s:
  //
  //   trainGrads(state, x, labels, seed, s, offset, G, grads, cache, logits);
  //   allReduceSum(grads, numWeights);             // exact int64 sums
  //   applyGrads(state, grads, lrInv);
  //   if (GradsRange r = grads2Range(); r.count) {  // CNNs: the FC blocks'
  //     trainGrads2(state, cache, labels, grads);   // second local step
  //     allReduceSum(grads + r.offset, r.count);
  //     applyGrads2(state, grads, lrInv);
  //   }
  //
  // and ends with the state that trainStep(state, <the whole batch>, lrInv,
  // seed, s, ...) gives, bit for bit, for any number and sizes of shards.
  // Callers check hasGradientSteps() first: the defaults abort.

  /// True if the runner has trainGrads and applyGrads (default: false).
  virtual bool hasGradientSteps() const { return false; }

  /// Bytes of the cache trainGrads fills for trainGrads2; 0 when the model
  /// has no second local step (the cache may then be null).
  virtual int64_t cacheBytes() const { return 0; }

  /// The elements of `grads` that trainGrads2 writes and applyGrads2 reads
  /// (the linear blocks' weights, contiguous in the state). Empty when the
  /// model has no second local step: trainGrads2 and applyGrads2 then do
  /// nothing.
  struct GradsRange {
    int64_t offset = 0, count = 0;
  };
  virtual GradsRange grads2Range() const { return {}; }

  /// train_step's training forward and the first local step of every block
  /// (and the output layer's) on this shard (B×C×H×W int8 \p x and B uint8
  /// \p labels, samples [\p sampleOffset, \p sampleOffset + B) of a global
  /// batch of \p globalBatch; dropout masks are those of the global batch).
  /// Writes every weight's gradient sum over the shard to \p grads (N int64,
  /// laid out like the state), the shard's training-mode output to
  /// \p logits (B×K int8) and, for trainGrads2, cacheBytes() bytes to
  /// \p cache. Does not modify the state.
  virtual void trainGrads(const int32_t *state, const int8_t *x,
                          const uint8_t *labels, uint64_t seed, uint64_t step,
                          int64_t sampleOffset, int64_t globalBatch,
                          int64_t *grads, uint8_t *cache, int8_t *logits);

  /// train_step's IntegerSGD update of every weight, with its gradient sum
  /// (over the global batch) from \p grads: W ← W − tdiv(G, lrInv·A) −
  /// tdiv(W, decay_inv).
  virtual void applyGrads(int32_t *state, const int64_t *grads, int64_t lrInv);

  /// The second local step of the linear blocks (ALGORITHM.md §3.6, Q2) on
  /// the state after applyGrads and the \p cache of this step's
  /// trainGrads: writes grads2Range() of \p grads.
  virtual void trainGrads2(const int32_t *state, const uint8_t *cache,
                           const uint8_t *labels, int64_t *grads);

  /// The update of the second local step: grads2Range() of \p grads.
  virtual void applyGrads2(int32_t *state, const int64_t *grads, int64_t lrInv);

  /// A runner that keeps the state in device memory (cuda) keeps the
  /// gradient sums and the cache there too: deviceGradients returns its
  /// device buffers and the reducer that sums them over the ranks of
  /// \p comm (DeviceReducer.h), which ShardedStep then uses in place of host
  /// arrays and Communicator::allReduceSum. The gradient steps accept these
  /// device pointers as well as host arrays. Collective: every rank of
  /// \p comm calls it once, before training. Default: no device buffers
  /// (a null reducer).
  struct DeviceGradients {
    int64_t *grads = nullptr; ///< numWeights int64, device memory
    uint8_t *cache = nullptr; ///< cacheBytes() bytes, device memory
    std::shared_ptr<DeviceReducer> reducer;
  };
  virtual llvm::Expected<DeviceGradients> deviceGradients(Communicator &comm);
};

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_MODELRUNNER_H
