//===- RefTrainTest.cpp - the reference trainer (§3, §12.2, §12.3) --------===//

#include "runtime/c/intc_activations.h"
#include "runtime/c/intc_init.h"
#include "runtime/c/intc_kernels.h"
#include "runtime/c/intc_model.h"
#include "runtime/c/intc_rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace {

// Scratch for the trainer, 16-byte aligned.
struct Scratch {
  std::vector<uint64_t> Buf;
  Scratch(const intc_model &M, int32_t Batch) {
    const size_t N = intc_ref_scratch_bytes(&M, Batch);
    EXPECT_GT(N, 0u);
    Buf.assign(N / 8 + 2, 0);
  }
  void *data() { return Buf.data(); }
};

intc_model baseModel(int C, int H, int W, int K) {
  intc_model M{};
  M.name = "test";
  M.num_classes = K;
  M.one_hot_value = 32;
  M.in_c = C;
  M.in_h = H;
  M.in_w = W;
  M.flags = INTC_FLAGS_REFERENCE;
  return M;
}

// §12.2: IntegerLocalLossMLP 6 -> [4] -> 3, batch 2, lr_inv 8, A_enc 2,
// fwd decay 2000, subnet decay 500.
TEST(RefTrain, MlpGoldenStep) {
  intc_block_params P = intc_block_params_reference(2000, 500);
  P.lr_amp = 2;
  std::vector<intc_layer> L = {intc_make_linear_block(6, 4, 3, &P),
                               intc_make_output(4, 3, &P)};
  intc_model M = baseModel(6, 1, 1, 3);
  ASSERT_EQ(intc_model_finalize(&M, L.data(), 2, nullptr), INTC_OK);
  EXPECT_EQ(L[0].fwd_factor, 1536);
  EXPECT_EQ(L[0].head_factor, 1024);
  EXPECT_EQ(L[1].fwd_factor, 1024);
  ASSERT_EQ(M.n_weights, 24 + 12 + 12);

  std::vector<int32_t> W = {
      // W_enc (4 x 6)
      -3000, 700, -1700, 2000, -400, -2800, 900, -1500, 2200, -200, -2600, 1100,
      -1300, 2400, 0, -2400, 1300, -1100, 2600, 200, -2200, 1500, -900, 2800,
      // W_learn (3 x 4)
      -1000, 150, -750, 400, -500, 650, -250, 900, 0, -900, 250, -650,
      // W_out (3 x 4)
      -1260, 480, -360, -1200, 540, -300, -1140, 600, -240, -1080, 660, -180};
  const int8_t X[12] = {10, -20, 30, -40, 50, -60, 127, -128, 5, 0, 64, -64};
  const uint8_t Labels[2] = {0, 2};

  // Intermediates: pre-activation, h, yhat, e_out.
  int64_t Z[8];
  intc_linear_fwd_i8(X, W.data(), Z, 2, 6, 4);
  const int64_t WantZ[8] = {-27000,  -83000, 166000,  -317000,
                            -325500, 80500,  -318700, 56800};
  for (int I = 0; I < 8; ++I)
    EXPECT_EQ(Z[I], WantZ[I]);
  int8_t Pre[8], H[8];
  intc_rescale(Z, Pre, 8, 1536);
  intc_act_fwd(INTC_ACT_NITRO_LEAKY_RELU, 4, 2, Pre, H, 2, 4, 1, 1);
  const int8_t WantH[8] = {-40, -49, 72, -67, -67, 16, -67, 0};
  for (int I = 0; I < 8; ++I)
    EXPECT_EQ(H[I], WantH[I]);
  int64_t Zo[6];
  int8_t Yhat[6];
  intc_linear_fwd_i8(H, W.data() + 36, Zo, 2, 4, 3);
  intc_rescale(Zo, Yhat, 6, 1024);
  const int8_t WantYhat[6] = {79, -126, 119, 113, 34, -44};
  for (int I = 0; I < 6; ++I)
    EXPECT_EQ(Yhat[I], WantYhat[I]);
  int8_t Y[6];
  int32_t E[6];
  intc_one_hot(Labels, Y, 2, 3, 32);
  intc_l2_grad(Yhat, Y, E, 6, 1);
  const int32_t WantE[6] = {47, -126, 119, 113, 34, -76};
  for (int I = 0; I < 6; ++I)
    EXPECT_EQ(E[I], WantE[I]);
  // The exact difference gives the same numbers here.
  intc_l2_grad(Yhat, Y, E, 6, 0);
  for (int I = 0; I < 6; ++I)
    EXPECT_EQ(E[I], WantE[I]);

  // The prediction before the step is yhat.
  Scratch S(M, 2);
  int8_t Logits[6];
  ASSERT_EQ(intc_ref_predict(&M, W.data(), X, 2, Logits, S.data()), INTC_OK);
  for (int I = 0; I < 6; ++I)
    EXPECT_EQ(Logits[I], WantYhat[I]);

  ASSERT_EQ(intc_ref_train_step(&M, W.data(), X, Labels, 2, 8, 0, 0, S.data()),
            INTC_OK);
  const std::vector<int32_t> Want = {
      // W_enc
      266508, -251862, -47989, 78874, 49006, -32986, -859255, 840353, 43159,
      -101292, -322433, 295661, 164489, -98347, -191465, 265101, -215827,
      282902, -1079290, 1063053, 37432, -109592, -421234, 395360,
      // W_learn
      -422, -565, 933, -261, -445, -8, 1036, 162, -4, -145, -1196, 213,
      // W_out
      -77, 541, 163, -805, 194, -1139, 280, -456, -281, -198, -1048, 816};
  EXPECT_EQ(W, Want);
}

