//===- KernelsTest.cpp - step-level reference kernels ---------------------===//
//
// Hand-computed cases plus comparisons with deliberately naive C++ versions
// that follow the ALGORITHM.md formulas literally (explicit padded copies,
// no skipping).
//
//===----------------------------------------------------------------------===//

#include "runtime/c/intc_kernels.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

TEST(Arith, TdivTruncatesTowardZero) {
  // The kernels rely on C `/`; pin the ALGORITHM.md §1.1 examples.
  volatile int64_t A = -7, B = 2, C = 7, D = -2;
  EXPECT_EQ(A / B, -3);
  EXPECT_EQ(C / D, -3);
  EXPECT_EQ(A / D, 3);
  EXPECT_EQ(C / B, 3);
}

TEST(Arith, Wrap) {
  EXPECT_EQ(intc_wrap8(-159), 97); // Q3 example: yhat = -127, y = 32
  EXPECT_EQ(intc_wrap8(127), 127);
  EXPECT_EQ(intc_wrap8(128), -128);
  EXPECT_EQ(intc_wrap8(-128), -128);
  EXPECT_EQ(intc_wrap8(-129), 127);
  EXPECT_EQ(intc_wrap8(255), -1);
  EXPECT_EQ(intc_wrap8(256), 0);
  EXPECT_EQ(intc_wrap16(32768), -32768);
  EXPECT_EQ(intc_wrap16(-32769), 32767);
  EXPECT_EQ(intc_wrap32(INT64_C(2147483648)), INT32_MIN);
  EXPECT_EQ(intc_wrap32(INT64_C(-2147483649)), INT32_MAX);
  EXPECT_EQ(intc_wrap32(INT64_C(0x100000005)), 5);
  EXPECT_EQ(intc_wrap32(INT64_MIN), 0);
  EXPECT_EQ(intc_wrap32(-1), -1);
  EXPECT_EQ(intc_clip64(-300, -127, 127), -127);
}

TEST(Linear, ForwardGradients) {
  // x (2, 3), W (2, 3).
  const int8_t X[6] = {1, -2, 3, 4, 5, -6};
  const int16_t X16[6] = {1, -2, 3, 4, 5, -6};
  const int32_t W[6] = {10, 20, 30, -1, -2, -3};
  int64_t Z[4], Z16[4];
  intc_linear_fwd_i8(X, W, Z, 2, 3, 2);
  intc_linear_fwd_i16(X16, W, Z16, 2, 3, 2);
  const int64_t WantZ[4] = {60, -6, -40, 4};
  for (int I = 0; I < 4; ++I) {
    EXPECT_EQ(Z[I], WantZ[I]);
    EXPECT_EQ(Z16[I], WantZ[I]);
  }
  // delta (2, 2): G[o, i] = sum_b delta[b, o] x[b, i].
  const int32_t Dl[4] = {1, 2, -1, 3};
  int64_t G[6], G16[6];
  intc_linear_wgrad_i8(Dl, X, G, 2, 3, 2);
  intc_linear_wgrad_i16(Dl, X16, G16, 2, 3, 2);
  const int64_t WantG[6] = {1 - 4, -2 - 5, 3 + 6, 2 + 12, -4 + 15, 6 - 18};
  for (int I = 0; I < 6; ++I) {
    EXPECT_EQ(G[I], WantG[I]);
    EXPECT_EQ(G16[I], WantG[I]);
  }
  // din[b, i] = sum_o delta[b, o] W[o, i].
  int32_t Din[6];
  intc_linear_dgrad(Dl, W, Din, 2, 3, 2);
  const int32_t WantD[6] = {8, 16, 24, -13, -26, -39};
  for (int I = 0; I < 6; ++I)
    EXPECT_EQ(Din[I], WantD[I]);
}

