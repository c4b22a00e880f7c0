//===- SparseWgradTest.cpp - runtime/cpu sparse conv weight gradient ------===//
//
// The sparse conv weight gradient (one position per learning-pool cell)
// against its literal definition, bit for bit, for every ISA and thread
// count (KernelTestUtil.h), on pool, border and random positions.
//
//===----------------------------------------------------------------------===//

#include "KernelTestUtil.h"

#include "runtime/c/intc_kernels.h"

namespace {

using namespace intc_cpu_test;

// ---- sparse conv weight gradient --------------------------------------------

// The definition, literally: every (m, f, cell) with a position in the plane
// adds delta times the C x K x K patch at that position.
template <typename X>
std::vector<int64_t>
sparseLiteral(int64_t B, int64_t C, int64_t Hp, int64_t Wp, int64_t F,
              int64_t K, int64_t GH, int64_t GW, const std::vector<X> &Xv,
              const std::vector<int32_t> &Dv, const std::vector<int32_t> &Iv) {
  const int64_t Ho = Hp - K + 1, Wo = Wp - K + 1;
  std::vector<int64_t> G(F * C * K * K, 0);
  for (int64_t M = 0; M < B; ++M)
    for (int64_t Fi = 0; Fi < F; ++Fi)
      for (int64_t Gh = 0; Gh < GH; ++Gh)
        for (int64_t Gw = 0; Gw < GW; ++Gw) {
          const int64_t T = ((M * F + Fi) * GH + Gh) * GW + Gw;
          const int64_t Idx = Iv[T];
          if (Idx < 0 || Idx >= Ho * Wo) // no position
            continue;
          const int64_t I = Idx / Wo, J = Idx % Wo;
          for (int64_t Ci = 0; Ci < C; ++Ci)
            for (int64_t U = 0; U < K; ++U)
              for (int64_t V = 0; V < K; ++V)
                G[((Fi * C + Ci) * K + U) * K + V] +=
                    (int64_t)Dv[T] *
                    Xv[((M * C + Ci) * Hp + I + U) * Wp + J + V];
        }
  return G;
}

// How the positions are drawn.
enum class Pos {
  Pool,   // one per learning-pool window (distinct), some -1
  Border, // corners and edges of the plane, repeats allowed, some -1
  Random  // anywhere in the plane, repeats allowed, some -1
};

std::vector<int32_t> positions(Rng &R, int64_t B, int64_t F, int64_t Ho,
                               int64_t Wo, int64_t GH, int64_t GW, Pos Kind) {
  std::vector<int32_t> Iv(B * F * GH * GW);
  for (int64_t MF = 0; MF < B * F; ++MF)
    for (int64_t Gh = 0; Gh < GH; ++Gh)
      for (int64_t Gw = 0; Gw < GW; ++Gw) {
        int64_t Idx;
        if (uniform(R, 0, 9) == 0) {
          Idx = -1;
        } else if (Kind == Pos::Pool) {
          // Window rows [Gh * Ho / GH, (Gh + 1) * Ho / GH), same for columns.
          const int64_t I = uniform(R, Gh * Ho / GH, (Gh + 1) * Ho / GH - 1);
          const int64_t J = uniform(R, Gw * Wo / GW, (Gw + 1) * Wo / GW - 1);
          Idx = I * Wo + J;
        } else if (Kind == Pos::Border) {
          // A corner (0, Wo - 1, (Ho - 1) * Wo, Ho * Wo - 1) or a point on
          // one of the four edges.
          int64_t I = uniform(R, 0, 1) * (Ho - 1);
          int64_t J = uniform(R, 0, 1) * (Wo - 1);
          const int64_t Edge = uniform(R, 0, 3);
          if (Edge == 1)
            J = uniform(R, 0, Wo - 1);
          else if (Edge == 2)
            I = uniform(R, 0, Ho - 1);
          Idx = I * Wo + J;
        } else {
          Idx = uniform(R, 0, Ho * Wo - 1);
        }
        Iv[(MF * GH + Gh) * GW + Gw] = (int32_t)Idx;
      }
  return Iv;
}

template <typename X>
void checkSparse(Rng &R, const int64_t *S, const std::vector<X> &Xv,
                 const std::vector<int32_t> &Dv, const std::vector<int32_t> &Iv,
                 bool Distinct) {
  const int64_t B = S[0], C = S[1], Hp = S[2], Wp = S[3], F = S[4], K = S[5],
                GH = S[6], GW = S[7];
  SCOPED_TRACE("B=" + std::to_string(B) + " C=" + std::to_string(C) +
               " Hp=" + std::to_string(Hp) + " Wp=" + std::to_string(Wp) +
               " F=" + std::to_string(F) + " K=" + std::to_string(K) +
               " GH=" + std::to_string(GH) + " GW=" + std::to_string(GW));
  const int64_t Ho = Hp - K + 1, Wo = Wp - K + 1, NG = F * C * K * K;
  const auto Ref = sparseLiteral(B, C, Hp, Wp, F, K, GH, GW, Xv, Dv, Iv);
  if (Distinct) {
    // The dense gradient of the scattered delta is the same thing.
    std::vector<int32_t> Dense(B * F * Ho * Wo, 0);
    for (int64_t MF = 0; MF < B * F; ++MF)
      for (int64_t T = 0; T < GH * GW; ++T)
        if (Iv[MF * GH * GW + T] >= 0)
          Dense[MF * Ho * Wo + Iv[MF * GH * GW + T]] = Dv[MF * GH * GW + T];
    std::vector<int64_t> G(NG);
    if constexpr (sizeof(X) == 1)
      intc_conv2d_wgrad_i8(Dense.data(), Xv.data(), G.data(), (int32_t)B,
                           (int32_t)C, (int32_t)Hp, (int32_t)Wp, (int32_t)F,
                           (int32_t)K, 0);
    else
      intc_conv2d_wgrad_i16(Dense.data(), Xv.data(), G.data(), (int32_t)B,
                            (int32_t)C, (int32_t)Hp, (int32_t)Wp, (int32_t)F,
                            (int32_t)K, 0);
    ASSERT_EQ(G, Ref) << "literal sparse loop != dense runtime/c gradient";
  }
  const int64_t XOff = uniform(R, 0, 7), DOff = uniform(R, 0, 5),
                IOff = uniform(R, 0, 5), OOff = uniform(R, 0, 3);
  const auto XBuf = withOffset(R, Xv, XOff);
  const auto DBuf = withOffset(R, Dv, DOff);
  const auto IBuf = withOffset(R, Iv, IOff);
  const auto Init = withOffset(
      R, values<int64_t>(R, NG, -(INT64_C(1) << 40), INT64_C(1) << 40), OOff,
      Guard);
  auto Want = Init;
  for (int64_t I = 0; I < NG; ++I)
    Want[OOff + I] += Ref[I];
  SCOPED_TRACE("conv wgrad sparse");
  forEachConfig(Init, Want, [&](int64_t *G) {
    if constexpr (sizeof(X) == 1)
      intc_cpu_conv2d_wgrad_sparse_acc_i8(DBuf.data(), DOff, IBuf.data(), IOff,
                                          XBuf.data(), XOff, G, OOff, B, C, Hp,
                                          Wp, F, K, GH, GW);
    else
      intc_cpu_conv2d_wgrad_sparse_acc_i16(DBuf.data(), DOff, IBuf.data(), IOff,
                                           XBuf.data(), XOff, G, OOff, B, C, Hp,
                                           Wp, F, K, GH, GW);
  });
}

template <typename X>
void sparseCase(Rng &R, const int64_t *S, const Ranges &G, Pos Kind) {
  const int64_t B = S[0], C = S[1], Hp = S[2], Wp = S[3], F = S[4], K = S[5],
                GH = S[6], GW = S[7];
  const int64_t Ho = Hp - K + 1, Wo = Wp - K + 1;
  auto Xv = values<X>(R, B * C * Hp * Wp, G.XLo, G.XHi, G.Extreme);
  if (K == 3 && !G.Extreme) // a zero border, like the real model
    for (int64_t P = 0; P < B * C; ++P)
      for (int64_t H = 0; H < Hp; ++H)
        for (int64_t W = 0; W < Wp; ++W)
          if (H == 0 || W == 0 || H == Hp - 1 || W == Wp - 1)
            Xv[(P * Hp + H) * Wp + W] = 0;
  const auto Dv = values<int32_t>(R, B * F * GH * GW, G.DLo, G.DHi, G.Extreme);
  const auto Iv = positions(R, B, F, Ho, Wo, GH, GW, Kind);
  checkSparse(R, S, Xv, Dv, Iv, Kind == Pos::Pool);
}

// B, C, Hp, Wp, F, K, GH, GW (GH <= Ho, GW <= Wo: every window non-empty).
const int64_t SparseShapes[][8] = {
    {1, 1, 3, 3, 1, 3, 1, 1},     {2, 3, 6, 5, 4, 3, 2, 1},
    {3, 5, 9, 7, 7, 3, 3, 2},     {2, 4, 10, 10, 6, 1, 2, 5},
    {1, 2, 5, 8, 3, 2, 2, 3},     {2, 16, 18, 18, 19, 3, 4, 4},
    {2, 3, 34, 34, 8, 3, 4, 8},   {2, 9, 6, 6, 33, 3, 2, 2},
    {3, 7, 4, 4, 2, 3, 2, 2},     {1, 2, 3, 40, 5, 3, 1, 4},
    {2, 32, 10, 10, 17, 3, 2, 4}, {2, 20, 10, 10, 5, 3, 2, 4},
    {3, 37, 8, 9, 6, 3, 3, 3},    {2, 130, 6, 6, 5, 3, 2, 2},
    {5, 24, 12, 12, 9, 3, 5, 5},  {4, 64, 10, 10, 16, 3, 2, 4},
    {2, 11, 7, 13, 3, 5, 3, 3},   {3, 48, 6, 6, 4, 3, 2, 4}};

TEST_F(CpuKernels, SparseWgradTypicalI8) {
  Rng R(21);
  for (const auto &S : SparseShapes)
    for (Pos Kind : {Pos::Pool, Pos::Border, Pos::Random})
      sparseCase<int8_t>(R, S, {-127, 127, 0, 0, -(1 << 24), 1 << 24, false},
                         Kind);
}

TEST_F(CpuKernels, SparseWgradSmallDeltaI8) {
  // |delta| < 2^15: one limb.
  Rng R(22);
  for (const auto &S : SparseShapes)
    sparseCase<int8_t>(R, S, {-128, 127, 0, 0, -32768, 32767, false},
                       Pos::Pool);
}

TEST_F(CpuKernels, SparseWgradTypicalI16) {
  Rng R(23);
  for (const auto &S : SparseShapes)
    for (Pos Kind : {Pos::Pool, Pos::Random})
      sparseCase<int16_t>(R, S, {-2540, 2540, 0, 0, -(1 << 22), 1 << 22, false},
                          Kind);
}

TEST_F(CpuKernels, SparseWgradExtremes) {
  Rng R(24);
  const int64_t Shapes[][8] = {{2, 40, 10, 10, 9, 3, 2, 4},
                               {2, 3, 34, 34, 8, 3, 4, 8},
                               {4, 8, 7, 9, 5, 3, 5, 7},
                               {3, 17, 6, 6, 3, 3, 4, 4}};
  for (const auto &S : Shapes)
    for (Pos Kind : {Pos::Pool, Pos::Border}) {
      // x = -128 / 127, delta = +-2^30 (two limbs of 15 bits).
      sparseCase<int8_t>(
          R, S,
          {-128, 127, 0, 0, -(INT64_C(1) << 30), (INT64_C(1) << 30) - 1, true},
          Kind);
      // INT32_MIN / INT32_MAX deltas: the int64 path.
      sparseCase<int8_t>(R, S, {-128, 127, 0, 0, INT32_MIN, INT32_MAX, true},
                         Kind);
      // delta = exactly 2^30: just outside the two-limb range.
      sparseCase<int8_t>(R, S, {-128, 127, 0, 0, -5, INT64_C(1) << 30, true},
                         Kind);
      // int16 x and delta at full range: not one int32 pair step is safe.
      sparseCase<int16_t>(R, S, {-32768, 32767, 0, 0, -32768, 32767, true},
                          Kind);
      sparseCase<int16_t>(
          R, S, {-32768, 32767, 0, 0, INT32_MIN, INT32_MAX, false}, Kind);
    }
  // All products at the bound, same sign: 288 pair steps per filter and
  // block, beyond the 255 an int32 lane holds for |x| = 2^7, |limb| = 2^15.
  {
    const int64_t S[8] = {9, 4, 10, 10, 3, 3, 8, 8};
    std::vector<int8_t> Xv(9 * 4 * 10 * 10, -128);
    std::vector<int32_t> Dv(9 * 3 * 64, -(1 << 30));
    const auto Iv = positions(R, 9, 3, 8, 8, 8, 8, Pos::Pool);
    checkSparse(R, S, Xv, Dv, Iv, true);
  }
  // The same, positive (x = 127, delta = 2^30 - 1: 258 steps per chunk;
  // 288 pair steps), on whole 16 x 16 (int8) / 8 x 8 (int16) pack blocks.
  {
    const int64_t S[8] = {16, 16, 8, 8, 3, 3, 6, 6};
    std::vector<int8_t> Xv(16 * 16 * 64, 127);
    std::vector<int32_t> Dv(16 * 3 * 36, (1 << 30) - 1);
    const auto Iv = positions(R, 16, 3, 6, 6, 6, 6, Pos::Pool);
    checkSparse(R, S, Xv, Dv, Iv, true);
  }
  {
    const int64_t S[8] = {4, 8, 8, 8, 5, 3, 6, 6};
    std::vector<int16_t> Xv(4 * 8 * 64, 2540);
    std::vector<int32_t> Dv(4 * 5 * 36, (1 << 30) - 1);
    const auto Iv = positions(R, 4, 5, 6, 6, 6, 6, Pos::Pool);
    checkSparse(R, S, Xv, Dv, Iv, true);
  }
  {
    const int64_t S[8] = {4, 9, 9, 8, 5, 3, 7, 6};
    std::vector<int16_t> Xv(4 * 9 * 9 * 8, -2540);
    std::vector<int32_t> Dv(4 * 5 * 42, -(1 << 30));
    const auto Iv = positions(R, 4, 5, 7, 6, 7, 6, Pos::Pool);
    checkSparse(R, S, Xv, Dv, Iv, true);
  }
  // One INT32_MIN delta among small ones: only its filter falls back.
  {
    const int64_t S[8] = {3, 21, 8, 8, 7, 3, 3, 3};
    auto Xv = values<int8_t>(R, 3 * 21 * 64, -128, 127);
    auto Dv = values<int32_t>(R, 3 * 7 * 9, -1000, 1000);
    const auto Iv = positions(R, 3, 7, 6, 6, 3, 3, Pos::Pool);
    Dv[(1 * 7 + 4) * 9 + 5] = INT32_MIN;
    checkSparse(R, S, Xv, Dv, Iv, true);
  }
}

TEST_F(CpuKernels, SparseWgradNoPositions) {
  // ind = -1 everywhere, zero x or zero delta: g is unchanged.
  Rng R(25);
  const int64_t S[8] = {2, 5, 7, 7, 6, 3, 2, 2};
  std::vector<int8_t> Xv = values<int8_t>(R, 2 * 5 * 49, -9, 9);
  std::vector<int32_t> Dv = values<int32_t>(R, 2 * 6 * 4, -9, 9);
  checkSparse(R, S, Xv, Dv, std::vector<int32_t>(2 * 6 * 4, -1), true);
  sparseCase<int8_t>(R, S, {0, 0, 0, 0, -9, 9, false}, Pos::Pool);
  sparseCase<int8_t>(R, S, {-9, 9, 0, 0, 0, 0, false}, Pos::Pool);
  // Any index outside [0, Ho * Wo) also means "no position".
  std::vector<int32_t> Iv = positions(R, 2, 6, 5, 5, 2, 2, Pos::Random);
  const int32_t Bad[] = {-2, 25, 26, INT32_MIN, INT32_MAX, 1000};
  for (size_t I = 0; I < Iv.size(); I += 2)
    Iv[I] = Bad[I / 2 % 6];
  checkSparse(R, S, Xv, Dv, Iv, false);
}

TEST_F(CpuKernels, SparseWgradDeltaMagnitudes) {
  Rng R(26);
  const int64_t S[8] = {3, 6, 7, 6, 19, 3, 2, 2};
  for (int Bits : {15, 16, 18, 21, 25, 28, 30}) {
    SCOPED_TRACE("bits=" + std::to_string(Bits));
    const int64_t M = INT64_C(1) << Bits;
    const int64_t Ranges[][2] = {{-M, M - 1}, {-3, M - 1}, {-M, 7}};
    for (const auto &D : Ranges) {
      sparseCase<int8_t>(R, S, {-128, 127, 0, 0, D[0], D[1], false}, Pos::Pool);
      sparseCase<int16_t>(R, S, {-2540, 2540, 0, 0, D[0], D[1], true},
                          Pos::Random);
    }
  }
}

TEST_F(CpuKernels, SparseWgradFewWideDeltas) {
  // Trained deltas: most within int16, a few beyond (VGG8B CIFAR-10 after
  // 22 epochs: ~8%). The kernels split each (filter, image block) into a
  // one-limb and a two-limb list; both add into the same gradient.
  Rng R(27);
  for (const auto &S : SparseShapes)
    for (int64_t Every : {3, 12, 60}) {
      SCOPED_TRACE("one in " + std::to_string(Every) + " wide");
      const int64_t B = S[0], C = S[1], Hp = S[2], Wp = S[3], F = S[4],
                    K = S[5], GH = S[6], GW = S[7];
      auto Dv = values<int32_t>(R, B * F * GH * GW, -32768, 32767);
      for (auto &D : Dv)
        if (uniform(R, 1, Every) == 1)
          D = (int32_t)(uniform(R, 0, 1) ? uniform(R, 32768, 1 << 24)
                                         : uniform(R, -(1 << 24), -32769));
      const auto Iv = positions(R, B, F, Hp - K + 1, Wp - K + 1, GH, GW,
                                Every == 12 ? Pos::Random : Pos::Pool);
      checkSparse(R, S, values<int8_t>(R, B * C * Hp * Wp, -128, 127), Dv, Iv,
                  Every != 12);
      checkSparse(R, S, values<int16_t>(R, B * C * Hp * Wp, -2540, 2540), Dv,
                  Iv, Every != 12);
    }
  // int16 x at full range: the int16 list cannot take one exact step with
  // deltas of 2^15, so the whole unit takes the int64 path.
  const int64_t S[8] = {2, 9, 6, 6, 5, 3, 2, 2};
  auto Dv = values<int32_t>(R, 2 * 5 * 4, -32768, 32767, true);
  Dv[3] = 1 << 20;
  checkSparse(R, S, values<int16_t>(R, 2 * 9 * 36, -32768, 32767, true), Dv,
              positions(R, 2, 5, 4, 4, 2, 2, Pos::Pool), true);
}

} // namespace
