//===- DataParallelRunner.h - One model trained on N ranks ------*- C++ -*-===//
//
// `mpirun -np N intc train`: every rank runs the same training loop on the
// same global batches, through this runner. Each rank holds the whole state
// and a local runner compiled for its shard of the global batch B (ranks
// r < B mod N take one sample more, Shard in ShardedStep.h) and, per
// training step, runs the data-parallel step of ShardedStep.h on its shard
// (augmentation was applied by the loop to the whole batch), then
// all-gathers the shard logits, so the loop counts the same running train
// accuracy as one process.
//
// A runner on a GPU keeps its gradients there and sums them with a
// DeviceReducer (NCCL, or host staging; DeviceReducer.h) instead.
//
// predict and predictHeads shard the batch and all-gather the outputs, so
// the test pass is sharded too. Every rank ends every step with the state
// the single-process trainStep gives, bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_DATAPARALLELRUNNER_H
#define INTC_RUNTIME_HOST_DATAPARALLELRUNNER_H

#include "runtime/host/Communicator.h"
#include "runtime/host/ModelRunner.h"
#include "runtime/host/ShardedStep.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace intc::host {

class DataParallelRunner : public ModelRunner {
public:
  /// \p local is compiled for Shard::of(globalBatch, rank, size).count
  /// samples and must have gradient steps.
  static llvm::Expected<std::unique_ptr<DataParallelRunner>>
  create(std::unique_ptr<ModelRunner> local, Communicator &comm,
         int64_t globalBatch, int64_t numWeights, int64_t imageBytes,
         uint32_t numClasses);

  int64_t batchSize() const override { return globalBatch; }
  void init(int32_t *state, uint64_t seed) override;
  void trainStep(int32_t *state, const int8_t *x, const uint8_t *labels,
                 int64_t lrInv, uint64_t seed, uint64_t step,
                 int8_t *logits) override;
  void predict(const int32_t *state, const int8_t *x, int8_t *logits) override;
  int64_t numHeads() const override { return local->numHeads(); }
  void predictHeads(const int32_t *state, const int8_t *x, int8_t *logits,
                    int8_t *heads) override;
  void syncState(int32_t *state) override { local->syncState(state); }

  const DataParallelStats &stats() const { return step.stats(); }
  /// How the gradients are summed, for the run header.
  std::string reduction() const { return step.reduction(); }

private:
  DataParallelRunner(std::unique_ptr<ModelRunner> local, Communicator &comm,
                     int64_t globalBatch, int64_t numWeights,
                     int64_t imageBytes, uint32_t numClasses,
                     ModelRunner::DeviceGradients device);
  /// All-gathers every rank's rows of a batch output of \p rowBytes per
  /// sample from \p mine into \p all (B rows).
  void gatherRows(const int8_t *mine, int8_t *all, int64_t rowBytes);

  std::unique_ptr<ModelRunner> local;
  Communicator &comm;
  int64_t globalBatch, imageBytes;
  uint32_t numClasses;
  ShardedStep step;
  Shard shard;
  std::vector<int8_t> shardLogits, shardHeads;
  std::optional<uint64_t> killAtStep; // INTC_TEST_KILL_RANK_AT_STEP
};

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_DATAPARALLELRUNNER_H
