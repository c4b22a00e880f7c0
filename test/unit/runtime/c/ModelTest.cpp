//===- ModelTest.cpp - descriptors and derived constants (§2.3, §3.2, §6) -===//

#include "runtime/c/intc_activations.h"
#include "runtime/c/intc_init.h"
#include "runtime/c/intc_kernels.h"
#include "runtime/c/intc_model.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

// Builds a CNN the way IntegerLocalLossCNN does (§3.6): conv blocks and
// pools from `Arch` ("C128", "P"), a Dropout before the last element when
// FcPermille > 0, then Flatten, FC blocks (each followed by Dropout when
// FcPermille > 0) and the output layer.
struct Built {
  std::vector<intc_layer> Layers;
  intc_model Model{};
  int32_t Rc = INTC_ERR_NULL;
};

Built buildCnn(const std::vector<std::string> &Arch, int C, int D,
               const std::vector<int> &Fc, int FcPermille) {
  Built B;
  const intc_block_params P = intc_block_params_reference(30000, 3000);
  int Ch = C, Hw = D;
  for (size_t I = 0; I < Arch.size(); ++I) {
    if (FcPermille > 0 && I + 1 == Arch.size())
      B.Layers.push_back(intc_make_dropout(Ch, Hw, Hw, FcPermille));
    if (Arch[I] == "P") {
      B.Layers.push_back(intc_make_maxpool(Ch, Hw, Hw, 2));
      Hw /= 2;
    } else {
      const int Out = std::stoi(Arch[I].substr(1));
      B.Layers.push_back(intc_make_conv_block(Ch, Hw, Hw, Out, 3, 1, 10, &P));
      Ch = Out;
    }
  }
  B.Layers.push_back(intc_make_flatten(Ch, Hw, Hw));
  int In = Ch * Hw * Hw;
  for (int H : Fc) {
    B.Layers.push_back(intc_make_linear_block(In, H, 10, &P));
    if (FcPermille > 0)
      B.Layers.push_back(intc_make_dropout(H, 1, 1, FcPermille));
    In = H;
  }
  B.Layers.push_back(intc_make_output(In, 10, &P));
  B.Model.name = "cnn";
  B.Model.num_classes = 10;
  B.Model.one_hot_value = INTC_REFERENCE_ONE_HOT_VALUE;
  B.Model.in_c = C;
  B.Model.in_h = B.Model.in_w = D;
  B.Model.flags = INTC_FLAGS_REFERENCE;
  int32_t Bad;
  B.Rc = intc_model_finalize(&B.Model, B.Layers.data(),
                             (int32_t)B.Layers.size(), &Bad);
  return B;
}

std::vector<const intc_layer *> kind(const Built &B, int32_t Kind) {
  std::vector<const intc_layer *> R;
  for (const intc_layer &L : B.Layers)
    if (L.kind == Kind)
      R.push_back(&L);
  return R;
}

// One row of the §6 tables.
struct ConvRow {
  int Cin, Cout, D;
  int64_t Fenc;
  int EncB, Kh, Kw, Ph, Pw, Gh, Gw, Dim;
  int64_t Flearn;
  int LearnB;
};

void expectRow(const intc_layer &L, const ConvRow &R) {
  EXPECT_EQ(L.in_c, R.Cin);
  EXPECT_EQ(L.out_c, R.Cout);
  EXPECT_EQ(L.out_h, R.D);
  EXPECT_EQ(L.fwd_factor, R.Fenc);
  EXPECT_EQ(L.init_bound, R.EncB);
  EXPECT_EQ(L.head_pool_kh, R.Kh);
  EXPECT_EQ(L.head_pool_kw, R.Kw);
  EXPECT_EQ(L.head_pool_ph, R.Ph);
  EXPECT_EQ(L.head_pool_pw, R.Pw);
  EXPECT_EQ(L.head_grid_h, R.Gh);
  EXPECT_EQ(L.head_grid_w, R.Gw);
  EXPECT_EQ(L.dim_in_decoder, R.Dim);
  EXPECT_EQ(L.head_factor, R.Flearn);
  EXPECT_EQ(L.head_init_bound, R.LearnB);
  EXPECT_EQ(L.lr_amp, 640);
  EXPECT_EQ(L.head_lr_amp, 1);
}