TEST(Linear, GradientAccumulatesInInt64) {
  // 64 * 127 * 2^30 overflows int32 but not int64.
  std::vector<int8_t> X(64, 127);
  std::vector<int32_t> D(64, 1 << 30);
  int64_t G;
  intc_linear_wgrad_i8(D.data(), X.data(), &G, 64, 1, 1);
  EXPECT_EQ(G, INT64_C(64) * 127 * (INT64_C(1) << 30));
  // The input gradient is stored by truncation, like int32 arithmetic.
  const int32_t W[2] = {1 << 30, 1 << 30};
  const int32_t Dl[2] = {2, 1};
  int32_t Din;
  intc_linear_dgrad(Dl, W, &Din, 1, 1, 2);
  EXPECT_EQ(Din, intc_wrap32(INT64_C(3) << 30));
}

// Literal §2.2 definition with an explicit zero-padded copy.
struct NaiveConv {
  int B, C, H, W, F, K, P;
  std::vector<int64_t> pad(const std::vector<int> &X) const {
    const int Hp = H + 2 * P, Wp = W + 2 * P;
    std::vector<int64_t> Xp((size_t)B * C * Hp * Wp, 0);
    for (int M = 0; M < B; ++M)
      for (int Ci = 0; Ci < C; ++Ci)
        for (int I = 0; I < H; ++I)
          for (int J = 0; J < W; ++J)
            Xp[(((size_t)M * C + Ci) * Hp + I + P) * Wp + J + P] =
                X[(((size_t)M * C + Ci) * H + I) * W + J];
    return Xp;
  }
  std::vector<int64_t> fwd(const std::vector<int> &X,
                           const std::vector<int32_t> &Wt) const {
    const int Hp = H + 2 * P, Wp = W + 2 * P, Ho = Hp - K + 1, Wo = Wp - K + 1;
    auto Xp = pad(X);
    std::vector<int64_t> Z((size_t)B * F * Ho * Wo, 0);
    for (int M = 0; M < B; ++M)
      for (int Fi = 0; Fi < F; ++Fi)
        for (int I = 0; I < Ho; ++I)
          for (int J = 0; J < Wo; ++J)
            for (int Ci = 0; Ci < C; ++Ci)
              for (int U = 0; U < K; ++U)
                for (int V = 0; V < K; ++V)
                  Z[(((size_t)M * F + Fi) * Ho + I) * Wo + J] +=
                      (int64_t)Wt[(((size_t)Fi * C + Ci) * K + U) * K + V] *
                      Xp[(((size_t)M * C + Ci) * Hp + I + U) * Wp + J + V];
    return Z;
  }
  std::vector<int64_t> wgrad(const std::vector<int32_t> &D,
                             const std::vector<int> &X) const {
    const int Hp = H + 2 * P, Wp = W + 2 * P, Ho = Hp - K + 1, Wo = Wp - K + 1;
    auto Xp = pad(X);
    std::vector<int64_t> G((size_t)F * C * K * K, 0);
    for (int Fi = 0; Fi < F; ++Fi)
      for (int Ci = 0; Ci < C; ++Ci)
        for (int U = 0; U < K; ++U)
          for (int V = 0; V < K; ++V)
            for (int M = 0; M < B; ++M)
              for (int I = 0; I < Ho; ++I)
                for (int J = 0; J < Wo; ++J)
                  G[(((size_t)Fi * C + Ci) * K + U) * K + V] +=
                      (int64_t)D[(((size_t)M * F + Fi) * Ho + I) * Wo + J] *
                      Xp[(((size_t)M * C + Ci) * Hp + I + U) * Wp + J + V];
    return G;
  }
};

