//===- ActivationsTest.cpp - ALGORITHM.md §2.4 and §12.1 ------------------===//

#include "runtime/c/intc_activations.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

constexpr int32_t MAX = INT32_MAX;

// §12.1 input row.
const std::vector<int32_t> X = {-128, -127, -100, -75, -74, -40, -32, -31,
                                -5,   -4,   -3,   -1,  0,   1,   31,  32,
                                50,   74,   75,   100, 126, 127, 128, 300};

TEST(Activations, PocketTanhGolden) {
  const std::vector<int32_t> Y = {-127, -125, -116, -108, -106, -72, -64, -62,
                                  -10,  -8,   -6,   -2,   0,    2,   62,  64,
                                  82,   106,  108,  116,  125,  127, 127, 127};
  const std::vector<int32_t> G = {MAX, 8, 8, 8, 2, 2, 2, 1, 1, 1,   1,   1,
                                  1,   1, 1, 2, 2, 2, 8, 8, 8, MAX, MAX, MAX};
  for (size_t I = 0; I < X.size(); ++I) {
    EXPECT_EQ(intc_pocket_tanh(X[I]), Y[I]) << "x = " << X[I];
    EXPECT_EQ(intc_pocket_tanh_inv_slope(X[I]), G[I]) << "x = " << X[I];
    EXPECT_EQ(intc_act_bwd_scalar(INTC_ACT_POCKET_TANH, 0, X[I], 1000),
              1000 / G[I]);
  }
}

TEST(Activations, NitroLeakyRelu4Golden) {
  const std::vector<int32_t> Y = {-67, -67, -61, -54, -54, -46, -44, -43,
                                  -37, -37, -36, -36, -36, -35, -5,  -4,
                                  14,  38,  39,  64,  90,  91,  91,  91};
  for (size_t I = 0; I < X.size(); ++I) {
    EXPECT_EQ(intc_nitro_leaky_relu(X[I], 4), Y[I]) << "x = " << X[I];
    EXPECT_EQ(intc_act_fwd_scalar(INTC_ACT_NITRO_LEAKY_RELU, 4, X[I]), Y[I]);
  }
}

TEST(Activations, NitroBackwardGolden) {
  for (int32_t XV : X) {
    int32_t Want1000, WantM7;
    if (XV < -127 || XV >= 127) {
      Want1000 = 0;
      WantM7 = 0;
    } else if (XV < 0) {
      Want1000 = 250;
      WantM7 = -1;
    } else {
      Want1000 = 1000;
      WantM7 = -7;
    }
    EXPECT_EQ(intc_act_bwd_scalar(INTC_ACT_NITRO_LEAKY_RELU, 4, XV, 1000),
              Want1000)
        << "x = " << XV;
    EXPECT_EQ(intc_act_bwd_scalar(INTC_ACT_NITRO_LEAKY_RELU, 4, XV, -7), WantM7)
        << "x = " << XV;
  }
}

TEST(Activations, InvSlopeMaxIsAppliedLiterally) {
  // tdiv(delta, INT32_MAX) is 0 except at the extremes.
  EXPECT_EQ(intc_act_bwd_scalar(INTC_ACT_NITRO_LEAKY_RELU, 4, 127, INT32_MAX),
            1);
  EXPECT_EQ(intc_act_bwd_scalar(INTC_ACT_NITRO_LEAKY_RELU, 4, 127, INT32_MIN),
            -1);
  EXPECT_EQ(intc_act_bwd_scalar(INTC_ACT_POCKET_TANH, 0, -128, INT32_MAX - 1),
            0);
}

TEST(Activations, PocketReluGolden) {
  for (int32_t XV = -300; XV <= 300; ++XV) {
    const int32_t Want = XV <= 0 ? 0 : (XV <= 127 ? XV : 127);
    EXPECT_EQ(intc_pocket_relu(XV), Want);
    EXPECT_EQ(intc_act_bwd_scalar(INTC_ACT_POCKET_RELU, 0, XV, 5),
              (XV >= 1 && XV <= 127) ? 5 : 0);
  }
}

TEST(Activations, PocketLeakyRelu) {
  EXPECT_EQ(intc_pocket_leaky_relu(-127, 4), -31);
  EXPECT_EQ(intc_pocket_leaky_relu(-7, 3), -2); // tdiv(-7, 3)
  EXPECT_EQ(intc_pocket_leaky_relu(200, 4), 127);
  EXPECT_EQ(intc_act_bwd_scalar(INTC_ACT_POCKET_LEAKY_RELU, 4, -127, 9), 2);
  EXPECT_EQ(intc_act_bwd_scalar(INTC_ACT_POCKET_LEAKY_RELU, 4, 127, 9), 0);
}