TEST(Model, Vgg8bCifar) {
  Built B = buildCnn(
      {"C128", "C256", "P", "C256", "C512", "P", "C512", "P", "C512", "P"}, 3,
      32, {1024}, 150);
  ASSERT_EQ(B.Rc, INTC_OK);
  auto Conv = kind(B, INTC_LAYER_CONV_BLOCK);
  ASSERT_EQ(Conv.size(), 6u);
  const ConvRow Rows[6] = {
      {3, 128, 32, 6912, 60, 8, 4, 0, 0, 4, 8, 4096, 1048576, 4},
      {128, 256, 32, 294912, 9, 8, 8, 0, 0, 4, 4, 4096, 1048576, 4},
      {256, 256, 16, 589824, 6, 4, 4, 0, 0, 4, 4, 4096, 1048576, 4},
      {256, 512, 16, 589824, 6, 8, 4, 0, 0, 2, 4, 4096, 1048576, 4},
      {512, 512, 8, 1179648, 4, 4, 2, 0, 0, 2, 4, 4096, 1048576, 4},
      {512, 512, 4, 1179648, 4, 2, 1, 0, 0, 2, 4, 4096, 1048576, 4}};
  for (int I = 0; I < 6; ++I) {
    SCOPED_TRACE(I);
    expectRow(*Conv[I], Rows[I]);
  }
  auto Fc = kind(B, INTC_LAYER_LINEAR_BLOCK);
  ASSERT_EQ(Fc.size(), 1u);
  EXPECT_EQ(Fc[0]->in_c, 2048);
  EXPECT_EQ(Fc[0]->fwd_factor, 524288);
  EXPECT_EQ(Fc[0]->init_bound, 6);
  EXPECT_EQ(Fc[0]->head_factor, 262144);
  EXPECT_EQ(Fc[0]->head_init_bound, 9);
  auto Out = kind(B, INTC_LAYER_OUTPUT);
  EXPECT_EQ(Out[0]->fwd_factor, 262144);
  EXPECT_EQ(Out[0]->init_bound, 9);
  EXPECT_EQ(Out[0]->lr_amp, 1);
  // Two dropout layers: after the last conv block and after the FC block.
  auto Drop = kind(B, INTC_LAYER_DROPOUT);
  ASSERT_EQ(Drop.size(), 2u);
  EXPECT_EQ(Drop[0]->dropout_index, 0);
  EXPECT_EQ(Drop[1]->dropout_index, 1);
  EXPECT_EQ(Drop[0]->out_h, 4);
  // §6.5: 9.15 M parameters including the learning layers.
  EXPECT_NEAR(B.Model.n_weights, 9150000, 5000);
}

TEST(Model, Vgg8b28x28) {
  Built B = buildCnn(
      {"C128", "C256", "P", "C256", "C512", "P", "C512", "P", "C512", "P"}, 1,
      28, {1024}, 0);
  ASSERT_EQ(B.Rc, INTC_OK);
  auto Conv = kind(B, INTC_LAYER_CONV_BLOCK);
  ASSERT_EQ(Conv.size(), 6u);
  const ConvRow Rows[6] = {
      {1, 128, 28, 2304, 64, 8, 4, 4, 0, 4, 7, 3584, 917504, 5},
      {128, 256, 28, 294912, 9, 8, 8, 4, 4, 4, 4, 4096, 1048576, 4},
      {256, 256, 14, 589824, 6, 4, 4, 2, 2, 4, 4, 4096, 1048576, 4},
      {256, 512, 14, 589824, 6, 8, 4, 4, 2, 2, 4, 4096, 1048576, 4},
      {512, 512, 7, 1179648, 4, 4, 2, 2, 1, 2, 4, 4096, 1048576, 4},
      {512, 512, 3, 1179648, 4, 2, 1, 1, 0, 2, 3, 3072, 786432, 5}};
  for (int I = 0; I < 6; ++I) {
    SCOPED_TRACE(I);
    expectRow(*Conv[I], Rows[I]);
  }
  auto Fc = kind(B, INTC_LAYER_LINEAR_BLOCK);
  EXPECT_EQ(Fc[0]->in_c, 512); // 3 -> 1 by the floor pool
  EXPECT_EQ(Fc[0]->fwd_factor, 131072);
  EXPECT_EQ(Fc[0]->init_bound, 13);
  EXPECT_EQ(kind(B, INTC_LAYER_DROPOUT).size(), 0u);
  EXPECT_NEAR(B.Model.n_weights, 7560000, 5000);
}

