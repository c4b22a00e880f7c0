// RUN: intc-opt %s -split-input-file -intc-verify-model -intc-extract-stage="stage=0 stages=3" | FileCheck %s --check-prefix=S0
// RUN: intc-opt %s -split-input-file -intc-verify-model -intc-extract-stage="stage=1 stages=3" | FileCheck %s --check-prefix=S1
// RUN: intc-opt %s -split-input-file -intc-verify-model -intc-extract-stage="stage=2 stages=3" | FileCheck %s --check-prefix=S2
// RUN: intc-opt %s -split-input-file -intc-verify-model -intc-extract-stage="stage=1 stages=2" | FileCheck %s --check-prefix=BAL2
// RUN: intc-opt %s -split-input-file -intc-verify-model -intc-extract-stage="stage=1 stages=2 cuts=1" | FileCheck %s --check-prefix=CUT1
// A stage is a model of its own: it verifies, round-trips, and cutting
// stage 0 of 1 keeps the whole model.
// RUN: intc-opt %s -split-input-file -intc-verify-model -intc-extract-stage="stage=1 stages=3" | intc-opt -intc-verify-model | FileCheck %s --check-prefix=S1
// RUN: intc-opt %s -split-input-file -intc-verify-model -intc-extract-stage | FileCheck %s --check-prefix=WHOLE
// MLP1 (784-100-50-10): its first block does ~93% of the training work; two
// stages are block 0 and block 1, the only split.
// RUN: intc-opt %examples/mlp1_mnist.mlir -intc-verify-model -intc-extract-stage="stage=1 stages=2" | FileCheck %s --check-prefix=MLP1
// MLP1: intc.model @mlp1_mnist(%{{.*}}: tensor<?x100xi8>)
// MLP1-SAME: stage = #intc.stage<index = 1, count = 2, first_block = 1, first_tensor = 2, first_dropout = 0, cnn = false>

// A small CNN: conv blocks 0 and 1, then linear block 2; a dropout after
// block 1 and one after block 2. Three stages hold one block each.

// Stage 0 keeps the input layers and hands on block 0's output after the
// max-pool that follows it; the image attributes stay.
// S0-LABEL: intc.model @cnn(%{{.*}}: tensor<?x1x28x28xi8>)
// S0-SAME: attributes {augment_crop = 2 : i64, augment_flip = true, batch = 8 : i64, dataset = "mnist",
// S0-SAME: stage = #intc.stage<index = 0, count = 3, first_block = 0, first_tensor = 0, first_dropout = 0, cnn = true>}
// S0-NEXT: intc.local_conv_block %{{.*}} channels 4
// S0-NEXT: %[[P:.*]] = intc.maxpool2d
// S0-NEXT: intc.yield %[[P]] : tensor<?x4x14x14xi8>
// S0-NOT: intc.local_conv_block

// Stage 1 takes that activation, ends after the dropout, pool and flatten
// that follow block 1, and loses the image attributes; its tensors are the
// model's 3rd and 4th (block1.*), and its dropout the model's first.
// S1-LABEL: intc.model @cnn(
// S1-SAME: %[[X:[^:]*]]: tensor<?x4x14x14xi8>)
// S1-SAME: attributes {batch = 8 : i64, stage = #intc.stage<index = 1, count = 3, first_block = 1, first_tensor = 2, first_dropout = 0, cnn = true>}
// S1-NEXT: intc.local_conv_block %[[X]] channels 8
// S1-NEXT: intc.dropout
// S1-NEXT: intc.maxpool2d
// S1-NEXT: %[[F:.*]] = intc.flatten
// S1-NEXT: intc.yield %[[F]] : tensor<?x72xi16>
// S1-NEXT: }

