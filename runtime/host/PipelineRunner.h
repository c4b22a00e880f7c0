//===- PipelineRunner.h - A model trained as pipeline stages ---*- C++ -*-===//
//
// `mpirun -np N intc train -pipeline-stages=S`: the model's local blocks
// are cut into S contiguous stages (intc-extract-stage), and N = S × D
// ranks train them: ranks [s·D, (s+1)·D) hold stage s, D-way data parallel
// (ShardedStep.h over the stage's own communicator, Communicator::split),
// and rank s·D + d sends the activation of its shard d to rank (s+1)·D + d.
// No error crosses a block (ALGORITHM.md §3.3), so nothing flows backwards:
// a stage trains its blocks on the activations it receives, and the weights
// equal the single-process run's bit for bit.
//
// Every rank runs the same training loop (Trainer.h) through this runner,
// which overlaps the stages by skewing them: at the loop's step t, stage s
// trains on batch t − s, which stage s − 1 sent at step t − 1 (non-blocking
// sends, two send buffers per stage). Stage s thus idles for its first s
// steps after each drain (the bubble). The loop drains the pipeline with
// finishSteps at the end of every training pass (an epoch, or a max-steps
// stop): the later stages train on the batches still in flight, the last
// stage's count of correct predictions is summed over the ranks and
// returned (the train accuracy arrives late, once per pass).
//
// The state the loop holds is the whole model's; each stage keeps its own
// part (its tensors are one contiguous range of the whole state) and takes
// it from the loop's array whenever it is given another array (a resume, an
// evaluation of a checkpoint). syncState gathers every stage's part into
// the loop's array (rank 0 writes the checkpoints). The test pass runs the
// stages in sequence: stage s − 1 sends its shard's evaluation activation
// to stage s, and the last stage's logits (and every stage's head outputs)
// are all-gathered.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_PIPELINERUNNER_H
#define INTC_RUNTIME_HOST_PIPELINERUNNER_H

#include "runtime/host/Communicator.h"
#include "runtime/host/ModelRunner.h"
#include "runtime/host/ShardedStep.h"

#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace intc::host {

/// One stage of the model, as every rank knows it.
struct PipelineStage {
  int64_t firstBlock = 0, numBlocks = 0;   ///< its local blocks
  int64_t stateOffset = 0, stateCount = 0; ///< its tensors in the state
  int64_t inputBytes = 0;  ///< per sample: the image, or the activation in
  int64_t outputBytes = 0; ///< per sample: the activation out, or K logits
};

/// The stages and the ranks that run them.
struct PipelinePlan {
  std::vector<PipelineStage> stages;
  int dataRanks = 1; ///< D, ranks per stage
  int64_t globalBatch = 0;
  uint32_t numClasses = 0;
  int64_t numWeights = 0; ///< of the whole model
};

/// Where a pipeline rank's time went, for bench/distributed.
struct PipelineStats {
  uint64_t steps = 0;         ///< batches this rank's stage trained on
  uint64_t computeMicros = 0; ///< training its stage (all-reduces included)
  uint64_t recvMicros = 0;    ///< waiting for the previous stage
  uint64_t sendMicros = 0;    ///< waiting for a send buffer to free up
};

class PipelineRunner : public ModelRunner {
public:
  /// \p local runs this rank's stage (stage world.rank() / D of \p plan)
  /// on its shard of the global batch, and has gradient steps when D > 1.
  static llvm::Expected<std::unique_ptr<PipelineRunner>>
  create(std::unique_ptr<ModelRunner> local, Communicator &world,
         PipelinePlan plan);

  int64_t batchSize() const override { return plan.globalBatch; }
  void init(int32_t *state, uint64_t seed) override;
  void trainStep(int32_t *state, const int8_t *x, const uint8_t *labels,
                 int64_t lrInv, uint64_t seed, uint64_t step,
                 int8_t *logits) override;
  void predict(const int32_t *state, const int8_t *x, int8_t *logits) override;
  int64_t numHeads() const override { return totalHeads; }
  void predictHeads(const int32_t *state, const int8_t *x, int8_t *logits,
                    int8_t *heads) override;
  void syncState(int32_t *state) override;
  bool syncStateIsCollective() const override { return true; }

  bool defersTrainOutputs() const override { return true; }
  uint64_t finishSteps() override;
  bool needsTrainImages() const override { return stage == 0; }

  int numStages() const { return int(plan.stages.size()); }
  const PipelineStats &stats() const { return counters; }

private:
  PipelineRunner(std::unique_ptr<ModelRunner> local, Communicator &world,
                 std::unique_ptr<Communicator> stageComm, PipelinePlan plan);

  /// A batch on its way to the next stage: the step it belongs to, its
  /// shard's labels and activation.
  struct Message {
    std::vector<uint8_t> bytes;
    std::unique_ptr<Communicator::Request> inFlight;
    void resize(int64_t samples, int64_t activationBytes);
    uint64_t step() const;
    int64_t lrInv() const;
    void setHeader(uint64_t step, int64_t lrInv);
    uint8_t *labels() { return bytes.data() + kLabelsAt; }
    int8_t *activation() {
      return reinterpret_cast<int8_t *>(bytes.data() + activationAt);
    }
    static constexpr size_t kLabelsAt = 64;
    size_t activationAt = 0;
  };

  const PipelineStage &mine() const { return plan.stages[size_t(stage)]; }
  bool isLast() const { return stage + 1 == int(plan.stages.size()); }
  /// Takes this stage's part of \p state unless it was given it before.
  void take(const int32_t *state);
  /// One training step of this stage on its shard.
  void trainLocal(const int8_t *x, const uint8_t *labels, int64_t lrInv,
                  uint64_t seed, uint64_t step, int8_t *out);
  /// A free send buffer (waiting for its previous send to complete).
  Message &nextOutbox();
  /// Trains on the next batch the previous stage sent, and passes it on.
  void trainReceived(uint64_t seed);
  /// Trains on every batch still in flight towards this stage; waits for
  /// its sends.
  void drain();
  /// The evaluation forward of this stage on its shard: \p x for stage 0,
  /// else what the previous stage sends. Writes this stage's output rows
  /// to stageOut (and its heads to stageHeads when \p heads).
  void evaluateLocal(const int8_t *x, bool heads);
  /// All-gathers the last stage's logits rows into \p logits (B×K).
  void gatherLogits(int8_t *logits);

  std::unique_ptr<ModelRunner> local;
  Communicator &world;
  std::unique_ptr<Communicator> stageComm;
  std::unique_ptr<ShardedStep> sharded; ///< D > 1
  PipelinePlan plan;
  int stage = 0, dataRank = 0;
  Shard shard;
  int64_t totalHeads = 0;

  std::vector<int32_t> stageState;
  const int32_t *held = nullptr; ///< the loop's array stageState came from

  Message inbox;
  std::array<Message, 2> outboxes;
  unsigned nextOut = 0;
  std::vector<int8_t> lastLogits, stageOut, stageHeads, gathered;

  /// Since the last drain: the loop's trainStep calls and the batches this
  /// stage has trained on (calls − stage once the pipeline is full).
  uint64_t calls = 0, trained = 0;
  uint64_t correct = 0;  ///< last stage: counted since finishSteps
  uint64_t lastSeed = 0; ///< the run's seed, for the drain
  PipelineStats counters;
};

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_PIPELINERUNNER_H
