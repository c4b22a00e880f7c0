//===- InitTest.cpp - ALGORITHM.md §5 -------------------------------------===//

#include "runtime/c/intc_init.h"
#include "runtime/c/intc_rng.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

TEST(Init, IntSqrtIsFloorSqrt) {
  for (int64_t N = 0; N < 5000; ++N) {
    const int64_t R = intc_int_sqrt(N);
    EXPECT_LE(R * R, N);
    EXPECT_GT((R + 1) * (R + 1), N);
  }
  EXPECT_EQ(intc_int_sqrt(INT64_C(1) << 62), INT64_C(1) << 31);
  EXPECT_EQ(intc_int_sqrt(INT64_MAX), INT64_C(3037000499));
}

TEST(Init, KaimingLeakyBoundsTable) {
  // §5: fan_in -> bound (gain slope hard-coded to 4).
  const int64_t Fan[] = {9,    27,   50,   100,  200,  512,  784, 1024,
                         1152, 2304, 3000, 3072, 3584, 4096, 4608};
  const int32_t Want[] = {64, 60, 43, 30, 21, 13, 10, 9, 9, 6, 5, 5, 5, 4, 4};
  for (int I = 0; I < 15; ++I)
    EXPECT_EQ(intc_init_bound(INTC_INIT_KAIMING_LEAKY_RELU, Fan[I], 10,
                              INTC_INIT_REFERENCE_GAIN_NSI),
              Want[I])
        << "fan_in " << Fan[I];
}

TEST(Init, OtherSchemes) {
  // 1414*128*1732 / (10 * 10^6) = 31.
  EXPECT_EQ(intc_init_bound(INTC_INIT_KAIMING_RELU, 100, 10, 4), 31);
  // 1667*128*2449 / (isqrt(110) = 10 * 10^6) = 52.
  EXPECT_EQ(intc_init_bound(INTC_INIT_XAVIER, 100, 10, 4), 52);
  // isqrt(64 * 32767 / 100 = 20970) = 144 -> cap 64; fan_in 4096: isqrt(511).
  EXPECT_EQ(intc_init_bound(INTC_INIT_STD, 100, 10, 4), 64);
  EXPECT_EQ(intc_init_bound(INTC_INIT_STD, 4096, 10, 4), 22);
  EXPECT_EQ(intc_init_bound(INTC_INIT_FIXED, 4096, 10, 4), 64);
  EXPECT_EQ(intc_init_bound(INTC_INIT_ZEROS, 4096, 10, 4), 0);
  EXPECT_EQ(intc_init_bound(INTC_INIT_ONES, 4096, 10, 4), 0);
  EXPECT_EQ(intc_init_bound(99, 4096, 10, 4), -1);
  EXPECT_EQ(intc_init_bound(INTC_INIT_KAIMING_LEAKY_RELU, 0, 10, 4), -1);
  EXPECT_EQ(intc_init_bound(INTC_INIT_KAIMING_LEAKY_RELU, 100, 10, 6), -1);
  // Another gain: nsi 20 -> 1412*128*1732/(10*10^6) = 31.
  EXPECT_EQ(intc_init_bound(INTC_INIT_KAIMING_LEAKY_RELU, 100, 10, 20), 31);
}

TEST(Init, GainTable) {
  const int32_t Nsi[] = {3, 4, 5, 7, 8, 10, 15, 16, 20};
  const int32_t Gain[] = {1342, 1372, 1387, 1400, 1403, 1407, 1411, 1411, 1412};
  for (int I = 0; I < 9; ++I)
    EXPECT_EQ(intc_kaiming_leaky_gain(Nsi[I]), Gain[I]);
  EXPECT_EQ(intc_kaiming_leaky_gain(6), 0);
}

TEST(Init, UniformDrawDefinitionAndRange) {
  std::vector<int32_t> W(20000);
  intc_init_uniform(W.data(), (int64_t)W.size(), 10, 42, 3);
  const uint64_t Key = intc_rng_key(42, INTC_RNG_STREAM_INIT + 3);
  int Lo = 0, Hi = 0;
  for (size_t I = 0; I < W.size(); ++I) {
    EXPECT_EQ(W[I], (int32_t)intc_rng_below(intc_rng_u64(Key, I), 21) - 10);
    Lo += W[I] == -10;
    Hi += W[I] == 10;
  }
  EXPECT_GT(Lo, 800); // both ends are reachable, about 952 each
  EXPECT_GT(Hi, 800);
  // Pinned first draws for seed 42, tensor 0, bound 64.
  int32_t First[8];
  intc_init_uniform(First, 8, 64, 42, 0);
  const int32_t Want[8] = {-26, -37, -10, 37, -14, -28, 12, -11};
  for (int I = 0; I < 8; ++I)
    EXPECT_EQ(First[I], Want[I]);
}

TEST(Init, TensorSchemes) {
  int32_t W[4];
  intc_init_tensor(INTC_INIT_ZEROS, W, 4, 0, 1, 0);
  for (int32_t V : W)
    EXPECT_EQ(V, 0);
  intc_init_tensor(INTC_INIT_ONES, W, 4, 0, 1, 0);
  for (int32_t V : W)
    EXPECT_EQ(V, 1);
}

} // namespace
