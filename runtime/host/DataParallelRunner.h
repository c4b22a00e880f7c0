//===- DataParallelRunner.h - One model trained on N ranks ------*- C++ -*-===//
//
// `mpirun -np N intc train`: every rank runs the same training loop on the
// same global batches, through this runner. Each rank holds the whole state
// and a local runner compiled for its shard of the global batch B (ranks
// r < B mod N take one sample more, Shard below) and, per training step:
//
//   1. computes the weight-gradient sums over its shard (trainGrads; the
//      dropout masks are keyed by the global sample index, so they do not
//      depend on N; augmentation was applied by the loop to the whole batch);
//   2. all-reduces them, exact int64 sums (Communicator.h), block by block
//      as soon as each is ready when the local runner reports them, so that
//      communication overlaps the remaining gradients;
//   3. applies the same update (applyGrads) — and, for CNNs, the FC blocks'
//      second local step the same way (trainGrads2);
//   4. all-gathers the shard logits, so the loop counts the same running
//      train accuracy as one process.
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

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace intc::host {

/// Rank r's contiguous share [offset, offset + count) of \p total items
/// over \p ranks ranks: the first total mod ranks ranks get one more.
struct Shard {
  int64_t offset = 0, count = 0;
  static Shard of(int64_t total, int rank, int ranks);
};

/// Traffic and time of the all-reduces, for bench/distributed.
struct DataParallelStats {
  uint64_t steps = 0;
  uint64_t bytesReduced = 0;  // Per rank, over all steps.
  uint64_t computeMicros = 0; // trainGrads + apply + the second step.
  uint64_t waitMicros = 0;    // Blocked in the all-reduce beyond compute.
};

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

  const DataParallelStats &stats() const { return counters; }

private:
  DataParallelRunner(std::unique_ptr<ModelRunner> local, Communicator &comm,
                     int64_t globalBatch, int64_t numWeights,
                     int64_t imageBytes, uint32_t numClasses);
  /// All-gathers every rank's rows of a batch output of \p rowBytes per
  /// sample from \p mine into \p all (B rows).
  void gatherRows(const int8_t *mine, int8_t *all, int64_t rowBytes);
  /// Runs \p compute, which writes the gradients [begin, begin + count),
  /// and all-reduces them, overlapping the parts it reports ready; returns
  /// the compute time in microseconds.
  uint64_t reduceWhileComputing(int64_t begin, int64_t count,
                                llvm::function_ref<void()> compute);

  std::unique_ptr<ModelRunner> local;
  Communicator &comm;
  int64_t globalBatch, numWeights, imageBytes;
  uint32_t numClasses;
  Shard shard;
  std::vector<int64_t> grads;
  std::vector<uint8_t> cache;
  std::vector<int8_t> shardLogits, shardHeads, gatheredHeads;
  DataParallelStats counters;
  std::optional<uint64_t> killAtStep; // INTC_TEST_KILL_RANK_AT_STEP
  bool overlap = true;                // INTC_ALLREDUCE_OVERLAP
};

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_DATAPARALLELRUNNER_H
