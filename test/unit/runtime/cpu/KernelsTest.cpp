//===- KernelsTest.cpp - runtime/cpu microkernels vs runtime/c -----------===//
//
// Every dense runtime/cpu kernel is compared bit for bit with the runtime/c
// reference kernels (which compute z = ..., so the expected value is the
// pre-filled output plus the reference; the sparse conv weight gradient:
// SparseWgradTest.cpp), for every instruction set this CPU
// supports (INTC_CPU_ISA_SCALAR is the fast path forced off), for 1, 2 and 3
// threads with splitting forced on, on odd shapes, non-zero offsets and
// extreme values that force each fallback. Guard elements around every
// output must stay untouched.
//
//===----------------------------------------------------------------------===//

#include "KernelTestUtil.h"

#include "runtime/c/intc_kernels.h"

#include <cstdlib>

#include <unistd.h>

namespace {

using namespace intc_cpu_test;

// ---- linear --------------------------------------------------------------

// The weight gradient fused with its SGD update: the weights (garbage
// around them kept) equal runtime/c's intc_sgd_update of the reference
// gradient, for the divisors of NITRO-D (lr_inv 512 x lr_amp 640 and 1,
// after plateau steps x 3) and edge ones, with and without decay. The
// weights span int32, so some updates wrap.
template <typename X>
void checkLinearWgradSgd(Rng &R, int64_t B, int64_t In, int64_t Out,
                         const std::vector<X> &XBuf, int64_t XOff,
                         const std::vector<int32_t> &DBuf, int64_t DOff,
                         const std::vector<int64_t> &G) {
  const int64_t WOff = uniform(R, 0, 5);
  const int64_t Cases[][2] = {{512 * 640, 19000}, {512, 7500}, {1, 0},
                              {1536 * 640, 0},    {3, 1},      {7, 1 << 30}};
  for (const auto &Case : Cases) {
    const int64_t LrInv = Case[0], Decay = Case[1];
    SCOPED_TRACE("linear wgrad + sgd, div " + std::to_string(LrInv) +
                 " decay_inv " + std::to_string(Decay));
    auto Wv = values<int32_t>(R, Out * In, INT32_MIN, INT32_MAX);
    for (int64_t I = 0; I < Out * In; I += 3)
      Wv[I] = static_cast<int32_t>(uniform(R, -40000, 40000));
    auto Want = Wv;
    intc_sgd_update(Want.data(), G.data(), Out * In, LrInv, 1, Decay);
    const auto Init = withOffset(R, Wv, WOff, Guard);
    auto WantBuf = Init;
    std::copy(Want.begin(), Want.end(), WantBuf.begin() + WOff);
    for (const Config &C : configs()) {
      SCOPED_TRACE(C.name());
      ASSERT_EQ(intc_cpu_set_isa(C.Isa), C.Isa);
      ASSERT_EQ(intc_cpu_set_threads(C.Threads), C.Threads);
      auto W = Init;
      if constexpr (sizeof(X) == 1)
        intc_cpu_linear_wgrad_sgd_i8(DBuf.data(), DOff, XBuf.data(), XOff,
                                     W.data(), WOff, B, In, Out, LrInv, Decay);
      else
        intc_cpu_linear_wgrad_sgd_i16(DBuf.data(), DOff, XBuf.data(), XOff,
                                      W.data(), WOff, B, In, Out, LrInv, Decay);
      int64_t Bad = 0;
      for (size_t I = 0; I < W.size(); ++I)
        if (W[I] != WantBuf[I] && Bad++ < 5)
          ADD_FAILURE() << "element " << I << ": got " << W[I] << ", want "
                        << WantBuf[I];
      ASSERT_EQ(Bad, 0);
    }
  }
}

template <typename X>
void checkLinear(Rng &R, int64_t B, int64_t In, int64_t Out,
                 const std::vector<X> &Xv, const std::vector<int32_t> &Wv,
                 const std::vector<int32_t> &Dv) {
  SCOPED_TRACE("B=" + std::to_string(B) + " IN=" + std::to_string(In) +
               " OUT=" + std::to_string(Out));
  const int64_t XOff = uniform(R, 0, 7), WOff = uniform(R, 0, 5),
                DOff = uniform(R, 0, 5), OOff = uniform(R, 0, 3);
  const auto XBuf = withOffset(R, Xv, XOff);
  const auto WBuf = withOffset(R, Wv, WOff);
  const auto DBuf = withOffset(R, Dv, DOff);

  // Forward.
  {
    std::vector<int64_t> Ref(B * Out);
    if constexpr (sizeof(X) == 1)
      intc_linear_fwd_i8(Xv.data(), Wv.data(), Ref.data(), (int32_t)B,
                         (int32_t)In, (int32_t)Out);
    else
      intc_linear_fwd_i16(Xv.data(), Wv.data(), Ref.data(), (int32_t)B,
                          (int32_t)In, (int32_t)Out);
    const auto Init = withOffset(
        R, values<int64_t>(R, B * Out, -(INT64_C(1) << 40), INT64_C(1) << 40),
        OOff, Guard);
    auto Want = Init;
    for (int64_t I = 0; I < B * Out; ++I)
      Want[OOff + I] += Ref[I];
    SCOPED_TRACE("linear fwd");
    forEachConfig(Init, Want, [&](int64_t *Z) {
      if constexpr (sizeof(X) == 1)
        intc_cpu_linear_acc_i8(XBuf.data(), XOff, WBuf.data(), WOff, Z, OOff, B,
                               In, Out);
      else
        intc_cpu_linear_acc_i16(XBuf.data(), XOff, WBuf.data(), WOff, Z, OOff,
                                B, In, Out);
    });
  }
  // Weight gradient.
  {
    std::vector<int64_t> Ref(Out * In);
    if constexpr (sizeof(X) == 1)
      intc_linear_wgrad_i8(Dv.data(), Xv.data(), Ref.data(), (int32_t)B,
                           (int32_t)In, (int32_t)Out);
    else
      intc_linear_wgrad_i16(Dv.data(), Xv.data(), Ref.data(), (int32_t)B,
                            (int32_t)In, (int32_t)Out);
    const auto Init = withOffset(
        R, values<int64_t>(R, Out * In, -(INT64_C(1) << 40), INT64_C(1) << 40),
        OOff, Guard);
    auto Want = Init;
    for (int64_t I = 0; I < Out * In; ++I)
      Want[OOff + I] += Ref[I];
    SCOPED_TRACE("linear wgrad");
    forEachConfig(Init, Want, [&](int64_t *G) {
      if constexpr (sizeof(X) == 1)
        intc_cpu_linear_wgrad_acc_i8(DBuf.data(), DOff, XBuf.data(), XOff, G,
                                     OOff, B, In, Out);
      else
        intc_cpu_linear_wgrad_acc_i16(DBuf.data(), DOff, XBuf.data(), XOff, G,
                                      OOff, B, In, Out);
    });
    // The overwriting variant: the same sums over garbage, the guards kept.
    auto Set = Init;
    for (int64_t I = 0; I < Out * In; ++I)
      Set[OOff + I] = Ref[I];
    SCOPED_TRACE("linear wgrad, overwriting");
    forEachConfig(Init, Set, [&](int64_t *G) {
      if constexpr (sizeof(X) == 1)
        intc_cpu_linear_wgrad_i8(DBuf.data(), DOff, XBuf.data(), XOff, G, OOff,
                                 B, In, Out);
      else
        intc_cpu_linear_wgrad_i16(DBuf.data(), DOff, XBuf.data(), XOff, G, OOff,
                                  B, In, Out);
    });
    checkLinearWgradSgd(R, B, In, Out, XBuf, XOff, DBuf, DOff, Ref);
  }
}

template <typename X>
void linearCase(Rng &R, int64_t B, int64_t In, int64_t Out, const Ranges &G) {
  const auto Xv = values<X>(R, B * In, G.XLo, G.XHi, G.Extreme);
  const auto Wv = values<int32_t>(R, Out * In, G.WLo, G.WHi, G.Extreme);
  const auto Dv = values<int32_t>(R, B * Out, G.DLo, G.DHi, G.Extreme);
  checkLinear(R, B, In, Out, Xv, Wv, Dv);
}

const int64_t LinearShapes[][3] = {
    {1, 1, 1},    {3, 7, 5},     {1, 300, 1},   {3, 1, 40},
    {2, 65, 31},  {5, 33, 17},   {64, 31, 33},  {7, 100, 10},
    {64, 50, 10}, {64, 100, 50}, {13, 129, 97}, {64, 784, 100}};

TEST_F(CpuKernels, LinearTypicalI8) {
  Rng R(1);
  for (const auto &S : LinearShapes)
    linearCase<int8_t>(R, S[0], S[1], S[2],
                       {-127, 127, -12000, 12000, -(1 << 24), 1 << 24, false});
}

TEST_F(CpuKernels, LinearSmallDeltaI8) {
  // |delta| < 2^15: one limb.
  Rng R(2);
  for (const auto &S : LinearShapes)
    linearCase<int8_t>(R, S[0], S[1], S[2],
                       {-128, 127, -3000, 3000, -32768, 32767, false});
}

TEST_F(CpuKernels, LinearTypicalI16) {
  // Dropout outputs: |x| <= 127 * 20000 / 1000.
  Rng R(3);
  for (const auto &S : LinearShapes)
    linearCase<int16_t>(
        R, S[0], S[1], S[2],
        {-2540, 2540, -12000, 12000, -(1 << 22), 1 << 22, false});
}

TEST_F(CpuKernels, LinearExtremeInt16Weights) {
  // x = -128 / 127, w = +-(2^15 - 1) and -2^15: the tightest int16 fast path
  // (255 pair steps per int32 chunk), long reductions that need several
  // chunks; delta = +-2^30 - ish two-limb extremes.
  Rng R(4);
  const int64_t Shapes[][3] = {{3, 4096, 20}, {64, 784, 100}, {5, 1023, 3}};
  for (const auto &S : Shapes) {
    linearCase<int8_t>(R, S[0], S[1], S[2],
                       {-128, 127, -32768, 32767, -(INT64_C(1) << 30),
                        (INT64_C(1) << 30) - 1, true});
    linearCase<int8_t>(R, S[0], S[1], S[2],
                       {-128, 127, -32767, 32767, -32768, 32767, true});
  }
  // All products at the bound, same sign: sum far beyond int32.
  {
    const int64_t B = 3, In = 4097, Out = 18;
    std::vector<int8_t> Xv(B * In, -128);
    std::vector<int32_t> Wv(Out * In, -32768), Dv(B * Out, -(1 << 30));
    checkLinear(R, B, In, Out, Xv, Wv, Dv);
  }
  // int16 x (Dropout range): only 12 pair steps per int32 chunk.
  {
    const int64_t B = 40, In = 300, Out = 21;
    std::vector<int16_t> Xv(B * In, -2540);
    std::vector<int32_t> Wv(Out * In, -32767), Dv(B * Out, -(1 << 30));
    checkLinear(R, B, In, Out, Xv, Wv, Dv);
  }
}

// Weights beyond int16 (up to 2^30): the two-limb panels, at typical trained
// magnitudes and at the limb split's extremes, int8 and int16 inputs.
// Deltas mostly within int16 and a few beyond (as MLP1's: 0-14 of 6400):
// the weight gradient clamps them and adds the remainders. One delta in 97,
// 64, 40 and 5 beyond int16 (both sides of the ratios, 1 in 64 for the
// gradient alone and 1 in 8 fused with the update, per thread slice), up
// to 2^29 and down to INT16_MIN - 1, int8 and int16 inputs.
TEST_F(CpuKernels, LinearFewWideDeltas) {
  Rng R(7);
  const int64_t Shapes[][3] = {
      {64, 784, 100}, {64, 100, 50}, {7, 64, 129}, {33, 17, 20}};
  for (const auto &S : Shapes)
    for (int64_t Every : {97, 64, 40, 5}) {
      const int64_t B = S[0], In = S[1], Out = S[2];
      auto Dv = values<int32_t>(R, B * Out, -30000, 30000, false);
      sprinkleWide(R, Dv, Every);
      auto Wv = values<int32_t>(R, Out * In, -12000, 12000, false);
      auto X8 = values<int8_t>(R, B * In, -128, 127, false);
      auto X16 = values<int16_t>(R, B * In, -2540, 2540, false);
      checkLinear(R, B, In, Out, X8, Wv, Dv);
      checkLinear(R, B, In, Out, X16, Wv, Dv);
    }
}

// Trained weights where only a few leave int16 (MLP4 CIFAR-10: 1 in 4000):
// the forward runs on them clamped and adds the remainders panel by panel.
// One weight in 97, 9, 8 and 5 beyond int16 (both sides of
// INTC_CPU_LIN_RESIDUAL_RATIO, per panel), up to 2^29 and down to
// INT16_MIN - 1, and a single one, with int8 and int16 inputs.
TEST_F(CpuKernels, LinearFewWideWeights) {
  Rng R(8);
  const int64_t Shapes[][3] = {
      {64, 784, 100}, {64, 100, 50}, {7, 64, 129}, {33, 17, 20}, {3, 9, 70}};
  for (const auto &S : Shapes)
    for (int64_t Every : {0, 97, 9, 8, 5}) {
      const int64_t B = S[0], In = S[1], Out = S[2];
      auto Wv = values<int32_t>(R, Out * In, -12000, 12000, false);
      sprinkleWide(R, Wv, Every);
      auto Dv = values<int32_t>(R, B * Out, -9, 9, false);
      auto X8 = values<int8_t>(R, B * In, -128, 127, false);
      auto X16 = values<int16_t>(R, B * In, -2540, 2540, false);
      checkLinear(R, B, In, Out, X8, Wv, Dv);
      checkLinear(R, B, In, Out, X16, Wv, Dv);
    }
}

TEST_F(CpuKernels, LinearWideWeights) {
  Rng R(6);
  const int64_t Shapes[][3] = {
      {64, 784, 100}, {64, 2048, 70}, {5, 1023, 3}, {1, 17, 33}, {7, 64, 129}};
  for (const auto &S : Shapes) {
    linearCase<int8_t>(R, S[0], S[1], S[2],
                       {-127, 127, -100000, 100000, -9, 9, false});
    linearCase<int16_t>(R, S[0], S[1], S[2],
                        {-2540, 2540, -(1 << 18), 1 << 17, -9, 9, false});
    linearCase<int8_t>(
        R, S[0], S[1], S[2],
        {-128, 127, -(INT64_C(1) << 30), (INT64_C(1) << 30) - 1, -9, 9, true});
  }
}

TEST_F(CpuKernels, LinearFallbacks) {
  Rng R(5);
  const int64_t Shapes[][3] = {{3, 70, 20}, {64, 100, 50}, {2, 5, 33}};
  for (const auto &S : Shapes) {
    // w beyond int16 (INT32_MIN / INT32_MAX) and delta beyond 2^30.
    linearCase<int8_t>(
        R, S[0], S[1], S[2],
        {-128, 127, INT32_MIN, INT32_MAX, INT32_MIN, INT32_MAX, true});
    linearCase<int16_t>(
        R, S[0], S[1], S[2],
        {-32768, 32767, INT32_MIN, INT32_MAX, INT32_MIN, INT32_MAX, false});
    // delta = exactly 2^30: just outside the two-limb range.
    linearCase<int8_t>(R, S[0], S[1], S[2],
                       {-128, 127, -100, 100, -5, INT64_C(1) << 30, true});
    // int16 x and w at full range: not even one int32 pair step is safe.
    linearCase<int16_t>(R, S[0], S[1], S[2],
                        {-32768, 32767, -32768, 32767, -32768, 32767, true});
  }
  // One INT32_MIN weight in an otherwise small matrix.
  {
    const int64_t B = 4, In = 40, Out = 40;
    auto Xv = values<int8_t>(R, B * In, -128, 127);
    auto Wv = values<int32_t>(R, Out * In, -100, 100);
    auto Dv = values<int32_t>(R, B * Out, -1000, 1000);
    Wv[17 * In + 3] = INT32_MIN;
    Dv[2 * Out + 39] = INT32_MIN;
    checkLinear(R, B, In, Out, Xv, Wv, Dv);
    Wv[17 * In + 3] = INT32_MAX;
    Dv[2 * Out + 39] = INT32_MAX;
    checkLinear(R, B, In, Out, Xv, Wv, Dv);
  }
}

TEST_F(CpuKernels, LinearZeros) {
  Rng R(6);
  linearCase<int8_t>(R, 5, 37, 19, {0, 0, -9, 9, -9, 9, false});
  linearCase<int8_t>(R, 5, 37, 19, {-9, 9, 0, 0, 0, 0, false});
}

// ---- conv ------------------------------------------------------------------

template <typename X>
void checkConv(Rng &R, int64_t B, int64_t C, int64_t Hp, int64_t Wp, int64_t F,
               int64_t K, const std::vector<X> &Xv,
               const std::vector<int32_t> &Wv, const std::vector<int32_t> &Dv) {
  SCOPED_TRACE("B=" + std::to_string(B) + " C=" + std::to_string(C) +
               " Hp=" + std::to_string(Hp) + " Wp=" + std::to_string(Wp) +
               " F=" + std::to_string(F) + " K=" + std::to_string(K));
  const int64_t Ho = Hp - K + 1, Wo = Wp - K + 1;
  const int64_t NZ = B * F * Ho * Wo, NG = F * C * K * K;
  const int64_t XOff = uniform(R, 0, 7), WOff = uniform(R, 0, 5),
                DOff = uniform(R, 0, 5), OOff = uniform(R, 0, 3);
  const auto XBuf = withOffset(R, Xv, XOff);
  const auto WBuf = withOffset(R, Wv, WOff);
  const auto DBuf = withOffset(R, Dv, DOff);
  {
    std::vector<int64_t> Ref(NZ);
    if constexpr (sizeof(X) == 1)
      intc_conv2d_fwd_i8(Xv.data(), Wv.data(), Ref.data(), (int32_t)B,
                         (int32_t)C, (int32_t)Hp, (int32_t)Wp, (int32_t)F,
                         (int32_t)K, 0);
    else
      intc_conv2d_fwd_i16(Xv.data(), Wv.data(), Ref.data(), (int32_t)B,
                          (int32_t)C, (int32_t)Hp, (int32_t)Wp, (int32_t)F,
                          (int32_t)K, 0);
    const auto Init = withOffset(
        R, values<int64_t>(R, NZ, -(INT64_C(1) << 40), INT64_C(1) << 40), OOff,
        Guard);
    auto Want = Init;
    for (int64_t I = 0; I < NZ; ++I)
      Want[OOff + I] += Ref[I];
    SCOPED_TRACE("conv fwd");
    forEachConfig(Init, Want, [&](int64_t *Z) {
      if constexpr (sizeof(X) == 1)
        intc_cpu_conv2d_acc_i8(XBuf.data(), XOff, WBuf.data(), WOff, Z, OOff, B,
                               C, Hp, Wp, F, K);
      else
        intc_cpu_conv2d_acc_i16(XBuf.data(), XOff, WBuf.data(), WOff, Z, OOff,
                                B, C, Hp, Wp, F, K);
    });
  }
  {
    std::vector<int64_t> Ref(NG);
    if constexpr (sizeof(X) == 1)
      intc_conv2d_wgrad_i8(Dv.data(), Xv.data(), Ref.data(), (int32_t)B,
                           (int32_t)C, (int32_t)Hp, (int32_t)Wp, (int32_t)F,
                           (int32_t)K, 0);
    else
      intc_conv2d_wgrad_i16(Dv.data(), Xv.data(), Ref.data(), (int32_t)B,
                            (int32_t)C, (int32_t)Hp, (int32_t)Wp, (int32_t)F,
                            (int32_t)K, 0);
    const auto Init = withOffset(
        R, values<int64_t>(R, NG, -(INT64_C(1) << 40), INT64_C(1) << 40), OOff,
        Guard);
    auto Want = Init;
    for (int64_t I = 0; I < NG; ++I)
      Want[OOff + I] += Ref[I];
    SCOPED_TRACE("conv wgrad");
    forEachConfig(Init, Want, [&](int64_t *G) {
      if constexpr (sizeof(X) == 1)
        intc_cpu_conv2d_wgrad_acc_i8(DBuf.data(), DOff, XBuf.data(), XOff, G,
                                     OOff, B, C, Hp, Wp, F, K);
      else
        intc_cpu_conv2d_wgrad_acc_i16(DBuf.data(), DOff, XBuf.data(), XOff, G,
                                      OOff, B, C, Hp, Wp, F, K);
    });
  }
}

template <typename X> void convCase(Rng &R, const int64_t *S, const Ranges &G) {
  const int64_t B = S[0], C = S[1], Hp = S[2], Wp = S[3], F = S[4], K = S[5];
  const int64_t Ho = Hp - K + 1, Wo = Wp - K + 1;
  // Zero padding: a one-pixel zero border when K == 3, like the real model.
  auto Xv = values<X>(R, B * C * Hp * Wp, G.XLo, G.XHi, G.Extreme);
  if (K == 3)
    for (int64_t P = 0; P < B * C; ++P)
      for (int64_t H = 0; H < Hp; ++H)
        for (int64_t W = 0; W < Wp; ++W)
          if (H == 0 || W == 0 || H == Hp - 1 || W == Wp - 1)
            Xv[(P * Hp + H) * Wp + W] = 0;
  const auto Wv = values<int32_t>(R, F * C * K * K, G.WLo, G.WHi, G.Extreme);
  const auto Dv = values<int32_t>(R, B * F * Ho * Wo, G.DLo, G.DHi, G.Extreme);
  checkConv(R, B, C, Hp, Wp, F, K, Xv, Wv, Dv);
}

// B, C, Hp, Wp, F, K.
const int64_t ConvShapes[][6] = {
    {1, 1, 3, 3, 1, 3},   {2, 3, 6, 5, 4, 3},    {3, 5, 9, 7, 7, 3},
    {2, 4, 10, 10, 6, 1}, {1, 2, 5, 8, 3, 2},    {2, 16, 18, 18, 19, 3},
    {1, 3, 34, 34, 8, 3}, {2, 9, 6, 6, 33, 3},   {3, 7, 4, 4, 2, 3},
    {1, 2, 3, 40, 5, 3},  {2, 32, 10, 10, 17, 3}};

TEST_F(CpuKernels, ConvTypicalI8) {
  Rng R(11);
  for (const auto &S : ConvShapes)
    convCase<int8_t>(R, S,
                     {-127, 127, -12000, 12000, -(1 << 24), 1 << 24, false});
}

TEST_F(CpuKernels, ConvSmallDeltaI8) {
  Rng R(12);
  for (const auto &S : ConvShapes)
    convCase<int8_t>(R, S, {-128, 127, -3000, 3000, -32768, 32767, false});
}

TEST_F(CpuKernels, ConvTypicalI16) {
  Rng R(13);
  for (const auto &S : ConvShapes)
    convCase<int16_t>(R, S,
                      {-2540, 2540, -12000, 12000, -(1 << 22), 1 << 22, false});
}

TEST_F(CpuKernels, ConvExtremes) {
  Rng R(14);
  const int64_t Shapes[][6] = {
      {2, 40, 10, 10, 9, 3}, {1, 3, 34, 34, 8, 3}, {4, 8, 7, 9, 5, 3}};
  for (const auto &S : Shapes) {
    convCase<int8_t>(R, S,
                     {-128, 127, -32768, 32767, -(INT64_C(1) << 30),
                      (INT64_C(1) << 30) - 1, true});
    convCase<int8_t>(
        R, S, {-128, 127, INT32_MIN, INT32_MAX, INT32_MIN, INT32_MAX, true});
    convCase<int8_t>(R, S, {-128, 127, -5, 5, -5, INT64_C(1) << 30, true});
    convCase<int16_t>(R, S,
                      {-32768, 32767, -32768, 32767, -32768, 32767, true});
  }
  // All products at the bound, same sign: every sum far beyond int32.
  {
    const int64_t B = 2, C = 64, Hp = 12, Wp = 12, F = 7, K = 3;
    std::vector<int8_t> Xv(B * C * Hp * Wp, -128);
    std::vector<int32_t> Wv(F * C * K * K, -32768);
    std::vector<int32_t> Dv(B * F * (Hp - 2) * (Wp - 2), -(1 << 30));
    checkConv(R, B, C, Hp, Wp, F, K, Xv, Wv, Dv);
  }
  {
    const int64_t B = 2, C = 9, Hp = 9, Wp = 8, F = 5, K = 3;
    std::vector<int16_t> Xv(B * C * Hp * Wp, -2540);
    std::vector<int32_t> Wv(F * C * K * K, -32767);
    std::vector<int32_t> Dv(B * F * (Hp - 2) * (Wp - 2), -(1 << 30));
    checkConv(R, B, C, Hp, Wp, F, K, Xv, Wv, Dv);
  }
}

// Trained conv weights beyond int16 (up to 2^30): the two-limb path. Typical
// magnitudes (a few times 2^15), then the limb split's extremes, with int8
// and int16 inputs.
TEST_F(CpuKernels, ConvWideWeights) {
  Rng R(16);
  for (const auto &S : ConvShapes) {
    convCase<int8_t>(R, S,
                     {-127, 127, -100000, 100000, -(1 << 24), 1 << 24, false});
    convCase<int16_t>(R, S, {-2540, 2540, -(1 << 18), 1 << 17, -9, 9, false});
  }
  const int64_t S[6] = {2, 40, 10, 10, 9, 3};
  convCase<int8_t>(
      R, S,
      {-128, 127, -(INT64_C(1) << 30), (INT64_C(1) << 30) - 1, -9, 9, true});
  convCase<int16_t>(R, S,
                    {-32768, 32767, -(INT64_C(1) << 30), (INT64_C(1) << 30) - 1,
                     -9, 9, true});
  // Only one weight leaves int16: the forward clamps it and adds its
  // remainder; the weight gradient is unaffected.
  convCase<int8_t>(R, S, {-127, 127, -12000, 40000, -9, 9, false});
}

// Trained weights where only a few leave int16: the forward clamps them and
// adds the remainders (r = w - clamp(w)) afterwards. One weight in 97, 64
// and 40 beyond int16 (both sides of INTC_CPU_CONV_RESIDUAL_RATIO, per
// thread slice), up to 2^29 and down to INT16_MIN - 1, with int8 and int16
// inputs.
TEST_F(CpuKernels, ConvFewWideWeights) {
  Rng R(17);
  const int64_t Shapes[][6] = {{2, 16, 18, 18, 19, 3},
                               {1, 3, 34, 34, 8, 3},
                               {2, 32, 10, 10, 17, 3},
                               {2, 40, 10, 10, 9, 3},
                               {1, 16, 50, 50, 4, 3}};
  // Remainders up to 2^29 (each filter's terms summed in int64) and up to
  // 2^16, like trained VGG8B's (summed in int32, over blocks of rows).
  for (const auto &S : Shapes)
    for (int64_t Every : {97, 64, 40})
      for (int Bits : {29, 16}) {
        const int64_t B = S[0], C = S[1], Hp = S[2], Wp = S[3], F = S[4],
                      K = S[5];
        auto Wv = values<int32_t>(R, F * C * K * K, -12000, 12000, false);
        sprinkleWide(R, Wv, Every, Bits);
        auto X8 = values<int8_t>(R, B * C * Hp * Wp, -128, 127, false);
        auto X16 = values<int16_t>(R, B * C * Hp * Wp, -2540, 2540, false);
        auto Dv = values<int32_t>(R, B * F * (Hp - K + 1) * (Wp - K + 1), -9, 9,
                                  false);
        checkConv(R, B, C, Hp, Wp, F, K, X8, Wv, Dv);
        checkConv(R, B, C, Hp, Wp, F, K, X16, Wv, Dv);
      }
}

TEST_F(CpuKernels, ConvChunkL1Bound) {
  // |x| = 127 and |w| = W everywhere, C = 130 (585 steps: a chunk of 576
  // and one of 9). The worst-case bound 2 * 127 * W per step allows 575
  // steps for both W; the chunk's sum of |w| times 127 (1152 W * 127) fits
  // int32 for W = 14678 (576-step chunks, the lanes reach 2,147,450,112)
  // and not for 14679 (575-step chunks): off by one either way, an int32
  // lane would wrap.
  Rng R(18);
  const int64_t B = 1, C = 130, Hp = 5, Wp = 5, F = 7, K = 3;
  for (int32_t W : {14678, 14679, -14678, -14679}) {
    SCOPED_TRACE("w=" + std::to_string(W));
    std::vector<int32_t> Wv(F * C * K * K, W);
    std::vector<int8_t> X8(B * C * Hp * Wp, 127);
    auto Dv = values<int32_t>(R, B * F * (Hp - K + 1) * (Wp - K + 1), -9, 9);
    checkConv(R, B, C, Hp, Wp, F, K, X8, Wv, Dv);
  }
}

TEST_F(CpuKernels, ConvZeros) {
  Rng R(15);
  const int64_t S[6] = {2, 5, 7, 7, 6, 3};
  convCase<int8_t>(R, S, {0, 0, -9, 9, -9, 9, false});
  convCase<int8_t>(R, S, {-9, 9, 0, 0, 0, 0, false});
}

TEST_F(CpuKernels, WgradDeltaMagnitudes) {
  // The two-limb split point adapts to the range of delta: cover small,
  // large, asymmetric and boundary ranges, int8 and int16 inputs.
  Rng R(16);
  const int64_t Conv[6] = {3, 6, 7, 6, 19, 3};
  for (int Bits : {15, 16, 18, 21, 25, 28, 30}) {
    SCOPED_TRACE("bits=" + std::to_string(Bits));
    const int64_t M = INT64_C(1) << Bits;
    const int64_t Ranges[][2] = {{-M, M - 1}, {-3, M - 1}, {-M, 7}};
    for (const auto &D : Ranges) {
      linearCase<int8_t>(R, 9, 70, 23,
                         {-128, 127, -9000, 9000, D[0], D[1], false});
      linearCase<int16_t>(R, 9, 70, 23,
                          {-2540, 2540, -9000, 9000, D[0], D[1], true});
      convCase<int8_t>(R, Conv, {-128, 127, -9000, 9000, D[0], D[1], false});
      convCase<int16_t>(R, Conv, {-2540, 2540, -9000, 9000, D[0], D[1], true});
    }
  }
}

// ---- knobs and degenerate calls ---------------------------------------------

TEST_F(CpuKernels, EmptyShapesDoNothing) {
  int8_t X[4] = {1, 2, 3, 4};
  int32_t W[4] = {1, 2, 3, 4};
  int64_t Z[4] = {7, 7, 7, 7};
  intc_cpu_linear_acc_i8(X, 0, W, 0, Z, 0, 0, 2, 2);
  intc_cpu_linear_acc_i8(X, 0, W, 0, Z, 0, 2, 0, 2);
  intc_cpu_linear_wgrad_acc_i8(W, 0, X, 0, Z, 0, 2, 2, 0);
  intc_cpu_conv2d_acc_i8(X, 0, W, 0, Z, 0, 1, 1, 2, 2, 1, 3); // Hp < K
  intc_cpu_conv2d_wgrad_acc_i8(W, 0, X, 0, Z, 0, 0, 1, 2, 2, 1, 1);
  const int32_t I[4] = {0, 0, 0, 0};
  intc_cpu_conv2d_wgrad_sparse_acc_i8(W, 0, I, 0, X, 0, Z, 0, 1, 1, 2, 2, 1, 1,
                                      0, 1); // GH = 0
  intc_cpu_conv2d_wgrad_sparse_acc_i8(W, 0, I, 0, X, 0, Z, 0, 1, 1, 2, 2, 1, 3,
                                      1, 1); // Hp < K
  intc_cpu_conv2d_wgrad_sparse_acc_i8(W, 0, I, 0, X, 0, Z, 0, 0, 1, 2, 2, 1, 1,
                                      1, 1); // B = 0
  for (int64_t V : Z)
    EXPECT_EQ(V, 7);
}

TEST_F(CpuKernels, Knobs) {
  EXPECT_EQ(intc_cpu_set_isa(INTC_CPU_ISA_SCALAR), INTC_CPU_ISA_SCALAR);
  EXPECT_EQ(intc_cpu_get_isa(), INTC_CPU_ISA_SCALAR);
  const int Best = intc_cpu_set_isa(-1);
  EXPECT_TRUE(intc_cpu_isa_supported(Best));
  for (int I = Best + 1; I < INTC_CPU_ISA_COUNT; ++I)
    EXPECT_FALSE(intc_cpu_isa_supported(I));
  EXPECT_EQ(intc_cpu_set_isa(INTC_CPU_ISA_COUNT + 5), Best);
  EXPECT_TRUE(intc_cpu_isa_supported(INTC_CPU_ISA_SCALAR));
  EXPECT_STREQ(intc_cpu_isa_name(INTC_CPU_ISA_AVX512VNNI), "avx512vnni");
  EXPECT_STREQ(intc_cpu_isa_name(-1), "?");
  EXPECT_EQ(intc_cpu_set_threads(5), 5);
  EXPECT_EQ(intc_cpu_get_threads(), 5);
  EXPECT_EQ(intc_cpu_set_threads(1000), 64);
  // The default: $INTC_THREADS if set (clamped to 64), else online CPUs.
  const int Default = intc_cpu_set_threads(0);
  const char *Env = std::getenv("INTC_THREADS");
  if (Env && std::atoi(Env) > 0)
    EXPECT_EQ(Default, std::min(std::atoi(Env), 64));
  else
    EXPECT_EQ(Default, (int)std::min<long>(
                           std::max(sysconf(_SC_NPROCESSORS_ONLN), 1L), 64));
  EXPECT_EQ(intc_cpu_set_parallel_threshold(123), 123);
  EXPECT_GT(intc_cpu_set_parallel_threshold(-1), 0);
  intc_cpu_release_scratch();
  intc_cpu_release_scratch();
}

} // namespace
