//===- GemmEmulationTest.cpp - runtime/cuda's exact GEMM vs runtime/c -----===//
//
// The tensor-core kernels cannot run here (no GPU), so their arithmetic is
// tested through intc_cuda_emulate: the same staging, limb split, fragment
// addressing, chunked int32 accumulation, fallback and split-K, with mma.sync
// emulated from the PTX ISA's fragment table. Every result must equal the
// runtime/c reference exactly.
//
//===----------------------------------------------------------------------===//

#include "runtime/c/intc_kernels.h"
#include "runtime/cuda/intc_cuda_emulate.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

using namespace intc_cuda;

namespace {

std::mt19937_64 &rng() {
  static std::mt19937_64 r(0x1a2b3c);
  return r;
}
int32_t uniform(int32_t lo, int32_t hi) {
  return std::uniform_int_distribution<int32_t>(lo, hi)(rng());
}
template <class T> std::vector<T> randomVec(size_t n, int32_t lo, int32_t hi) {
  std::vector<T> v(n);
  for (T &e : v)
    e = T(uniform(lo, hi));
  return v;
}

/// Activations as the step produces them: int8 in [-128, 127], int16 after
/// dropout (any int16 here, to cover both limbs).
template <class XT> std::vector<XT> activations(size_t n) {
  return sizeof(XT) == 1 ? randomVec<XT>(n, -128, 127)
                         : randomVec<XT>(n, -32768, 32767);
}

struct LinCase {
  int32_t batch, in, out, wMax, splits;
};

/// The weights (forward) and the deltas (weight gradient) are drawn from
/// [-wMax, wMax]; each call falls back when any value exceeds its limbs.
template <class XT> void checkLinear(const LinCase &c) {
  const bool fwdFallback = c.wMax >= (1 << 15);
  const bool wgradFallback = c.wMax >= (1 << 23);
  SCOPED_TRACE(::testing::Message()
               << "batch " << c.batch << " in " << c.in << " out " << c.out
               << " |w| <= " << c.wMax << " splits " << c.splits << " x"
               << 8 * sizeof(XT));
  auto x = activations<XT>(size_t(c.batch) * c.in);
  auto w = randomVec<int32_t>(size_t(c.out) * c.in, -c.wMax, c.wMax);
  auto d = randomVec<int32_t>(size_t(c.batch) * c.out, -c.wMax, c.wMax);
  std::vector<int64_t> zRef(size_t(c.batch) * c.out), gRef(w.size());
  if constexpr (sizeof(XT) == 1) {
    intc_linear_fwd_i8(x.data(), w.data(), zRef.data(), c.batch, c.in, c.out);
    intc_linear_wgrad_i8(d.data(), x.data(), gRef.data(), c.batch, c.in, c.out);
  } else {
    intc_linear_fwd_i16(x.data(), w.data(), zRef.data(), c.batch, c.in, c.out);
    intc_linear_wgrad_i16(d.data(), x.data(), gRef.data(), c.batch, c.in,
                          c.out);
  }
  // Accumulating: start from a non-zero output and add the reference.
  std::vector<int64_t> z(zRef.size(), 7), g(gRef.size(), -3);
  for (auto &v : zRef)
    v += 7;
  for (auto &v : gRef)
    v -= 3;

  GemmParams p{};
  p.x = x.data();
  p.w = w.data();
  p.out = z.data();
  p.M = c.batch, p.N = c.out, p.K = c.in;
  p.B = c.batch, p.IN = c.in, p.OUT = c.out;
  uint64_t fb = emulateGemm(kLinFwd, sizeof(XT), p, c.splits);
  EXPECT_EQ(z, zRef) << "linear forward";
  EXPECT_EQ(fb > 0, fwdFallback);

  p.d = d.data();
  p.out = g.data();
  p.M = c.out, p.N = c.in, p.K = c.batch;
  fb = emulateGemm(kLinWgrad, sizeof(XT), p, c.splits);
  EXPECT_EQ(g, gRef) << "linear weight gradient";
  EXPECT_EQ(fb > 0, wgradFallback);
}

struct ConvCase {
  int32_t batch, c, h, w, f, k, pad, wMax, splits;
};

template <class XT> void checkConv(const ConvCase &c) {
  SCOPED_TRACE(::testing::Message()
               << "conv batch " << c.batch << " C " << c.c << " " << c.h << "x"
               << c.w << " F " << c.f << " k " << c.k << " pad " << c.pad
               << " splits " << c.splits << " x" << 8 * sizeof(XT));
  const int32_t hp = c.h + 2 * c.pad, wp = c.w + 2 * c.pad;
  const int32_t ho = hp - c.k + 1, wo = wp - c.k + 1;
  auto x = activations<XT>(size_t(c.batch) * c.c * c.h * c.w);
  auto w = randomVec<int32_t>(size_t(c.f) * c.c * c.k * c.k, -c.wMax, c.wMax);
  auto d = randomVec<int32_t>(size_t(c.batch) * c.f * ho * wo, -c.wMax, c.wMax);
  std::vector<XT> xp(size_t(c.batch) * c.c * hp * wp, 0);
  for (int32_t m = 0; m < c.batch * c.c; ++m)
    for (int32_t i = 0; i < c.h; ++i)
      for (int32_t j = 0; j < c.w; ++j)
        xp[(size_t(m) * hp + i + c.pad) * wp + j + c.pad] =
            x[(size_t(m) * c.h + i) * c.w + j];
  std::vector<int64_t> zRef(d.size()), gRef(w.size());
  if constexpr (sizeof(XT) == 1) {
    intc_conv2d_fwd_i8(x.data(), w.data(), zRef.data(), c.batch, c.c, c.h, c.w,
                       c.f, c.k, c.pad);
    intc_conv2d_wgrad_i8(d.data(), x.data(), gRef.data(), c.batch, c.c, c.h,
                         c.w, c.f, c.k, c.pad);
  } else {
    intc_conv2d_fwd_i16(x.data(), w.data(), zRef.data(), c.batch, c.c, c.h, c.w,
                        c.f, c.k, c.pad);
    intc_conv2d_wgrad_i16(d.data(), x.data(), gRef.data(), c.batch, c.c, c.h,
                          c.w, c.f, c.k, c.pad);
  }
  std::vector<int64_t> z(zRef.size(), 0), g(gRef.size(), 0);
  GemmParams p{};
  p.x = xp.data();
  p.w = w.data();
  p.d = d.data();
  p.C = c.c, p.Hp = hp, p.Wp = wp, p.F = c.f, p.KK = c.k, p.Ho = ho, p.Wo = wo;
  p.out = z.data();
  p.M = c.batch * ho * wo, p.N = c.f, p.K = c.c * c.k * c.k;
  emulateGemm(kConvFwd, sizeof(XT), p, c.splits);
  EXPECT_EQ(z, zRef) << "conv forward";
  p.out = g.data();
  p.M = c.f, p.N = c.c * c.k * c.k, p.K = c.batch * ho * wo;
  emulateGemm(kConvWgrad, sizeof(XT), p, c.splits);
  EXPECT_EQ(g, gRef) << "conv weight gradient";
}

} // namespace

