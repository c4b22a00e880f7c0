//===- TrainDataTest.cpp - The loop's data equals runtime/c's one pass ----===//

#include "runtime/host/TrainData.h"

#include "runtime/host/NormalizePlane.h"

#include "runtime/c/intc_data.h"

#include "gtest/gtest.h"

using namespace intc::host;

namespace {

ImageSet makeImages(uint32_t n, uint32_t c, uint32_t hw, uint32_t salt) {
  ImageSet set;
  set.n = n;
  set.c = c;
  set.h = hw;
  set.w = hw;
  set.pixels.resize(set.imageBytes() * n);
  uint32_t x = salt;
  for (uint8_t &p : set.pixels) {
    x = x * 1664525u + 1013904223u;
    p = uint8_t(x >> 24) / (1 + (x >> 30)); // Skewed, so MAD != 64.
  }
  set.labels.resize(n);
  for (uint32_t i = 0; i < n; ++i)
    set.labels[i] = uint8_t(i % 10);
  return set;
}

// prepareTrainData splits the statistics and the normalisation over threads
// and tasks of a few MB; with more images than the statistics limit and many
// tasks, it gives exactly what one pass of runtime/c gives.
TEST(TrainDataTest, ParallelPassesEqualOnePass) {
  const uint32_t c = 3, hw = 16, n = INTC_DATA_STATS_LIMIT + 3001;
  Dataset dataset;
  dataset.name = "synthetic";
  dataset.train = makeImages(n, c, hw, 1);
  dataset.test = makeImages(777, c, hw, 2);
  ModelInfo info;
  info.c = c;
  info.h = hw;
  info.w = hw;
  info.numClasses = 10;
  const uint64_t seed = 9;
  llvm::Expected<TrainData> data = prepareTrainData(dataset, info, seed);
  ASSERT_TRUE(bool(data)) << llvm::toString(data.takeError());

  std::vector<uint32_t> order(n);
  intc_data_shuffle_load(order.data(), n, seed);
  std::vector<int32_t> mean(c), mad(c);
  intc_data_stats(dataset.train.pixels.data(), order.data(), n, c, hw * hw,
                  INTC_DATA_STATS_LIMIT, mean.data(), mad.data());
  EXPECT_EQ(data->mean, mean);
  EXPECT_EQ(data->mad, mad);
  for (const auto &[raw, normalized] :
       {std::pair(&dataset.train, &data->train),
        std::pair(&dataset.test, &data->test)}) {
    std::vector<int8_t> want(raw->pixels.size());
    intc_data_normalize(raw->pixels.data(), want.data(), raw->n, c, hw * hw,
                        mean.data(), mad.data());
    std::vector<int8_t> got(want.size());
    normalized->copyImages(0, normalized->n, got.data());
    EXPECT_EQ(got, want);
    EXPECT_EQ(normalized->labels, raw->labels);
  }
}

// The SIMD division of a channel is only made when it equals the table for
// every pixel value; then a plane of any length (vector body and tail)
// normalises to exactly intc_data_normalize's bytes. Over every mean and
// the MADs that occur, typical statistics get one.
TEST(NormalizePlaneTest, DivisionEqualsTheTable) {
  std::vector<uint8_t> in(16 * 5 + 7);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = uint8_t(i * 97 + 13);
  in[0] = 0;
  in[1] = 255;
  int found = 0, tried = 0;
  for (int32_t mean = -128; mean <= 127; mean += 5)
    for (int32_t mad : {0, 1, 2, 3, 7, 20, 51, 55, 64, 100, 127, 200, 255}) {
      int8_t table[256];
      intc_data_norm_table(1, &mean, &mad, table);
      std::optional<PlaneDivision> d = planeDivision(table, mean, mad);
      ++tried;
      if (!d)
        continue;
      ++found;
      std::vector<int8_t> want(in.size()), got(in.size());
      intc_data_normalize(in.data(), want.data(), 1, 1, int64_t(in.size()),
                          &mean, &mad);
      normalizePlane(in.data(), got.data(), int64_t(in.size()), *d, table);
      ASSERT_EQ(got, want) << "mean " << mean << ", mad " << mad;
    }
  int32_t mean = -2, mad = 51; // CIFAR-10's first channel
  int8_t table[256];
  intc_data_norm_table(1, &mean, &mad, table);
  EXPECT_TRUE(planeDivision(table, mean, mad));
  EXPECT_FALSE(planeDivision(table, mean, 0));
  EXPECT_GT(found, tried / 2);
}

} // namespace