// §12.3 inputs, with Python's non-negative mod.
int pmod(int A, int B) { return ((A % B) + B) % B; }

intc_model convGoldenModel(std::vector<intc_layer> &L) {
  intc_block_params P = intc_block_params_reference(0, 0);
  P.lr_amp = 4;
  P.pred_decoder_dim = 8;
  L = {intc_make_conv_block(1, 4, 4, 2, 3, 1, 3, &P),
       intc_make_flatten(2, 4, 4), intc_make_output(32, 3, &P)};
  intc_model M = baseModel(1, 4, 4, 3);
  EXPECT_EQ(intc_model_finalize(&M, L.data(), 3, nullptr), INTC_OK);
  return M;
}

// §12.3: one LocalConv2dBlock step (1 -> 2 channels, 3 x 3, pad 1, 4 x 4,
// batch 2, K = 3, head pool (2, 2), dim 8, lr_inv 16, A_enc 4, no decay).
TEST(RefTrain, ConvBlockGoldenStep) {
  std::vector<intc_layer> L;
  intc_model M = convGoldenModel(L);
  EXPECT_EQ(L[0].fwd_factor, 2304);
  EXPECT_EQ(L[0].head_factor, 2048);
  EXPECT_EQ(L[0].head_pool_kh, 2);
  EXPECT_EQ(L[0].head_pool_kw, 2);
  EXPECT_EQ(L[0].dim_in_decoder, 8);

  std::vector<int32_t> W(M.n_weights, 0);
  for (int F = 0; F < 2; ++F)
    for (int K = 0; K < 9; ++K)
      W[L[0].w_offset + F * 9 + K] = (pmod((F * 9 + K) * 41, 29) - 14) * 300;
  for (int O = 0; O < 3; ++O)
    for (int K = 0; K < 8; ++K)
      W[L[0].head_w_offset + O * 8 + K] =
          (pmod((O * 8 + K) * 19, 37) - 18) * 200;
  int8_t X[32];
  for (int B = 0; B < 2; ++B)
    for (int I = 0; I < 4; ++I)
      for (int J = 0; J < 4; ++J)
        X[B * 16 + I * 4 + J] =
            (int8_t)(pmod((B * 16 + I * 4 + J) * 53, 255) - 127);
  const uint8_t Labels[2] = {1, 0};

  Scratch S(M, 2);
  ASSERT_EQ(intc_ref_train_step(&M, W.data(), X, Labels, 2, 16, 0, 0, S.data()),
            INTC_OK);
  const std::vector<int32_t> WantConv = {
      -4200,  -322687, -725531, -2100,  9168,    -402375,
      0,      3600,    -1500,   -55062, -262168, -536818,
      283012, 688803,  -318368, -51328, 356231,  -24206};
  const std::vector<int32_t> WantLearn = {
      -3430, 370,  -3999, 570,  -3030, 153,  -3591, 1770,
      -1544, 2256, -1913, 2456, -1144, 1677, -1508, 1809,
      -1864, 1936, -1040, 2136, -1464, 2711, -646,  1489};
  EXPECT_EQ(std::vector<int32_t>(W.begin(), W.begin() + 18), WantConv);
  EXPECT_EQ(std::vector<int32_t>(W.begin() + 18, W.begin() + 42), WantLearn);
}