TEST(CudaMma, EmulationMatchesAPlainProduct) {
  // One m16n8k32 from matrices written through the fragment addressing of
  // intc_cuda_gemm.h and read back through the PTX table in emulateMma.
  Tiles<1, 1> s{};
  int32_t A[16][32], B[32][8];
  for (int r = 0; r < 16; ++r)
    for (int k = 0; k < 32; ++k)
      s.a[0][r][k] = uint8_t(A[r][k] = uniform(-128, 127));
  for (int n = 0; n < 8; ++n)
    for (int k = 0; k < 32; ++k)
      s.b[0][n][k] = uint8_t(B[k][n] = uniform(-128, 127));
  uint32_t a[32][4], b[32][2];
  int32_t c[32][4] = {};
  for (int lane = 0; lane < 32; ++lane) {
    fragA(s, 0, lane, 0, 0, a[lane]);
    fragB(s, 0, lane, 0, 0, b[lane]);
  }
  emulateMma(a, b, c, true, true);
  for (int lane = 0; lane < 32; ++lane)
    for (int r = 0; r < 4; ++r) {
      int32_t want = 0;
      for (int k = 0; k < 32; ++k)
        want += A[fragCRow(lane, r)][k] * B[k][fragCCol(lane, r)];
      EXPECT_EQ(c[lane][r], want) << "lane " << lane << " reg " << r;
    }
}

