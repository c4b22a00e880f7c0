// RUN: intc-opt %s -intc-verify-model | FileCheck %s
// The pass is idempotent: the derived constants it attached verify.
// RUN: intc-opt %s -intc-verify-model -intc-verify-model | FileCheck %s
//
// Shape refinement and the derived constants of every layer kind. The
// expected constants are computed by hand from ALGORITHM.md §2.3 (F = 256 x
// fan_in), §3.2 (head pooling) and §5 (init bounds).

// Dynamic declared result types become static, in chain order; the derived
// constants are those of MLP1 (§6.1).
// CHECK-LABEL: intc.model @mlp(
// CHECK-NEXT:    intc.flatten %{{.*}} : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 100
// CHECK-SAME:      {derived = #intc.derived<F = 200704, init = 10, dim_in_decoder = 100, head_F = 25600, head_init = 30>}
// CHECK-SAME:      : tensor<?x784xi8> -> tensor<?x100xi8>
// CHECK-NEXT:    intc.dropout %{{.*}} rate 10 : tensor<?x100xi8> -> tensor<?x100xi16>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 50
// CHECK-SAME:      {derived = #intc.derived<F = 25600, init = 30, dim_in_decoder = 50, head_F = 12800, head_init = 43>}
// CHECK-SAME:      : tensor<?x100xi16> -> tensor<?x50xi8>
// CHECK-NEXT:    intc.output_layer %{{.*}} {derived = #intc.derived<F = 12800, init = 43>}
// CHECK-SAME:      : tensor<?x50xi8> -> tensor<?x10xi8>
// CHECK-NEXT:    intc.yield %{{.*}} : tensor<?x10xi8>
// CHECK-NEXT:  }
intc.model @mlp(%x: tensor<?x1x28x28xi8>) {
  %0 = intc.flatten %x : tensor<?x1x28x28xi8> -> tensor<?x?xi8>
  %1 = intc.local_linear_block %0 features 100 activation nitro_leaky_relu<4>
         : tensor<?x?xi8> -> tensor<?x?xi8>
  %2 = intc.dropout %1 rate 10 : tensor<?x?xi8> -> tensor<?x?xi16>
  %3 = intc.local_linear_block %2 features 50 activation nitro_leaky_relu<4>
         : tensor<?x?xi16> -> tensor<?x?xi8>
  %4 = intc.output_layer %3 : tensor<?x?xi8> -> tensor<?x?xi8>
  intc.yield %4 : tensor<?x?xi8>
}