// A small CNN with every layer kind: conv, dropout, pool, flatten, FC block,
// dropout, output.
struct SmallCnn {
  std::vector<intc_layer> L;
  intc_model M{};
  explicit SmallCnn(uint32_t Flags, int32_t Permille = 200) {
    intc_block_params P = intc_block_params_reference(3000, 500);
    P.pred_decoder_dim = 32;
    L.push_back(intc_make_conv_block(2, 6, 6, 4, 3, 1, 4, &P));
    L.push_back(intc_make_dropout(4, 6, 6, Permille));
    L.push_back(intc_make_maxpool(4, 6, 6, 2));
    L.push_back(intc_make_flatten(4, 3, 3));
    L.push_back(intc_make_linear_block(36, 12, 4, &P));
    L.push_back(intc_make_dropout(12, 1, 1, Permille));
    L.push_back(intc_make_output(12, 4, &P));
    M = baseModel(2, 6, 6, 4);
    M.flags = Flags;
    EXPECT_EQ(intc_model_finalize(&M, L.data(), (int32_t)L.size(), nullptr),
              INTC_OK);
  }
};

std::vector<int8_t> batchInput(int N, uint32_t Salt) {
  std::vector<int8_t> X(N);
  for (int I = 0; I < N; ++I)
    X[I] = (int8_t)(intc_rng_below(intc_rng_u64(Salt, I), 255) - 127);
  return X;
}

TEST(RefTrain, InitFollowsTensorOrder) {
  SmallCnn C(INTC_FLAGS_REFERENCE);
  std::vector<int32_t> W(C.M.n_weights);
  ASSERT_EQ(intc_ref_init(&C.M, W.data(), 42), INTC_OK);
  // Tensor 0: conv W; 1: conv head; 2: FC W; 3: FC head; 4: output.
  std::vector<int32_t> T(intc_layer_weight_elems(&C.L[4]));
  intc_init_uniform(T.data(), (int64_t)T.size(), C.L[4].init_bound, 42, 2);
  EXPECT_TRUE(std::equal(T.begin(), T.end(), W.begin() + C.L[4].w_offset));
  std::vector<int32_t> O(intc_layer_weight_elems(&C.L[6]));
  intc_init_uniform(O.data(), (int64_t)O.size(), C.L[6].init_bound, 42, 4);
  EXPECT_TRUE(std::equal(O.begin(), O.end(), W.begin() + C.L[6].w_offset));
  for (int32_t V : W) {
    EXPECT_LE(V, 64);
    EXPECT_GE(V, -64);
  }
}

TEST(RefTrain, StepIsDeterministicAndDropoutDependsOnStep) {
  SmallCnn C(INTC_FLAGS_REFERENCE);
  std::vector<int32_t> W0(C.M.n_weights);
  intc_ref_init(&C.M, W0.data(), 1);
  const int Batch = 5;
  auto X = batchInput(Batch * 72, 9);
  const uint8_t Labels[Batch] = {0, 1, 2, 3, 1};
  Scratch S(C.M, Batch);
  std::vector<int32_t> A = W0, B = W0, D = W0;
  intc_ref_train_step(&C.M, A.data(), X.data(), Labels, Batch, 512, 7, 3,
                      S.data());
  intc_ref_train_step(&C.M, B.data(), X.data(), Labels, Batch, 512, 7, 3,
                      S.data());
  intc_ref_train_step(&C.M, D.data(), X.data(), Labels, Batch, 512, 7, 4,
                      S.data());
  EXPECT_EQ(A, B);
  EXPECT_NE(A, W0);
  EXPECT_NE(A, D); // different dropout masks
}

