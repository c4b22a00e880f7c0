//===- BatchFeeder.cpp - Training batches, the next ones prepared ahead ---===//

#include "runtime/host/BatchFeeder.h"

#include "runtime/c/intc_data.h"

#include <algorithm>
#include <cassert>
#include <cstring>

using namespace intc::host;

/// A chunk's images take at most this much memory (two chunks are held), and
/// at most kMaxChunk batches: enough to make the hand-over rare.
static constexpr int64_t kChunkBytes = 4 << 20;
static constexpr int64_t kMaxChunk = 8;
/// Images fetched ahead of the one being normalised.
static constexpr uint32_t kPrefetchImages = 4;

BatchFeeder::BatchFeeder(const NormalizedSet &train, const ModelInfo &info,
                         bool images, bool ahead)
    : train(train), info(info), images(images) {
  const int64_t batchBytes =
      std::max<int64_t>(int64_t(info.batch) * info.imageBytes(), 1);
  if (ahead)
    chunk =
        uint32_t(std::clamp<int64_t>(kChunkBytes / batchBytes, 1, kMaxChunk));
  slots.resize(2 * size_t(chunk));
  // x is there even when it is not filled: the runner takes its address.
  for (Slot &slot : slots) {
    slot.batch.x.resize(size_t(info.batch) * info.imageBytes());
    slot.batch.labels.resize(info.batch);
    if (images)
      slot.scratch.resize(intc_augment_scratch_bytes(info.h, info.w));
  }
  // One thread: it fills one chunk at a time.
  if (ahead)
    helper = std::make_unique<llvm::DefaultThreadPool>(
        llvm::hardware_concurrency(1));
}

BatchFeeder::~BatchFeeder() { stop(); }

void BatchFeeder::fill(Slot &slot, uint32_t planIndex) const {
  const uint32_t batch = info.batch;
  const int64_t imageBytes = info.imageBytes();
  const uint32_t *samples = plan.order + size_t(plan.first + planIndex) * batch;
  // The images sit at random places of the training set (and of a mapped
  // cache entry, in 4 KB pages): fetch a few ahead, into the next batch's,
  // so that normalising one does not wait on memory (without it the wait
  // was ~6% of an MLP1 epoch's samples).
  const uint32_t lookahead = planIndex + 1 < plan.count ? 2 * batch : batch;
  for (uint32_t j = 0; j < batch; ++j) {
    if (images && j + kPrefetchImages < lookahead)
      prefetchImage(samples[j + kPrefetchImages]);
    if (images)
      train.copyImages(samples[j], 1,
                       slot.batch.x.data() + size_t(j) * imageBytes);
    slot.batch.labels[j] = train.labels[samples[j]];
  }
  if (images && (info.augmentCrop > 0 || info.augmentFlip))
    intc_augment_batch(
        slot.batch.x.data(), int32_t(batch), int32_t(info.c), int32_t(info.h),
        int32_t(info.w), {int32_t(info.augmentCrop), info.augmentFlip ? 1 : 0},
        plan.seed, plan.firstStep + planIndex, slot.scratch.data());
}

void BatchFeeder::fillChunk(uint32_t k) {
  const uint32_t begin = k * chunk;
  const uint32_t end = std::min(begin + chunk, plan.count);
  for (uint32_t i = begin; i < end; ++i)
    fill(slots[size_t(k % 2) * chunk + (i - begin)], i);
}

void BatchFeeder::prefetchImage(uint32_t sample) const {
  const char *image = reinterpret_cast<const char *>(train.rawImage(sample));
  for (int64_t off = 0; off < info.imageBytes(); off += 64)
    __builtin_prefetch(image + off);
}

void BatchFeeder::prefetchImages(uint32_t planIndex) const {
  const uint32_t *samples =
      plan.order + size_t(plan.first + planIndex) * info.batch;
  for (uint32_t j = 0; j < info.batch; ++j)
    prefetchImage(samples[j]);
}

void BatchFeeder::start(const BatchPlan &next) {
  stop();
  plan = next;
}

void BatchFeeder::stop() {
  if (pending.valid())
    pending.wait();
  pending = {};
  plan = BatchPlan();
  taken = 0;
}

const PreparedBatch &BatchFeeder::next() {
  assert(taken < plan.count && "more batches taken than the plan has");
  const uint32_t i = taken++;
  const uint32_t k = i / chunk;
  Slot &slot = slots[size_t(k % 2) * chunk + i % chunk];
  if (!helper) {
    fill(slot, i);
    // Start fetching the next batch's images now: they sit at random places
    // of the training set, and its gather would otherwise wait on memory (it
    // was ~9% of an MLP1 epoch).
    if (images && i + 1 < plan.count)
      prefetchImages(i + 1);
    return slot.batch;
  }
  if (i % chunk == 0) {
    // Chunk k was posted when chunk k - 1 began (not for the first chunk).
    if (pending.valid()) {
      pending.wait();
      pending = {};
    } else {
      fillChunk(k);
    }
    // The other set's batches were all taken, and their steps are done.
    if ((k + 1) * chunk < plan.count)
      pending = helper->async([this, k] { fillChunk(k + 1); });
  }
  return slot.batch;
}