TEST(Conv2d, MatchesLiteralDefinition) {
  for (int P : {0, 1, 2}) {
    NaiveConv N{2, 3, 5, 4, 2, 3, P};
    std::vector<int> Xi((size_t)N.B * N.C * N.H * N.W);
    std::vector<int8_t> X8(Xi.size());
    std::vector<int16_t> X16(Xi.size());
    for (size_t I = 0; I < Xi.size(); ++I) {
      Xi[I] = (int)((I * 73 + 11) % 255) - 127;
      X8[I] = (int8_t)Xi[I];
      X16[I] = (int16_t)(Xi[I] * 2);
    }
    std::vector<int32_t> Wt((size_t)N.F * N.C * N.K * N.K);
    for (size_t I = 0; I < Wt.size(); ++I)
      Wt[I] = (int32_t)((I * 37) % 61) * 1000 - 30000;
    const int Ho = intc_conv2d_out_size(N.H, N.K, P),
              Wo = intc_conv2d_out_size(N.W, N.K, P);
    std::vector<int64_t> Z((size_t)N.B * N.F * Ho * Wo);
    intc_conv2d_fwd_i8(X8.data(), Wt.data(), Z.data(), N.B, N.C, N.H, N.W, N.F,
                       N.K, P);
    EXPECT_EQ(Z, N.fwd(Xi, Wt)) << "pad " << P;
    std::vector<int> X2(Xi);
    for (int &V : X2)
      V *= 2;
    intc_conv2d_fwd_i16(X16.data(), Wt.data(), Z.data(), N.B, N.C, N.H, N.W,
                        N.F, N.K, P);
    EXPECT_EQ(Z, N.fwd(X2, Wt)) << "pad " << P;

    std::vector<int32_t> D(Z.size());
    for (size_t I = 0; I < D.size(); ++I)
      D[I] = (I % 3 == 0) ? 0 : (int32_t)(I * 7919 % 20001) - 10000;
    std::vector<int64_t> G(Wt.size());
    intc_conv2d_wgrad_i8(D.data(), X8.data(), G.data(), N.B, N.C, N.H, N.W, N.F,
                         N.K, P);
    EXPECT_EQ(G, N.wgrad(D, Xi)) << "pad " << P;
    intc_conv2d_wgrad_i16(D.data(), X16.data(), G.data(), N.B, N.C, N.H, N.W,
                          N.F, N.K, P);
    EXPECT_EQ(G, N.wgrad(D, X2)) << "pad " << P;
  }
}

TEST(Rescale, TruncatesAndClips) {
  const int64_t Z[] = {0,
                       255,
                       256,
                       -255,
                       -256,
                       -257,
                       32767,
                       32768,
                       127 * 256,
                       128 * 256,
                       -32768,
                       -127 * 256 - 255,
                       INT64_C(1) << 40,
                       -(INT64_C(1) << 40)};
  const int8_t Want[] = {0,   0,   1,   0,    -1,   -1,  127,
                         127, 127, 127, -127, -127, 127, -127};
  int8_t Y[14];
  intc_rescale(Z, Y, 14, 256);
  for (int I = 0; I < 14; ++I)
    EXPECT_EQ(Y[I], Want[I]) << I;
  // §12.2: -27000 / 1536 and 166000 / 1536.
  const int64_t Z2[2] = {-27000, 166000};
  intc_rescale(Z2, Y, 2, 1536);
  EXPECT_EQ(Y[0], -17);
  EXPECT_EQ(Y[1], 108);
}