TEST(RefTrain, SecondClassifierUpdateOnlyTouchesLinearBlocks) {
  SmallCnn On(INTC_FLAGS_REFERENCE);
  SmallCnn Off(INTC_FLAG_LOSS_WRAP8);
  std::vector<int32_t> W0(On.M.n_weights);
  intc_ref_init(&On.M, W0.data(), 5);
  // Grow the weights so that updates are visible after one step.
  for (int32_t &V : W0)
    V *= 40;
  const int Batch = 4;
  auto X = batchInput(Batch * 72, 3);
  const uint8_t Labels[Batch] = {3, 2, 1, 0};
  Scratch S(On.M, Batch);
  std::vector<int32_t> A = W0, B = W0;
  intc_ref_train_step(&On.M, A.data(), X.data(), Labels, Batch, 2, 1, 0,
                      S.data());
  intc_ref_train_step(&Off.M, B.data(), X.data(), Labels, Batch, 2, 1, 0,
                      S.data());
  const intc_layer &Conv = On.L[0], &Fc = On.L[4], &Out = On.L[6];
  auto Slice = [](const std::vector<int32_t> &V, int64_t Off, int64_t N) {
    return std::vector<int32_t>(V.begin() + Off, V.begin() + Off + N);
  };
  const int64_t ConvN = Fc.w_offset; // conv W and head come first
  EXPECT_EQ(Slice(A, 0, ConvN), Slice(B, 0, ConvN));
  EXPECT_EQ(Slice(A, Out.w_offset, 48), Slice(B, Out.w_offset, 48));
  EXPECT_NE(Slice(A, Fc.w_offset, Out.w_offset - Fc.w_offset),
            Slice(B, Fc.w_offset, Out.w_offset - Fc.w_offset));
  (void)Conv;
}

TEST(RefTrain, MlpDoesNotUpdateTwice) {
  // The flag only acts when the model has conv blocks.
  intc_block_params P = intc_block_params_reference(0, 0);
  std::vector<intc_layer> L = {intc_make_linear_block(8, 6, 2, &P),
                               intc_make_output(6, 2, &P)};
  intc_model A = baseModel(8, 1, 1, 2), B = baseModel(8, 1, 1, 2);
  B.flags = INTC_FLAG_LOSS_WRAP8;
  ASSERT_EQ(intc_model_finalize(&A, L.data(), 2, nullptr), INTC_OK);
  ASSERT_EQ(intc_model_finalize(&B, L.data(), 2, nullptr), INTC_OK);
  std::vector<int32_t> W0(A.n_weights);
  intc_ref_init(&A, W0.data(), 2);
  for (int32_t &V : W0)
    V *= 100;
  auto X = batchInput(3 * 8, 4);
  const uint8_t Labels[3] = {0, 1, 1};
  Scratch S(A, 3);
  std::vector<int32_t> WA = W0, WB = W0;
  intc_ref_train_step(&A, WA.data(), X.data(), Labels, 3, 4, 0, 0, S.data());
  intc_ref_train_step(&B, WB.data(), X.data(), Labels, 3, 4, 0, 0, S.data());
  EXPECT_EQ(WA, WB);
  EXPECT_NE(WA, W0);
}

TEST(RefTrain, PredictIgnoresDropoutAndRejectsBadInput) {
  SmallCnn C(INTC_FLAGS_REFERENCE);
  std::vector<int32_t> W(C.M.n_weights);
  intc_ref_init(&C.M, W.data(), 11);
  auto X = batchInput(2 * 72, 5);
  Scratch S(C.M, 2);
  int8_t L1[8], L2[8];
  ASSERT_EQ(intc_ref_predict(&C.M, W.data(), X.data(), 2, L1, S.data()),
            INTC_OK);
  ASSERT_EQ(intc_ref_predict(&C.M, W.data(), X.data(), 2, L2, S.data()),
            INTC_OK);
  EXPECT_TRUE(std::equal(L1, L1 + 8, L2));
  // Batch rows are independent in evaluation.
  int8_t One[4];
  intc_ref_predict(&C.M, W.data(), X.data() + 72, 1, One, S.data());
  EXPECT_TRUE(std::equal(One, One + 4, L1 + 4));
  EXPECT_EQ(intc_ref_predict(&C.M, W.data(), X.data(), 0, L1, S.data()),
            INTC_ERR_PARAM);
  EXPECT_EQ(intc_ref_predict(&C.M, W.data(), X.data(), 2, L1, nullptr),
            INTC_ERR_NULL);
  EXPECT_EQ(intc_ref_scratch_bytes(&C.M, 0), 0u);
}