TEST(Activations, MeanCorrectionTableAndValidity) {
  const int32_t Nsi[] = {3, 4, 5, 7, 8, 10, 15, 16, 20};
  const int32_t C[] = {31, 36, 38, 40, 42, 43, 44, 44, 45};
  for (int I = 0; I < 9; ++I) {
    EXPECT_EQ(intc_nitro_mean_correction(Nsi[I]), C[I]);
    EXPECT_TRUE(intc_nsi_valid(Nsi[I]));
    EXPECT_EQ(intc_nitro_leaky_relu(0, Nsi[I]), -C[I]);
  }
  for (int32_t Bad : {0, 1, 2, 6, 9, 11, 17, 21, -4})
    EXPECT_FALSE(intc_nsi_valid(Bad));
  EXPECT_TRUE(intc_act_valid(INTC_ACT_POCKET_TANH, 0));
  EXPECT_FALSE(intc_act_valid(INTC_ACT_NITRO_LEAKY_RELU, 6));
  EXPECT_FALSE(intc_act_valid(99, 4));
}

TEST(Activations, TensorKernelsMatchScalar) {
  std::vector<int8_t> In;
  for (int V = -127; V <= 127; ++V)
    In.push_back((int8_t)V);
  // 255 elements viewed as (batch 5, features 51).
  std::vector<int8_t> Y(In.size());
  std::vector<int32_t> D(In.size()), Din(In.size());
  for (size_t I = 0; I < In.size(); ++I)
    D[I] = (int32_t)I * 37 - 4000;
  for (int32_t Kind : {INTC_ACT_NITRO_LEAKY_RELU, INTC_ACT_POCKET_LEAKY_RELU,
                       INTC_ACT_POCKET_RELU, INTC_ACT_POCKET_TANH}) {
    intc_act_fwd(Kind, 4, 2, In.data(), Y.data(), 5, 51, 1, 1);
    intc_act_bwd(Kind, 4, 2, In.data(), D.data(), Din.data(), 5, 51, 1, 1);
    for (size_t I = 0; I < In.size(); ++I) {
      EXPECT_EQ(Y[I], intc_act_fwd_scalar(Kind, 4, In[I]));
      EXPECT_EQ(Din[I], intc_act_bwd_scalar(Kind, 4, In[I], D[I]));
    }
  }
  // Backward in place.
  std::vector<int32_t> Inplace = D;
  intc_act_bwd(INTC_ACT_NITRO_LEAKY_RELU, 4, 2, In.data(), Inplace.data(),
               Inplace.data(), 5, 51, 1, 1);
  intc_act_bwd(INTC_ACT_NITRO_LEAKY_RELU, 4, 2, In.data(), D.data(), Din.data(),
               5, 51, 1, 1);
  EXPECT_EQ(Inplace, Din);
}

TEST(Activations, BipolarRank2OddColumns) {
  // (batch 2, features 4); M = +1, -1, +1, -1 per row.
  const int8_t X2[8] = {10, 10, -20, -20, 100, -100, 127, -127};
  int8_t Y2[8];
  intc_act_fwd(INTC_ACT_BIPOLAR_POCKET_RELU, 0, 2, X2, Y2, 2, 4, 1, 1);
  // f(x*M)*M: col0 relu(10)=10; col1 -relu(-10)=0; col2 relu(-20)=0;
  // col3 -relu(20)=-20.
  const int8_t Want[8] = {10, 0, 0, -20, 100, -100, 127, -127};
  for (int I = 0; I < 8; ++I)
    EXPECT_EQ(Y2[I], Want[I]) << I;
  const int32_t D[8] = {8, 8, 8, 8, 8, 8, 8, 8};
  int32_t Din[8];
  intc_act_bwd(INTC_ACT_BIPOLAR_LEAKY_RELU, 4, 2, X2, D, Din, 2, 4, 1, 1);
  // Leaky: x*M = 10, -10, -20, 20, 100, 100, 127, 127 -> g = 1,4,4,1,1,1,MAX,
  // MAX; delta*M = 8,-8,8,-8,...; result * M.
  const int32_t WantD[8] = {8, 2, 2, 8, 8, 8, 0, 0};
  for (int I = 0; I < 8; ++I)
    EXPECT_EQ(Din[I], WantD[I]) << I;
}

TEST(Activations, BipolarRank4Checkerboard) {
  // (batch 1, channels 1, 2 x 2): M = [[+1, -1], [-1, +1]].
  const int8_t X4[4] = {-8, -8, -8, -8};
  int8_t Y4[4];
  intc_act_fwd(INTC_ACT_BIPOLAR_LEAKY_RELU, 4, 4, X4, Y4, 1, 1, 2, 2);
  // +1: leaky(-8) = -2; -1: -leaky(8) = -8.
  EXPECT_EQ(Y4[0], -2);
  EXPECT_EQ(Y4[1], -8);
  EXPECT_EQ(Y4[2], -8);
  EXPECT_EQ(Y4[3], -2);
  EXPECT_EQ(intc_bipolar_sign(4, 3, 1, 2), -1);
  EXPECT_EQ(intc_bipolar_sign(4, 3, 2, 2), 1);
  EXPECT_EQ(intc_bipolar_sign(2, 3, 0, 0), -1);
}

} // namespace