TEST(Model, Vgg11bCifar) {
  Built B = buildCnn({"C128", "C128", "C128", "C256", "P", "C256", "C512", "P",
                      "C512", "C512", "P", "C512", "P"},
                     3, 32, {1024}, 0);
  ASSERT_EQ(B.Rc, INTC_OK);
  auto Conv = kind(B, INTC_LAYER_CONV_BLOCK);
  ASSERT_EQ(Conv.size(), 9u);
  const int Kh[9] = {8, 8, 8, 8, 4, 8, 4, 4, 2};
  const int Kw[9] = {4, 4, 4, 8, 4, 4, 2, 2, 1};
  const int64_t Fenc[9] = {6912,   294912,  294912,  294912, 589824,
                           589824, 1179648, 1179648, 1179648};
  for (int I = 0; I < 9; ++I) {
    EXPECT_EQ(Conv[I]->head_pool_kh, Kh[I]) << I;
    EXPECT_EQ(Conv[I]->head_pool_kw, Kw[I]) << I;
    EXPECT_EQ(Conv[I]->dim_in_decoder, 4096) << I;
    EXPECT_EQ(Conv[I]->head_factor, 1048576) << I;
    EXPECT_EQ(Conv[I]->fwd_factor, Fenc[I]) << I;
  }
  EXPECT_NEAR(B.Model.n_weights, 11930000, 5000);
}

TEST(Model, MlpTables) {
  // §6.1 MLP2: 784-200-100-50-10.
  const intc_block_params P = intc_block_params_reference(10000, 8000);
  const int Sizes[] = {784, 200, 100, 50};
  const int64_t Fenc[] = {200704, 51200, 25600};
  const int EncB[] = {10, 21, 30};
  const int64_t Flearn[] = {51200, 25600, 12800};
  const int LearnB[] = {21, 30, 43};
  for (int I = 0; I < 3; ++I) {
    const intc_layer L = intc_make_linear_block(Sizes[I], Sizes[I + 1], 10, &P);
    EXPECT_EQ(L.fwd_factor, Fenc[I]);
    EXPECT_EQ(L.init_bound, EncB[I]);
    EXPECT_EQ(L.head_factor, Flearn[I]);
    EXPECT_EQ(L.head_init_bound, LearnB[I]);
    EXPECT_EQ(L.decay_inv, 10000);
    EXPECT_EQ(L.head_decay_inv, 8000);
  }
  const intc_layer O = intc_make_output(50, 10, &P);
  EXPECT_EQ(O.fwd_factor, 12800);
  EXPECT_EQ(O.init_bound, 43);
  EXPECT_EQ(O.decay_inv, 8000);
  // MLP4: 3072 -> 3000 and 3000 -> 10.
  EXPECT_EQ(intc_make_linear_block(3072, 3000, 10, &P).fwd_factor, 786432);
  EXPECT_EQ(intc_make_linear_block(3072, 3000, 10, &P).init_bound, 5);
  EXPECT_EQ(intc_make_linear_block(3072, 3000, 10, &P).head_factor, 768000);
}

TEST(Model, HeadPoolPlan) {
  // §12.3: 2 channels, 4 x 4, D = 8 -> (2, 2), dim 8.
  intc_head_pool H = intc_head_pool_plan(2, 4, 4, 8);
  EXPECT_EQ(H.kh, 2);
  EXPECT_EQ(H.kw, 2);
  EXPECT_EQ(H.ph, 0);
  EXPECT_EQ(H.pw, 0);
  EXPECT_EQ(H.dim_in_decoder, 8);
  EXPECT_TRUE(H.valid);
  // No pooling needed.
  H = intc_head_pool_plan(16, 8, 8, 4096);
  EXPECT_EQ(H.kh, 1);
  EXPECT_EQ(H.kw, 1);
  EXPECT_EQ(H.gh, 8);
  EXPECT_EQ(H.dim_in_decoder, 1024);
  EXPECT_EQ(intc_scaling_factor(9), 2304);
}