// predict_heads: predict's logits, and each block's head on its
// evaluation-mode output as §3.1/§3.2 define it (spelled out with kernels).
TEST(RefTrain, PredictHeadsMlpGolden) {
  intc_block_params P = intc_block_params_reference(2000, 500);
  std::vector<intc_layer> L = {intc_make_linear_block(6, 4, 3, &P),
                               intc_make_output(4, 3, &P)};
  intc_model M = baseModel(6, 1, 1, 3);
  ASSERT_EQ(intc_model_finalize(&M, L.data(), 2, nullptr), INTC_OK);
  ASSERT_EQ(intc_model_num_heads(&M), 1);
  std::vector<int32_t> W(M.n_weights);
  intc_ref_init(&M, W.data(), 5);
  for (int32_t &V : W)
    V *= 40;
  const int8_t X[12] = {10, -20, 30, -40, 50, -60, 127, -128, 5, 0, 64, -64};
  Scratch S(M, 2);
  int8_t Logits[6], Want[6], Heads[6];
  ASSERT_EQ(intc_ref_predict(&M, W.data(), X, 2, Want, S.data()), INTC_OK);
  ASSERT_EQ(intc_ref_predict_heads(&M, W.data(), X, 2, Logits, Heads, S.data()),
            INTC_OK);
  EXPECT_TRUE(std::equal(Logits, Logits + 6, Want));

  int64_t Z[8], Zh[6];
  int8_t Pre[8], H[8], Head[6];
  intc_linear_fwd_i8(X, W.data(), Z, 2, 6, 4);
  intc_rescale(Z, Pre, 8, L[0].fwd_factor);
  intc_act_fwd(L[0].act, L[0].nsi, 2, Pre, H, 2, 4, 1, 1);
  intc_linear_fwd_i8(H, W.data() + L[0].head_w_offset, Zh, 2, 4, 3);
  intc_rescale(Zh, Head, 6, L[0].head_factor);
  EXPECT_TRUE(std::equal(Heads, Heads + 6, Head));
}

