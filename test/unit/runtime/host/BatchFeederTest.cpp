//===- BatchFeederTest.cpp - Batches prepared ahead equal those made now --===//

#include "runtime/host/BatchFeeder.h"

#include "runtime/c/intc_data.h"

#include "gtest/gtest.h"

#include <cstring>
#include <memory>
#include <numeric>

using namespace intc::host;

namespace {

/// A small augmented dataset: 3x8x8 images, crop pad 2 and flips.
struct Fixture {
  ModelInfo info;
  NormalizedSet train;
  std::shared_ptr<std::vector<uint8_t>> raw; // train's images
  std::vector<uint32_t> order;

  explicit Fixture(uint32_t n = 40) {
    info.c = 3;
    info.h = 8;
    info.w = 8;
    info.batch = 4;
    info.augmentCrop = 2;
    info.augmentFlip = true;
    train.n = n;
    std::vector<uint8_t> bytes(size_t(n) * info.imageBytes());
    for (size_t i = 0; i < bytes.size(); ++i)
      bytes[i] = uint8_t(i * 37 + i / 5);
    setImages(std::move(bytes));
    train.labels.resize(n);
    for (uint32_t i = 0; i < n; ++i)
      train.labels[i] = uint8_t(i % 10);
    order.resize(n);
    std::iota(order.begin(), order.end(), 0u);
    intc_data_shuffle_load(order.data(), n, 7);
  }

  /// The images of the set: \p bytes, "normalised" to int8(byte) by an
  /// identity table, so that the expected batches need no normalisation.
  void setImages(std::vector<uint8_t> bytes) {
    auto owned = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
    raw = owned;
    train.imageBytes = info.imageBytes();
    train.raw = std::shared_ptr<const uint8_t>(owned, owned->data());
    train.channels = int32_t(info.c);
    train.planeBytes = int64_t(info.h) * info.w;
    train.table.resize(size_t(info.c) * 256);
    for (size_t i = 0; i < train.table.size(); ++i)
      train.table[i] = int8_t(uint8_t(i % 256));
  }

  BatchPlan plan(uint32_t first, uint32_t count, uint64_t firstStep) const {
    return {order.data(), first, count, 7, firstStep};
  }

  /// Batch b for step `step`, as the loop made it before the feeder: the
  /// gather in order, then the augmentation.
  PreparedBatch expected(uint32_t b, uint64_t step) const {
    PreparedBatch out;
    out.x.resize(size_t(info.batch) * info.imageBytes());
    out.labels.resize(info.batch);
    for (uint32_t j = 0; j < info.batch; ++j) {
      uint32_t sample = order[size_t(b) * info.batch + j];
      std::memcpy(out.x.data() + size_t(j) * info.imageBytes(),
                  raw->data() + size_t(sample) * info.imageBytes(),
                  size_t(info.imageBytes()));
      out.labels[j] = train.labels[sample];
    }
    std::vector<int8_t> scratch(intc_augment_scratch_bytes(info.h, info.w));
    intc_augment_batch(out.x.data(), int32_t(info.batch), int32_t(info.c),
                       int32_t(info.h), int32_t(info.w),
                       {int32_t(info.augmentCrop), 1}, 7, step, scratch.data());
    return out;
  }
};

void expectBatch(const PreparedBatch &got, const PreparedBatch &want) {
  EXPECT_EQ(got.x, want.x);
  EXPECT_EQ(got.labels, want.labels);
}

// Every batch of an epoch is what the loop made before the feeder, whether
// it prepares them ahead or not, with chunks of one batch or several; the
// steps (and so the augmentation draws) continue from an earlier epoch's.
TEST(BatchFeederTest, AheadAndInlineGiveTheLoopsBatches) {
  for (int64_t images : {40, 400}) {
    Fixture f{uint32_t(images)};
    const uint32_t batches = f.train.n / f.info.batch;
    for (bool ahead : {false, true}) {
      BatchFeeder feeder(f.train, f.info, /*images=*/true, ahead);
      EXPECT_EQ(feeder.preparesAhead(), ahead);
      EXPECT_EQ(feeder.chunkBatches(), ahead ? 8u : 1u);
      // A whole epoch, then one resumed in its middle.
      feeder.start(f.plan(0, batches, 100));
      for (uint32_t b = 0; b < batches; ++b)
        expectBatch(feeder.next(), f.expected(b, 100 + b));
      feeder.start(f.plan(3, batches - 3, 500));
      for (uint32_t b = 3; b < batches; ++b)
        expectBatch(feeder.next(), f.expected(b, 500 + b - 3));
      feeder.stop();
    }
  }
}

// The loop may stop a plan early (-max-steps, an overflow) and change the
// order for the next epoch: nothing prepared for the old plan is given out.
TEST(BatchFeederTest, StoppedEarly) {
  Fixture f(400);
  BatchFeeder feeder(f.train, f.info, /*images=*/true, /*ahead=*/true);
  feeder.start(f.plan(0, 100, 0));
  for (uint32_t b = 0; b < 9; ++b) // Into the second chunk.
    feeder.next();
  feeder.stop();
  intc_data_shuffle_epoch(f.order.data(), f.train.n, 7, 1);
  feeder.start(f.plan(9, 20, 9));
  for (uint32_t b = 9; b < 29; ++b)
    expectBatch(feeder.next(), f.expected(b, b));
}

// Large images make chunks of fewer batches (two chunks are held).
TEST(BatchFeederTest, ChunkBoundedByBytes) {
  Fixture f(8);
  f.info.c = 3;
  f.info.h = 256;
  f.info.w = 256;
  f.info.augmentCrop = 0;
  f.info.augmentFlip = false;
  f.info.batch = 32; // 6 MB per batch.
  f.setImages(std::vector<uint8_t>(size_t(f.train.n) * f.info.imageBytes(), 1));
  BatchFeeder feeder(f.train, f.info, /*images=*/true, /*ahead=*/true);
  EXPECT_EQ(feeder.chunkBatches(), 1u);
}

// A stage that does not read the images still gets the labels.
TEST(BatchFeederTest, LabelsOnly) {
  Fixture f(400);
  BatchFeeder feeder(f.train, f.info, /*images=*/false, /*ahead=*/true);
  feeder.start(f.plan(0, 20, 0));
  for (uint32_t b = 0; b < 20; ++b) {
    const PreparedBatch &got = feeder.next();
    EXPECT_EQ(got.labels, f.expected(b, b).labels);
    EXPECT_EQ(got.x.size(), size_t(f.info.batch) * f.info.imageBytes());
  }
}

} // namespace