TEST(MaxPool, FirstMaximumAndArgmaxEncoding) {
  // One 3 x 3 plane, kernel 2, pad 1, pad value 0: output 2 x 2 windows
  // in padded coordinates rows {0,1},{2,3}, cols likewise.
  const int8_t X[9] = {-5, 7,  7, //
                       -3, -1, 2, //
                       -9, 4,  -2};
  int8_t Y[4];
  int32_t A[4];
  intc_maxpool2d_fwd_i8(X, Y, A, 1, 1, 3, 3, 2, 2, 1, 1, 0);
  // Window (0,0): pad, pad, pad, -5 -> first max is padding 0 -> -1.
  EXPECT_EQ(Y[0], 0);
  EXPECT_EQ(A[0], -1);
  // Window (0,1): pad, pad, 7 (0,1), 7 (0,2) -> 7 at (0,1), the first.
  EXPECT_EQ(Y[1], 7);
  EXPECT_EQ(A[1], 1);
  // Window (1,0): pad, -3, pad, -9 -> padding 0 wins.
  EXPECT_EQ(Y[2], 0);
  EXPECT_EQ(A[2], -1);
  // Window (1,1): -1, 2, 4, -2 -> 4 at (2,1) = 7.
  EXPECT_EQ(Y[3], 4);
  EXPECT_EQ(A[3], 7);

  const int32_t D[4] = {100, 200, 300, 400};
  int32_t Din[9];
  intc_maxpool2d_bwd(D, A, Din, 1, 1, 3, 3, 2, 2);
  const int32_t WantDin[9] = {0, 200, 0, 0, 0, 0, 0, 400, 0};
  for (int I = 0; I < 9; ++I)
    EXPECT_EQ(Din[I], WantDin[I]) << I;
}

TEST(MaxPool, FloorSizeIgnoresLeftoverAndTies) {
  // 3 x 3 plane, kernel 2, no pad: one window, the last row/col ignored.
  const int16_t X[9] = {5, 5, 100, 5, 5, 100, 100, 100, 100};
  int16_t Y[1];
  int32_t A[1];
  EXPECT_EQ(intc_maxpool_out_size(3, 2, 0), 1);
  EXPECT_EQ(intc_maxpool_out_size(7, 2, 0), 3);
  intc_maxpool2d_fwd_i16(X, Y, A, 1, 1, 3, 3, 2, 2, 0, 0, 0);
  EXPECT_EQ(Y[0], 5);
  EXPECT_EQ(A[0], 0); // all equal: the first one
  // Rectangular kernel (2, 1) with NULL argmax, two planes.
  const int8_t X2[8] = {1, 2, 3, 4, -1, -2, -3, -4};
  int8_t Y2[4];
  intc_maxpool2d_fwd_i8(X2, Y2, nullptr, 1, 2, 2, 2, 2, 1, 0, 0, 0);
  EXPECT_EQ(Y2[0], 3);
  EXPECT_EQ(Y2[1], 4);
  EXPECT_EQ(Y2[2], -1);
  EXPECT_EQ(Y2[3], -2);
}

TEST(Dropout, FactorTable) {
  const int32_t Want[19] = {1052, 1111, 1176, 1250,  1333, 1428, 1538,
                            1666, 1818, 2000, 2222,  2500, 2857, 3333,
                            4000, 5000, 6666, 10000, 20000};
  for (int I = 0; I < 19; ++I)
    EXPECT_EQ(intc_dropout_factor(50 * (I + 1)), Want[I]);
  for (int32_t Bad : {0, 25, 49, 51, 1000, -50, 975})
    EXPECT_EQ(intc_dropout_factor(Bad), 0);
}

TEST(Dropout, MaskKnownAnswerAndForward) {
  // Pinned: seed 7, layer 0, step 3, 16 elements, rate 500 permille.
  const int32_t WantKeep[16] = {1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1};
  const uint64_t Key = intc_rng_key(7, INTC_RNG_STREAM_DROPOUT + 0);
  int8_t X[16];
  for (int I = 0; I < 16; ++I) {
    EXPECT_EQ(intc_dropout_keep(Key, 3, 16, I, 500), WantKeep[I]) << I;
    X[I] = (int8_t)(I * 17 - 128);
  }
  int16_t Y[16];
  intc_dropout_fwd(X, Y, 16, 500, 7, 0, 3);
  for (int I = 0; I < 16; ++I)
    EXPECT_EQ(Y[I], WantKeep[I] ? (int16_t)(X[I] * 2000 / 1000) : 0);
  // Rate 150: y = tdiv(x * 1176, 1000), e.g. -67 -> -78 and 91 -> 107.
  const int8_t X2[2] = {-67, 91};
  int16_t Y2[2];
  intc_dropout_fwd(X2, Y2, 2, 150, 1, 0, 0);
  for (int I = 0; I < 2; ++I)
    EXPECT_TRUE(Y2[I] == 0 || Y2[I] == (I == 0 ? -78 : 107));
  // Backward uses the same mask.
  const int32_t D[16] = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000,
                         -999, -999, -999, -999, -999, -999, -999, -999};
  int32_t Din[16];
  intc_dropout_bwd(D, Din, 16, 500, 7, 0, 3);
  for (int I = 0; I < 16; ++I)
    EXPECT_EQ(Din[I], WantKeep[I] ? D[I] * 2 : 0);
}

