//===- DataTest.cpp - ALGORITHM.md §7 preprocessing -----------------------===//

#include "runtime/c/intc_data.h"
#include "runtime/c/intc_rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

namespace {

TEST(Data, Center) {
  EXPECT_EQ(intc_data_center(0), -128);
  EXPECT_EQ(intc_data_center(128), 0);
  EXPECT_EQ(intc_data_center(255), 127);
}

TEST(Data, StatsAndNormalizeSmallSet) {
  // 3 images, 2 channels, 4 pixels each.
  const uint8_t Img[24] = {
      128, 130, 140, 100, /* img0 ch0 */ 0,   0,   0,   0,   /* ch1 */
      129, 131, 127, 125, /* img1 ch0 */ 255, 255, 255, 255, /* ch1 */
      128, 128, 128, 128, /* img2 ch0 */ 10,  20,  30,  40};
  int32_t Mean[2], Mad[2];
  intc_data_stats(Img, nullptr, 3, 2, 4, INTC_DATA_STATS_LIMIT, Mean, Mad);
  // ch0 centred: 0 2 12 -28 | 1 3 -1 -3 | 0 0 0 0 -> sum -14, /12 = -1.
  EXPECT_EQ(Mean[0], -1);
  // |x + 1|: 1 3 13 27 | 2 4 0 2 | 1 1 1 1 -> 56 / 12 = 4.
  EXPECT_EQ(Mad[0], 4);
  // ch1 centred: -128 x4 | 127 x4 | -118 -108 -98 -88 -> sum -416, /12 = -34.
  EXPECT_EQ(Mean[1], -34);
  // |x + 34|: 94 x4 | 161 x4 | 84 74 64 54 -> 1296 / 12 = 108.
  EXPECT_EQ(Mad[1], 108);

  int8_t Out[24];
  intc_data_normalize(Img, Out, 3, 2, 4, Mean, Mad);
  // ch0: tdiv((x + 1) * 51, 4): x=0 -> 12; x=12 -> 165 -> clip 127;
  // x=-28 -> -344 -> clip -128; x=2 -> 38.
  EXPECT_EQ(Out[0], 12);
  EXPECT_EQ(Out[1], 38);
  EXPECT_EQ(Out[2], 127);
  EXPECT_EQ(Out[3], -128);
  // ch1: tdiv((x + 34) * 51, 108): -128 -> -4794 / 108 -> -44 (toward 0).
  EXPECT_EQ(Out[4], -44);
  EXPECT_EQ(Out[12], 76); // 161 * 51 / 108 = 76.03
}

TEST(Data, StatsUseTheFirstImagesOfTheOrder) {
  const uint8_t Img[3] = {138, 118, 255}; // centred 10, -10, 127
  const uint32_t Order[3] = {2, 0, 1};
  int32_t Mean, Mad;
  intc_data_stats(Img, Order, 3, 1, 1, 2, &Mean, &Mad);
  EXPECT_EQ(Mean, (127 + 10) / 2); // images 2 and 0 only
  EXPECT_EQ(Mad, (59 + 58) / 2);
  intc_data_stats(Img, nullptr, 3, 1, 1, 2, &Mean, &Mad);
  EXPECT_EQ(Mean, 0);
  EXPECT_EQ(Mad, 10);
}

TEST(Data, HistogramAndTableEqualThePerPixelFormulas) {
  // intc_data_stats sums a histogram and intc_data_normalize looks results
  // up in a table; both must equal ALGORITHM.md §7 pixel by pixel, for
  // random images (3 channels of different spreads, a shuffled order, a
  // limit below the image count) and any mean / MAD.
  const int64_t N = 300, C = 3, HW = 49, Limit = 250;
  std::vector<uint8_t> Img(N * C * HW);
  uint64_t Key = intc_rng_key(5, 0x7a7);
  for (size_t I = 0; I < Img.size(); ++I) {
    // Channel 0 spans 0..255, channels 1 and 2 a few values around 100.
    const uint64_t Ch = (I / HW) % C, R = intc_rng_u64(Key, I);
    Img[I] = Ch == 0 ? uint8_t(intc_rng_below(R, 256))
                     : uint8_t(100 + intc_rng_below(R, Ch == 1 ? 17 : 3));
  }
  std::vector<uint32_t> Order(N);
  intc_data_shuffle_load(Order.data(), N, 9);
  int32_t Mean[3], Mad[3];
  intc_data_stats(Img.data(), Order.data(), N, C, HW, Limit, Mean, Mad);
  for (int64_t Ch = 0; Ch < C; ++Ch) {
    int64_t Sum = 0, AbsSum = 0, Count = Limit * HW;
    for (int64_t I = 0; I < Limit; ++I)
      for (int64_t P = 0; P < HW; ++P)
        Sum += intc_data_center(Img[(Order[I] * C + Ch) * HW + P]);
    int32_t Mu = int32_t(Sum / Count);
    for (int64_t I = 0; I < Limit; ++I)
      for (int64_t P = 0; P < HW; ++P) {
        int32_t D = intc_data_center(Img[(Order[I] * C + Ch) * HW + P]) - Mu;
        AbsSum += D < 0 ? -D : D;
      }
    EXPECT_EQ(Mean[Ch], Mu) << "channel " << Ch;
    EXPECT_EQ(Mad[Ch], int32_t(AbsSum / Count)) << "channel " << Ch;
  }
  const int32_t Means[] = {Mean[0], -128, 127, 0, -37};
  const int32_t Mads[] = {Mad[0], 1, 0, 128, 7};
  for (int32_t M : Means)
    for (int32_t D : Mads) {
      int32_t Ms[3] = {M, Mean[1], M}, Ds[3] = {D, Mad[1], D};
      std::vector<int8_t> Out(Img.size());
      intc_data_normalize(Img.data(), Out.data(), N, C, HW, Ms, Ds);
      for (size_t I = 0; I < Img.size(); ++I) {
        int64_t Ch = (I / HW) % C;
        int32_t Num =
            (intc_data_center(Img[I]) - Ms[Ch]) * INTC_DATA_NORM_SCALE;
        int32_t Want =
            Ds[Ch] == 0 ? 0
                        : std::clamp(Num / Ds[Ch], int32_t(-128), int32_t(127));
        ASSERT_EQ(Out[I], Want)
            << "pixel " << I << ", mean " << M << ", mad " << D;
      }
    }
}

TEST(Data, ConstantChannelNormalizesToZero) {
  const uint8_t Img[4] = {7, 7, 7, 7};
  int32_t Mean, Mad;
  intc_data_stats(Img, nullptr, 1, 1, 4, 25000, &Mean, &Mad);
  EXPECT_EQ(Mad, 0);
  int8_t Out[4] = {1, 1, 1, 1};
  intc_data_normalize(Img, Out, 1, 1, 4, &Mean, &Mad);
  for (int8_t V : Out)
    EXPECT_EQ(V, 0);
}

TEST(Data, ShufflesArePermutationsAndPinned) {
  std::vector<uint32_t> P(10);
  intc_data_shuffle_load(P.data(), 10, 42);
  EXPECT_EQ(P, (std::vector<uint32_t>{8, 2, 5, 1, 0, 6, 3, 9, 4, 7}));
  intc_data_shuffle_epoch(P.data(), 10, 42, 1);
  EXPECT_EQ(P, (std::vector<uint32_t>{9, 5, 8, 7, 3, 0, 1, 2, 4, 6}));

  std::vector<uint32_t> Big(60000);
  intc_data_shuffle_load(Big.data(), 60000, 7);
  for (uint32_t E = 1; E <= 3; ++E) {
    std::vector<uint32_t> Prev = Big;
    intc_data_shuffle_epoch(Big.data(), 60000, 7, E);
    EXPECT_NE(Big, Prev);
    std::vector<uint32_t> Sorted = Big;
    std::sort(Sorted.begin(), Sorted.end());
    for (uint32_t I = 0; I < 60000; ++I)
      ASSERT_EQ(Sorted[I], I);
  }
  // Cumulative: epoch 2 shuffles the epoch-1 permutation, not the identity.
  std::vector<uint32_t> A(100), B(100);
  intc_data_shuffle_load(A.data(), 100, 3);
  B = A;
  intc_data_shuffle_epoch(A.data(), 100, 3, 1);
  intc_data_shuffle_epoch(A.data(), 100, 3, 2);
  intc_data_shuffle_epoch(B.data(), 100, 3, 2);
  EXPECT_NE(A, B);
  // Tiny sizes are fine.
  uint32_t One = 0;
  intc_shuffle(&One, 1, 1, 0);
  EXPECT_EQ(One, 0u);
  intc_shuffle(nullptr, 0, 1, 0);
}

TEST(Data, AugmentDrawsPinned) {
  const intc_augment_cfg Cifar = INTC_AUGMENT_CIFAR10;
  const intc_augment_draw D0 = intc_augment_params(Cifar, 42, 0);
  EXPECT_EQ(D0.crop, 1);
  EXPECT_EQ(D0.top, 6);
  EXPECT_EQ(D0.left, 7);
  EXPECT_EQ(D0.flip, 0);
  const intc_augment_draw D4 = intc_augment_params(Cifar, 42, 4);
  EXPECT_EQ(D4.crop, 0);
  EXPECT_EQ(D4.top, 0);
  EXPECT_EQ(D4.left, 0);
  // The flip bit is drawn at counter step * 4 + 3.
  const uint64_t Key = intc_rng_key(42, INTC_RNG_STREAM_AUGMENT);
  int Flips = 0;
  for (uint64_t S = 0; S < 1000; ++S) {
    const intc_augment_draw D = intc_augment_params(Cifar, 42, S);
    EXPECT_EQ(D.flip, (int32_t)intc_rng_below(intc_rng_u64(Key, S * 4 + 3), 2));
    EXPECT_LE(D.top, 8);
    Flips += D.flip;
    const intc_augment_cfg Mnist = INTC_AUGMENT_MNIST;
    EXPECT_EQ(intc_augment_params(Mnist, 42, S).flip, 0);
    EXPECT_LE(intc_augment_params(Mnist, 42, S).top, 4);
  }
  EXPECT_NEAR(Flips, 500, 60);
}

// Literal crop-then-flip on an explicitly padded copy.
std::vector<int8_t> naiveAugment(const std::vector<int8_t> &X, int B, int C,
                                 int H, int W, intc_augment_draw D, int P) {
  std::vector<int8_t> Out = X;
  const int8_t Mn = *std::min_element(X.begin(), X.end());
  if (D.crop) {
    const int Hp = H + 2 * P, Wp = W + 2 * P;
    for (int Pl = 0; Pl < B * C; ++Pl) {
      std::vector<int8_t> Pad((size_t)Hp * Wp, Mn);
      for (int I = 0; I < H; ++I)
        for (int J = 0; J < W; ++J)
          Pad[(size_t)(I + P) * Wp + J + P] = X[(size_t)Pl * H * W + I * W + J];
      for (int I = 0; I < H; ++I)
        for (int J = 0; J < W; ++J)
          Out[(size_t)Pl * H * W + I * W + J] =
              Pad[(size_t)(D.top + I) * Wp + D.left + J];
    }
  }
  if (D.flip) {
    std::vector<int8_t> In = Out;
    for (int Pl = 0; Pl < B * C; ++Pl)
      for (int I = 0; I < H; ++I)
        for (int J = 0; J < W; ++J)
          Out[(size_t)Pl * H * W + I * W + J] =
              In[(size_t)Pl * H * W + I * W + (W - 1 - J)];
  }
  return Out;
}

TEST(Data, AugmentBatchMatchesLiteralTransform) {
  const int B = 3, C = 2, H = 6, W = 5;
  std::vector<int8_t> X((size_t)B * C * H * W);
  for (size_t I = 0; I < X.size(); ++I)
    X[I] = (int8_t)((I * 29) % 200 - 90);
  std::vector<int8_t> Scratch(intc_augment_scratch_bytes(H, W));
  const intc_augment_cfg Cfg = {2, 1};
  int Crops = 0, Flips = 0;
  for (uint64_t Step = 0; Step < 40; ++Step) {
    std::vector<int8_t> Y = X;
    intc_augment_batch(Y.data(), B, C, H, W, Cfg, 9, Step, Scratch.data());
    const intc_augment_draw D = intc_augment_params(Cfg, 9, Step);
    Crops += D.crop;
    Flips += D.flip;
    EXPECT_EQ(Y, naiveAugment(X, B, C, H, W, D, 2)) << "step " << Step;
    // Deterministic.
    std::vector<int8_t> Y2 = X;
    intc_augment_batch(Y2.data(), B, C, H, W, Cfg, 9, Step, Scratch.data());
    EXPECT_EQ(Y, Y2);
  }
  EXPECT_GT(Crops, 5);
  EXPECT_GT(Flips, 5);
}

} // namespace