TEST(RefTrain, PredictHeadsConvPoolsWithZeroPaddingAndIgnoresDropout) {
  SmallCnn C(INTC_FLAGS_REFERENCE);
  const intc_layer &Conv = C.L[0];
  ASSERT_GT(Conv.head_pool_kh * Conv.head_pool_kw, 1); // a learning pool
  ASSERT_EQ(intc_model_num_heads(&C.M), 2);
  std::vector<int32_t> W(C.M.n_weights);
  intc_ref_init(&C.M, W.data(), 11);
  const int Batch = 2, K = 4;
  auto X = batchInput(Batch * 72, 5);
  Scratch S(C.M, Batch);
  int8_t Want[8], Logits[8], Heads[2 * 8];
  ASSERT_EQ(intc_ref_predict(&C.M, W.data(), X.data(), Batch, Want, S.data()),
            INTC_OK);
  ASSERT_EQ(intc_ref_predict_heads(&C.M, W.data(), X.data(), Batch, Logits,
                                   Heads, S.data()),
            INTC_OK);
  EXPECT_TRUE(std::equal(Logits, Logits + 8, Want));

  // Head 0: conv block, learning max-pool (pad value 0), flatten, linear.
  const int N = Batch * 4 * 36;
  std::vector<int64_t> Z(N);
  std::vector<int8_t> Pre(N), H(N);
  intc_conv2d_fwd_i8(X.data(), W.data() + Conv.w_offset, Z.data(), Batch, 2, 6,
                     6, 4, 3, 1);
  intc_rescale(Z.data(), Pre.data(), N, Conv.fwd_factor);
  intc_act_fwd(Conv.act, Conv.nsi, 4, Pre.data(), H.data(), Batch, 4, 6, 6);
  std::vector<int8_t> Pooled(Batch * Conv.dim_in_decoder);
  std::vector<int32_t> Argmax(Pooled.size());
  intc_maxpool2d_fwd_i8(H.data(), Pooled.data(), Argmax.data(), Batch, 4, 6, 6,
                        Conv.head_pool_kh, Conv.head_pool_kw, Conv.head_pool_ph,
                        Conv.head_pool_pw, 0);
  int64_t Zh[8];
  int8_t Head[8];
  intc_linear_fwd_i8(Pooled.data(), W.data() + Conv.head_w_offset, Zh, Batch,
                     Conv.dim_in_decoder, K);
  intc_rescale(Zh, Head, 8, Conv.head_factor);
  EXPECT_TRUE(std::equal(Heads, Heads + 8, Head));

  // Head 1 (after dropout, the identity here): rows are independent.
  int8_t One[4], OneHeads[8];
  ASSERT_EQ(intc_ref_predict_heads(&C.M, W.data(), X.data() + 72, 1, One,
                                   OneHeads, S.data()),
            INTC_OK);
  EXPECT_TRUE(std::equal(OneHeads, OneHeads + 4, Heads + 4));
  EXPECT_TRUE(std::equal(OneHeads + 4, OneHeads + 8, Heads + 8 + 4));

  EXPECT_EQ(intc_ref_predict_heads(&C.M, W.data(), X.data(), Batch, Logits,
                                   nullptr, S.data()),
            INTC_ERR_NULL);
  EXPECT_EQ(intc_ref_predict_heads(&C.M, W.data(), X.data(), 0, Logits, Heads,
                                   S.data()),
            INTC_ERR_PARAM);
}

TEST(RefTrain, LearnsASeparableProblem) {
  // Two classes told apart by the sign of the first half of the input.
  intc_block_params P = intc_block_params_reference(20000, 5000);
  std::vector<intc_layer> L = {intc_make_linear_block(16, 16, 2, &P),
                               intc_make_linear_block(16, 8, 2, &P),
                               intc_make_output(8, 2, &P)};
  intc_model M = baseModel(16, 1, 1, 2);
  ASSERT_EQ(intc_model_finalize(&M, L.data(), 3, nullptr), INTC_OK);
  std::vector<int32_t> W(M.n_weights);
  intc_ref_init(&M, W.data(), 3);
  const int Batch = 16, Steps = 300;
  Scratch S(M, Batch);
  auto MakeBatch = [&](uint64_t Step, std::vector<int8_t> &X,
                       std::vector<uint8_t> &Y) {
    const uint64_t K = intc_rng_key(Step, 77);
    for (int B = 0; B < Batch; ++B) {
      Y[B] = (uint8_t)intc_rng_below(intc_rng_u64(K, B * 100), 2);
      for (int I = 0; I < 16; ++I) {
        int V = (int)intc_rng_below(intc_rng_u64(K, B * 100 + 1 + I), 60);
        X[B * 16 + I] = (int8_t)(I < 8 ? (Y[B] ? 20 + V : -20 - V) : V - 30);
      }
    }
  };
  std::vector<int8_t> X(Batch * 16), Logits(Batch * 2);
  std::vector<uint8_t> Y(Batch);
  for (int Step = 0; Step < Steps; ++Step) {
    MakeBatch(Step, X, Y);
    ASSERT_EQ(intc_ref_train_step(&M, W.data(), X.data(), Y.data(), Batch, 64,
                                  0, Step, S.data()),
              INTC_OK);
  }
  int Correct = 0;
  for (int T = 0; T < 10; ++T) {
    MakeBatch(100000 + T, X, Y);
    intc_ref_predict(&M, W.data(), X.data(), Batch, Logits.data(), S.data());
    Correct += intc_count_correct(Logits.data(), Y.data(), Batch, 2);
  }
  EXPECT_GE(Correct, 150); // of 160
}

} // namespace