// Conv blocks:
//  * 4x8x8 = 256 features fit pred_decoder_dim: no head pooling (kernel
//    [1, 1], the grid is the feature map); F = 256·9·2, init: fan_in 18 →
//    76, capped at 64; head: fan_in 256 → 19.
//  * 8x8x8 = 512 > 128: pool [2, 2] without padding → 4x4 grid, 128 features;
//    F = 256·9·4 = 9216, init fan_in 36 → 50; head fan_in 128 → 27.
//  * padding 0, 16x6x6 = 576 > 64: pool [4, 4], ceil(6/4) = 2 but 6//4 = 1,
//    so padding (4·1)//2 = 2 on each side → 2x2 grid, 64 features;
//    F = 256·9·8 = 18432, init fan_in 72 → 38; head fan_in 64 → 38.
//  * an inter-block pool floors 6 → 3, then a linear block with Xavier init
//    (fan_in 144 + fan_out 32 → int_sqrt(176) = 13 → 40) after dropout.
// CHECK-LABEL: intc.model @cnn(
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 4
// CHECK-SAME:      {derived = #intc.derived<F = 4608, init = 64, head_pool = [1, 1], head_pad = [0, 0], head_grid = [8, 8], dim_in_decoder = 256, head_F = 65536, head_init = 19>}
// CHECK-SAME:      : tensor<?x2x8x8xi8> -> tensor<?x4x8x8xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 8
// CHECK-SAME:      derived = #intc.derived<F = 9216, init = 50, head_pool = [2, 2], head_pad = [0, 0], head_grid = [4, 4], dim_in_decoder = 128, head_F = 32768, head_init = 27>
// CHECK-SAME:      : tensor<?x4x8x8xi8> -> tensor<?x8x8x8xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 16
// CHECK-SAME:      derived = #intc.derived<F = 18432, init = 38, head_pool = [4, 4], head_pad = [2, 2], head_grid = [2, 2], dim_in_decoder = 64, head_F = 16384, head_init = 38>
// CHECK-SAME:      : tensor<?x8x8x8xi8> -> tensor<?x16x6x6xi8>
// CHECK-NEXT:    intc.maxpool2d %{{.*}} kernel 2 : tensor<?x16x6x6xi8> -> tensor<?x16x3x3xi8>
// CHECK-NEXT:    intc.flatten %{{.*}} : tensor<?x16x3x3xi8> -> tensor<?x144xi8>
// CHECK-NEXT:    intc.dropout %{{.*}} rate 20 : tensor<?x144xi8> -> tensor<?x144xi16>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 32
// CHECK-SAME:      derived = #intc.derived<F = 36864, init = 40, dim_in_decoder = 32, head_F = 8192, head_init = 60>
// CHECK-SAME:      : tensor<?x144xi16> -> tensor<?x32xi8>
// CHECK-NEXT:    intc.output_layer %{{.*}} {derived = #intc.derived<F = 8192, init = 60>}
// CHECK-SAME:      : tensor<?x32xi8> -> tensor<?x10xi8>
intc.model @cnn(%x: tensor<?x2x8x8xi8>) {
  %0 = intc.local_conv_block %x channels 4 activation pocket_relu
         : tensor<?x2x8x8xi8> -> tensor<?x?x?x?xi8>
  %1 = intc.local_conv_block %0 channels 8 activation pocket_tanh
         {pred_decoder_dim = 128}
         : tensor<?x?x?x?xi8> -> tensor<?x?x?x?xi8>
  %2 = intc.local_conv_block %1 channels 16 activation nitro_leaky_relu<4>
         {padding = 0, pred_decoder_dim = 64}
         : tensor<?x?x?x?xi8> -> tensor<?x16x?x?xi8>
  %3 = intc.maxpool2d %2 kernel 2 : tensor<?x16x?x?xi8> -> tensor<?x?x?x?xi8>
  %4 = intc.flatten %3 : tensor<?x?x?x?xi8> -> tensor<?x?xi8>
  %5 = intc.dropout %4 rate 20 : tensor<?x?xi8> -> tensor<?x?xi16>
  %6 = intc.local_linear_block %5 features 32 activation nitro_leaky_relu<4>
         {init = #intc.init<xavier>}
         : tensor<?x?xi16> -> tensor<?x?xi8>
  %7 = intc.output_layer %6 : tensor<?x?xi8> -> tensor<?x10xi8>
  intc.yield %7 : tensor<?x10xi8>
}

// num_classes is the heads' fan_out (Xavier: int_sqrt(221 + 3) = 14 → 37,
// where 10 classes would give int_sqrt(231) = 15 → 34) and the output width;
// a static batch stays static; `ones` has no bound; Kaiming-ReLU for
// fan_in 221 gives (1414·128·1732) // (14·10⁶) = 22.
// CHECK-LABEL: intc.model @classes(
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 221
// CHECK-SAME:      derived = #intc.derived<F = 8192, init = 0, dim_in_decoder = 221, head_F = 56576, head_init = 37>
// CHECK-SAME:      : tensor<64x32xi8> -> tensor<64x221xi8>
// CHECK-NEXT:    intc.output_layer %{{.*}} {derived = #intc.derived<F = 56576, init = 22>, init = #intc.init<kaiming_relu>}
// CHECK-SAME:      : tensor<64x221xi8> -> tensor<64x3xi8>
// CHECK-NEXT:    intc.yield %{{.*}} : tensor<64x3xi8>
intc.model @classes(%x: tensor<64x32xi8>) attributes {num_classes = 3} {
  %0 = intc.local_linear_block %x features 221 activation pocket_leaky_relu<4>
         {init = #intc.init<ones>, head_init = #intc.init<xavier>}
         : tensor<64x32xi8> -> tensor<?x?xi8>
  %1 = intc.output_layer %0 {init = #intc.init<kaiming_relu>}
         : tensor<?x?xi8> -> tensor<64x3xi8>
  intc.yield %1 : tensor<64x3xi8>
}

// Ops outside a model are left alone.
// CHECK-LABEL: func.func @not_a_model
// CHECK-NEXT:    intc.linear %{{.*}}, %{{.*}} : tensor<4x8xi8>, tensor<2x8xi32> -> tensor<4x2xi64>
func.func @not_a_model(%x: tensor<4x8xi8>, %w: tensor<2x8xi32>) -> tensor<4x2xi64> {
  %0 = intc.linear %x, %w : tensor<4x8xi8>, tensor<2x8xi32> -> tensor<4x2xi64>
  return %0 : tensor<4x2xi64>
}
