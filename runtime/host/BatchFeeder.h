//===- BatchFeeder.h - Training batches, the next ones prepared ahead -----===//
//
// The training loop's data preparation (ALGORITHM.md §7): each batch gathers
// its images and labels in the epoch's shuffled order and is then augmented
// (§7.8, one draw per batch from the seed and the step). With `ahead`, a
// helper thread prepares the batches of the next chunk while the steps of
// the current chunk run, into a second set of buffers that the steps do not
// read. A chunk holds several batches so that the hand-over (a wake-up of the
// helper and a wait for it) is paid once per chunk, not once per step: on
// MLP1 a step is short enough for one wake-up per step to cost as much as
// the gather it hides. What a batch holds depends only on the plan (order,
// index, seed, step), never on which thread filled it or when, so the weights
// are the same either way.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_BATCHFEEDER_H
#define INTC_RUNTIME_HOST_BATCHFEEDER_H

#include "runtime/host/ModelInfo.h"
#include "runtime/host/TrainData.h"

#include "llvm/Support/ThreadPool.h"

#include <future>
#include <memory>
#include <vector>

namespace intc::host {

/// The batches a training loop is about to take, in this order: batches
/// [first, first + count) of the epoch's sample `order`, the first one for
/// training step `firstStep` of a run seeded with `seed`.
struct BatchPlan {
  const uint32_t *order = nullptr;
  uint32_t first = 0, count = 0;
  uint64_t seed = 0, firstStep = 0;
};

/// A prepared batch: `batch` images (when the runner reads them) and labels.
struct PreparedBatch {
  std::vector<int8_t> x;
  std::vector<uint8_t> labels;
};

class BatchFeeder {
public:
  /// \p images: gather and augment the images (a pipeline stage fed by
  /// another one only needs the labels). \p ahead: prepare the batches of
  /// the next chunk on a helper thread.
  BatchFeeder(const NormalizedSet &train, const ModelInfo &info, bool images,
              bool ahead);
  ~BatchFeeder();
  BatchFeeder(const BatchFeeder &) = delete;
  BatchFeeder &operator=(const BatchFeeder &) = delete;

  /// Starts a plan (ending the previous one). The plan's `order` must stay
  /// as it is until stop().
  void start(const BatchPlan &plan);
  /// The plan's next batch; valid until the next call. At most `count`
  /// calls per plan.
  const PreparedBatch &next();
  /// Ends the plan: waits for the helper, which then no longer reads
  /// `order`. The loop may stop early (-max-steps, an overflow).
  void stop();

  bool preparesAhead() const { return helper != nullptr; }
  /// Batches per chunk (1 without a helper).
  uint32_t chunkBatches() const { return chunk; }

private:
  struct Slot {
    PreparedBatch batch;
    std::vector<int8_t> scratch; // intc_augment_batch's.
  };
  void fill(Slot &slot, uint32_t planIndex) const;
  /// Fills the slots of chunk \p k (its batches that are in the plan).
  void fillChunk(uint32_t k);
  void prefetchImage(uint32_t sample) const;
  void prefetchImages(uint32_t planIndex) const;

  const NormalizedSet &train;
  const ModelInfo &info;
  const bool images;
  uint32_t chunk = 1;
  std::vector<Slot> slots; // 2 * chunk: chunk k uses set k % 2.
  BatchPlan plan;
  uint32_t taken = 0; // Batches of the plan given out so far.
  std::unique_ptr<llvm::DefaultThreadPool> helper;
  std::shared_future<void> pending; // valid() while the helper fills a chunk.
};

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_BATCHFEEDER_H
