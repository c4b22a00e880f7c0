//===- RngTest.cpp - the counter-based integer RNG ------------------------===//
//
// Known answers were computed once with an independent implementation of the
// definition in intc_rng.h and pinned here: any change to the generator is a
// change to every target's training results.
//
//===----------------------------------------------------------------------===//

#include "runtime/c/intc_rng.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

TEST(Rng, Mix64KnownAnswers) {
  EXPECT_EQ(intc_rng_mix64(0), UINT64_C(0));
  EXPECT_EQ(intc_rng_mix64(1), UINT64_C(0x5692161d100b05e5));
  // key 0, counter 0 is SplitMix64's first output for seed 0.
  EXPECT_EQ(intc_rng_u64(0, 0), UINT64_C(0xe220a8397b1dcdaf));
}

TEST(Rng, KeyAndCounterKnownAnswers) {
  EXPECT_EQ(intc_rng_key(0, 0), UINT64_C(0x8359fff62713a185));
  const uint64_t Key = intc_rng_key(42, INTC_RNG_STREAM_INIT);
  EXPECT_EQ(Key, UINT64_C(0x5a288842acb9ab64));
  EXPECT_EQ(intc_rng_u64(Key, 0), UINT64_C(0x4cdebe1660d83a51));
  EXPECT_EQ(intc_rng_u64(Key, 1), UINT64_C(0x36052f9fa79b4172));
  EXPECT_EQ(intc_rng_u64(Key, 2), UINT64_C(0x6c1e30ef08426811));
}

TEST(Rng, ExternCopiesMatchInline) {
  for (uint64_t S = 0; S < 50; ++S) {
    const uint64_t K = intc_rng_key(S * 977, S + INTC_RNG_STREAM_DROPOUT);
    EXPECT_EQ(intc_rng_key_extern(S * 977, S + INTC_RNG_STREAM_DROPOUT), K);
    EXPECT_EQ(intc_rng_u64_extern(K, S), intc_rng_u64(K, S));
    EXPECT_EQ(intc_rng_below_extern(intc_rng_u64(K, S), 1000),
              intc_rng_below(intc_rng_u64(K, S), 1000));
  }
}

TEST(Rng, Deterministic) {
  const uint64_t K1 = intc_rng_key(7, INTC_RNG_STREAM_AUGMENT);
  const uint64_t K2 = intc_rng_key(7, INTC_RNG_STREAM_AUGMENT);
  EXPECT_EQ(K1, K2);
  for (uint64_t C = 0; C < 100; ++C)
    EXPECT_EQ(intc_rng_u64(K1, C), intc_rng_u64(K2, C));
  // Different seeds, streams and counters give different values.
  EXPECT_NE(intc_rng_key(7, INTC_RNG_STREAM_AUGMENT),
            intc_rng_key(8, INTC_RNG_STREAM_AUGMENT));
  EXPECT_NE(intc_rng_key(7, INTC_RNG_STREAM_INIT),
            intc_rng_key(7, INTC_RNG_STREAM_INIT + 1));
  EXPECT_NE(intc_rng_u64(K1, 0), intc_rng_u64(K1, 1));
}

TEST(Rng, BelowRangeAndEdges) {
  EXPECT_EQ(intc_rng_below(UINT64_MAX, 1), 0u);
  EXPECT_EQ(intc_rng_below(UINT64_MAX, 1000), 999u);
  EXPECT_EQ(intc_rng_below(0, 1000), 0u);
  // n = 2^32 returns the high 32 bits unchanged.
  EXPECT_EQ(intc_rng_below(UINT64_C(0xdeadbeef00000000), UINT64_C(1) << 32),
            0xdeadbeefu);
  const uint64_t K = intc_rng_key(1, 2);
  for (uint64_t C = 0; C < 10000; ++C)
    EXPECT_LT(intc_rng_below(intc_rng_u64(K, C), 7), 7u);
}

TEST(Rng, BelowIsRoughlyUniform) {
  const uint64_t K = intc_rng_key(123, INTC_RNG_STREAM_DROPOUT);
  const int N = 200000, Bins = 10;
  std::vector<int> Hist(Bins, 0);
  for (int C = 0; C < N; ++C)
    ++Hist[intc_rng_below(intc_rng_u64(K, C), Bins)];
  for (int B = 0; B < Bins; ++B) {
    EXPECT_GT(Hist[B], N / Bins * 97 / 100) << "bin " << B;
    EXPECT_LT(Hist[B], N / Bins * 103 / 100) << "bin " << B;
  }
  // Keep rate of a 150-permille dropout mask.
  int Kept = 0;
  for (int C = 0; C < N; ++C)
    Kept += intc_rng_below(intc_rng_u64(K, C), 1000) >= 150;
  EXPECT_NEAR(Kept, N * 85 / 100, N / 100);
}

TEST(Rng, StreamsAreDisjoint) {
  EXPECT_EQ(INTC_RNG_STREAM_INIT + INTC_RNG_STREAM_INDEX_LIMIT,
            INTC_RNG_STREAM_DATA_SHUFFLE);
  EXPECT_EQ(INTC_RNG_STREAM_DROPOUT + INTC_RNG_STREAM_INDEX_LIMIT,
            INTC_RNG_STREAM_AUGMENT);
  EXPECT_EQ(INTC_RNG_STREAM_EPOCH_SHUFFLE, UINT64_C(0x300));
}

} // namespace