TEST(CudaMma, LimbsRecomposeEveryInt16) {
  for (int32_t v = -32768; v <= 32767; ++v) {
    ASSERT_TRUE(fitsLimbs<2>(v));
    const int32_t lo = limbByte<2>(v, 0), hi = int8_t(limbByte<2>(v, 1));
    ASSERT_EQ(256 * hi + lo, v);
  }
  for (int32_t v : {-(1 << 23), -(1 << 23) + 1, -65536, -257, -1, 0, 255, 256,
                    65535, 65536, 1234567, (1 << 23) - 1}) {
    ASSERT_TRUE(fitsLimbs<3>(v)) << v;
    const int32_t l0 = limbByte<3>(v, 0), l1 = limbByte<3>(v, 1),
                  l2 = int8_t(limbByte<3>(v, 2));
    ASSERT_EQ(65536 * l2 + 256 * l1 + l0, v);
  }
  EXPECT_FALSE(fitsLimbs<3>(1 << 23));
  EXPECT_FALSE(fitsLimbs<3>(-(1 << 23) - 1));
  EXPECT_FALSE(fitsLimbs<2>(32768));
  EXPECT_FALSE(fitsLimbs<2>(-32769));
  EXPECT_FALSE(fitsLimbs<1>(128));
  EXPECT_TRUE(fitsLimbs<1>(-128));
}

TEST(CudaGemm, LinearInt8) {
  checkLinear<int8_t>({64, 100, 10, 32767, 1}); // MLP1's output layer
  checkLinear<int8_t>({5, 37, 70, 32767, 1});   // ragged edges
  checkLinear<int8_t>({64, 300, 65, 1000, 3});  // split K
}

TEST(CudaGemm, LinearInt16) {
  checkLinear<int16_t>({8, 130, 17, 32767, 1});
  checkLinear<int16_t>({64, 200, 9, 32767, 2});
}

TEST(CudaGemm, WideWeightsTakeTheExactFallback) {
  // Weights beyond two limbs; the deltas still fit their three.
  checkLinear<int8_t>({16, 70, 12, 1 << 20, 1});
  checkLinear<int16_t>({16, 70, 12, 40000, 2});
}

TEST(CudaGemm, DeltasOfThreeLimbs) {
  // Hidden deltas up to 2^23 - 1 stay on the tensor cores; larger ones
  // take the fallback, exactly.
  checkLinear<int8_t>({64, 100, 10, (1 << 23) - 1, 1});
  checkLinear<int16_t>({8, 130, 17, (1 << 23) - 1, 2});
  checkLinear<int8_t>({16, 70, 12, 1 << 24, 1});
}

TEST(CudaGemm, ChunkedInt32AccumulatorsDoNotOverflow) {
  // 34000 terms of 255 x 255 (the u8 x u8 limb pair) sum to 2.2e9 > 2^31:
  // exact only because the int32 accumulators are flushed every 2^15 terms.
  const int32_t in = 34000; // > 2^31 / 65025 = 33025
  std::vector<int16_t> x(in, 255);
  std::vector<int32_t> w(in, 255);
  std::vector<int64_t> z(1, 0);
  GemmParams p{};
  p.x = x.data();
  p.w = w.data();
  p.out = z.data();
  p.M = 1, p.N = 1, p.K = in, p.B = 1, p.IN = in, p.OUT = 1;
  EXPECT_EQ(emulateGemm(kLinFwd, 2, p, 1), 0u);
  EXPECT_EQ(z[0], int64_t(in) * 255 * 255);
  // The extremes of every limb: -32768 * -32768 summed 34000 times.
  std::vector<int16_t> xn(in, -32768);
  std::vector<int32_t> wn(in, -32768);
  z[0] = 0;
  p.x = xn.data();
  p.w = wn.data();
  EXPECT_EQ(emulateGemm(kLinFwd, 2, p, 1), 0u);
  EXPECT_EQ(z[0], int64_t(in) * 32768 * 32768);
}

TEST(CudaGemm, Conv) {
  checkConv<int8_t>({2, 3, 6, 5, 4, 3, 1, 32767, 1});
  checkConv<int8_t>({3, 5, 4, 4, 70, 3, 1, 5000, 2});
  checkConv<int16_t>({2, 2, 5, 5, 3, 3, 0, 32767, 1});
  checkConv<int8_t>({2, 2, 5, 5, 3, 1, 0, 1 << 18, 1});  // fallback, 1x1 conv
  checkConv<int16_t>({2, 3, 5, 5, 4, 3, 1, 1 << 24, 1}); // both fall back
}