// The last stage takes the int16 activation and keeps the output layer;
// its dropout is the model's second. It has no conv block but is cut from
// a CNN: cnn = true keeps the linear block's double update.
// S2-LABEL: intc.model @cnn(
// S2-SAME: %[[X:[^:]*]]: tensor<?x72xi16>)
// S2-SAME: stage = #intc.stage<index = 2, count = 3, first_block = 2, first_tensor = 4, first_dropout = 1, cnn = true>
// S2-NEXT: intc.local_linear_block %[[X]] features 16
// S2-NEXT: intc.dropout
// S2-NEXT: %[[O:.*]] = intc.output_layer
// S2-NEXT: intc.yield %[[O]] : tensor<?x10xi8>
intc.model @cnn(%x: tensor<?x1x28x28xi8>) attributes {
    dataset = "mnist", batch = 8, augment_crop = 2, augment_flip = true} {
  %0 = intc.local_conv_block %x channels 4 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 128} : tensor<?x1x28x28xi8> -> tensor<?x4x28x28xi8>
  %1 = intc.maxpool2d %0 kernel 2 : tensor<?x4x28x28xi8> -> tensor<?x4x14x14xi8>
  %2 = intc.local_conv_block %1 channels 8 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 64} : tensor<?x4x14x14xi8> -> tensor<?x8x14x14xi8>
  %3 = intc.dropout %2 rate 15 : tensor<?x8x14x14xi8> -> tensor<?x8x14x14xi16>
  %4 = intc.maxpool2d %3 kernel 4 : tensor<?x8x14x14xi16> -> tensor<?x8x3x3xi16>
  %5 = intc.flatten %4 : tensor<?x8x3x3xi16> -> tensor<?x72xi16>
  %6 = intc.local_linear_block %5 features 16 activation nitro_leaky_relu<4>
         : tensor<?x72xi16> -> tensor<?x16xi8>
  %7 = intc.dropout %6 rate 10 : tensor<?x16xi8> -> tensor<?x16xi16>
  %8 = intc.output_layer %7 : tensor<?x16xi16> -> tensor<?x10xi8>
  intc.yield %8 : tensor<?x10xi8>
}

// -----

// The partition rule balances the blocks' training work. Four equal 64 ->
// 64 blocks (2·64·64 + 3·10·64 = 10112 MACs each, the output layer's 1280
// on the last): two stages of two blocks. An explicit cut overrides it.
// BAL2-LABEL: intc.model @equal(%{{.*}}: tensor<?x64xi8>)
// BAL2-SAME: first_block = 2, first_tensor = 4
// BAL2-COUNT-2: intc.local_linear_block
// BAL2-NOT: intc.local_linear_block
// CUT1-LABEL: intc.model @equal(%{{.*}}: tensor<?x64xi8>)
// CUT1-SAME: first_block = 1, first_tensor = 2
// CUT1-COUNT-3: intc.local_linear_block
// WHOLE-LABEL: intc.model @equal(%{{.*}}: tensor<?x64xi8>)
// WHOLE-SAME: stage = #intc.stage<index = 0, count = 1, first_block = 0, first_tensor = 0, first_dropout = 0, cnn = false>
// WHOLE-COUNT-4: intc.local_linear_block
// WHOLE: intc.output_layer
intc.model @equal(%x: tensor<?x64xi8>) {
  %0 = intc.local_linear_block %x features 64 activation nitro_leaky_relu<4>
         : tensor<?x64xi8> -> tensor<?x64xi8>
  %1 = intc.local_linear_block %0 features 64 activation nitro_leaky_relu<4>
         : tensor<?x64xi8> -> tensor<?x64xi8>
  %2 = intc.local_linear_block %1 features 64 activation nitro_leaky_relu<4>
         : tensor<?x64xi8> -> tensor<?x64xi8>
  %3 = intc.local_linear_block %2 features 64 activation nitro_leaky_relu<4>
         : tensor<?x64xi8> -> tensor<?x64xi8>
  %4 = intc.output_layer %3 : tensor<?x64xi8> -> tensor<?x10xi8>
  intc.yield %4 : tensor<?x10xi8>
}