TEST(Model, CheckRejectsBrokenDescriptors) {
  Built B = buildCnn({"C8", "P"}, 1, 8, {16}, 100);
  ASSERT_EQ(B.Rc, INTC_OK);
  int32_t Bad = 0;
  auto Expect = [&](auto Mutate, int32_t Rc, int32_t Layer) {
    std::vector<intc_layer> Copy = B.Layers;
    intc_model M = B.Model;
    M.layers = Copy.data();
    Mutate(M, Copy);
    EXPECT_EQ(intc_model_check(&M, &Bad), Rc);
    EXPECT_EQ(Bad, Layer);
  };
  // Layers: 0 conv, 1 dropout, 2 pool, 3 flatten, 4 fc, 5 dropout, 6 output.
  Expect([](intc_model &, std::vector<intc_layer> &L) { L[0].nsi = 6; },
         INTC_ERR_PARAM, 0);
  Expect([](intc_model &, std::vector<intc_layer> &L) { L[2].out_h = 3; },
         INTC_ERR_SHAPE, 2);
  Expect([](intc_model &, std::vector<intc_layer> &L) { L[0].head_w_offset++; },
         INTC_ERR_LAYOUT, 0);
  Expect([](intc_model &,
            std::vector<intc_layer> &L) { L[5].dropout_permille = 125; },
         INTC_ERR_PARAM, 5);
  Expect(
      [](intc_model &, std::vector<intc_layer> &L) { L[1].dropout_index = 1; },
      INTC_ERR_LAYOUT, 1);
  Expect([](intc_model &, std::vector<intc_layer> &L) { L[0].head_grid_w = 3; },
         INTC_ERR_SHAPE, 0);
  Expect([](intc_model &, std::vector<intc_layer> &L) { L[3].kind = 0; },
         INTC_ERR_KIND, 3);
  Expect([](intc_model &M, std::vector<intc_layer> &) { M.n_layers = 6; },
         INTC_ERR_STRUCTURE, 5);
  Expect([](intc_model &M, std::vector<intc_layer> &) { M.n_weights += 1; },
         INTC_ERR_LAYOUT, -1);
  Expect([](intc_model &M, std::vector<intc_layer> &) { M.in_h = 9; },
         INTC_ERR_SHAPE, 0);
  Expect([](intc_model &, std::vector<intc_layer> &L) { L[4].lr_amp = 0; },
         INTC_ERR_PARAM, 4);
  EXPECT_EQ(intc_model_check(nullptr, &Bad), INTC_ERR_NULL);
}

// Hostile sizes are rejected with an error code, computed without
// overflow: a pool window larger than its input (C division truncates
// (3 - 5) / 5 + 1 to 1), a padding near INT32_MAX, and 2^31 x 2^31 linear
// layers whose weight count does not fit any int64 offset sum.
TEST(Model, CheckRejectsHostileSizes) {
  intc_block_params P = intc_block_params_reference(12000, 3000);
  int32_t Bad = 0;
  auto Finalize = [&](std::vector<intc_layer> &L, int32_t C, int32_t H,
                      int32_t W) {
    intc_model M = {};
    M.name = "hostile";
    M.num_classes = 10;
    M.one_hot_value = 32;
    M.in_c = C;
    M.in_h = H;
    M.in_w = W;
    return intc_model_finalize(&M, L.data(), int32_t(L.size()), &Bad);
  };
  EXPECT_EQ(intc_maxpool_out_size(3, 5, 0), 0);
  EXPECT_EQ(intc_maxpool_out_size(7, 2, 0), 3);
  std::vector<intc_layer> Pool = {intc_make_maxpool(1, 3, 3, 5),
                                  intc_make_flatten(1, 1, 1),
                                  intc_make_output(1, 10, &P)};
  Pool[0].out_h = Pool[0].out_w = 1; // What truncation would give.
  EXPECT_EQ(Finalize(Pool, 1, 3, 3), INTC_ERR_SHAPE);
  EXPECT_EQ(Bad, 0);

  EXPECT_EQ(intc_conv2d_out_size(8, 3, INT32_MAX - 5), INT32_MAX);
  EXPECT_EQ(intc_conv2d_out_size(2, 9, 0), 0);

  std::vector<intc_layer> Huge = {
      intc_make_linear_block(INT32_MAX, INT32_MAX, 10, &P),
      intc_make_linear_block(INT32_MAX, INT32_MAX, 10, &P),
      intc_make_linear_block(INT32_MAX, INT32_MAX, 10, &P),
      intc_make_output(INT32_MAX, 10, &P)};
  int32_t Rc = Finalize(Huge, INT32_MAX, 1, 1);
  EXPECT_NE(Rc, INTC_OK);
}

TEST(Model, WeightLayoutIsConstructionOrder) {
  Built B = buildCnn({"C4"}, 2, 4, {6}, 0);
  ASSERT_EQ(B.Rc, INTC_OK);
  // conv W 4*2*3*3 = 72, head 10 x (4*4*4 = 64 <= 4096: no pool) = 640,
  // fc 64 -> 6: 384, head 60, output 60.
  EXPECT_EQ(B.Layers[0].w_offset, 0);
  EXPECT_EQ(B.Layers[0].head_w_offset, 72);
  EXPECT_EQ(B.Layers[2].w_offset, 712);
  EXPECT_EQ(B.Layers[2].head_w_offset, 1096);
  EXPECT_EQ(B.Layers[3].w_offset, 1156);
  EXPECT_EQ(B.Layers[1].w_offset, -1);
  EXPECT_EQ(B.Model.n_weights, 1216);
}

} // namespace