TEST(Dropout, StepsAndLayersDiffer) {
  std::vector<int8_t> X(4096, 100);
  std::vector<int16_t> A(4096), B(4096), C(4096);
  intc_dropout_fwd(X.data(), A.data(), 4096, 100, 5, 0, 0);
  intc_dropout_fwd(X.data(), B.data(), 4096, 100, 5, 0, 1);
  intc_dropout_fwd(X.data(), C.data(), 4096, 100, 5, 1, 0);
  EXPECT_NE(A, B);
  EXPECT_NE(A, C);
  int Kept = 0;
  for (int16_t V : A)
    Kept += V != 0;
  EXPECT_NEAR(Kept, 4096 * 9 / 10, 80);
  for (int16_t V : A)
    EXPECT_TRUE(V == 0 || V == 111);
}

TEST(Loss, L2GradWrapAndExact) {
  const int8_t Yh[4] = {79, -127, 127, -44};
  const int8_t Y[4] = {32, 32, 0, 32};
  int32_t E[4];
  intc_l2_grad(Yh, Y, E, 4, 0);
  EXPECT_EQ(E[0], 47);
  EXPECT_EQ(E[1], -159);
  EXPECT_EQ(E[2], 127);
  EXPECT_EQ(E[3], -76);
  intc_l2_grad(Yh, Y, E, 4, 1);
  EXPECT_EQ(E[1], 97); // Q3: wraps to the wrong sign
  EXPECT_EQ(E[3], -76);
}

TEST(Loss, OneHotAndCountCorrect) {
  const uint8_t L[3] = {2, 0, 1};
  int8_t Y[9];
  intc_one_hot(L, Y, 3, 3, 32);
  const int8_t Want[9] = {0, 0, 32, 32, 0, 0, 0, 32, 0};
  for (int I = 0; I < 9; ++I)
    EXPECT_EQ(Y[I], Want[I]);
  // Row 0 argmax 2 (correct), row 1 tie 5/5 -> class 0 (correct), row 2
  // argmax 0 (wrong).
  const int8_t Logits[9] = {-1, 3, 4, 5, 5, -7, 9, 9, -128};
  EXPECT_EQ(intc_count_correct(Logits, L, 3, 3), 2);
}

TEST(Sgd, UpdateRule) {
  // div = 8 * 2 = 16; decay 2000.
  int32_t W[5] = {-3000, 1999, 2000, -4000, 5};
  const int64_t G[5] = {-33, 33, -16, 0, INT64_C(1) << 40};
  intc_sgd_update(W, G, 5, 8, 2, 2000);
  // dw = tdiv(G, 16) + tdiv(W, 2000).
  EXPECT_EQ(W[0], -3000 - (-2 + -1));
  EXPECT_EQ(W[1], 1999 - (2 + 0));
  EXPECT_EQ(W[2], 2000 - (-1 + 1));
  EXPECT_EQ(W[3], -4000 - (0 - 2));
  EXPECT_EQ(W[4], intc_wrap32(5 - (INT64_C(1) << 36)));
  // No decay when decay_inv == 0.
  int32_t W2[1] = {1 << 30};
  const int64_t G2[1] = {0};
  intc_sgd_update(W2, G2, 1, 512, 640, 0);
  EXPECT_EQ(W2[0], 1 << 30);
}

} // namespace
