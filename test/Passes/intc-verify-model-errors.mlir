// RUN: intc-opt %s -split-input-file -intc-verify-model -verify-diagnostics
//
// Failures that only show once the pass refines the shapes: the verifier
// cannot check a layer whose input type is still dynamic, the pass can.

intc.model @m(%x: tensor<?x2x4x4xi8>) {
  %0 = intc.maxpool2d %x kernel 2 : tensor<?x2x4x4xi8> -> tensor<?x?x?x?xi8>
  %1 = intc.maxpool2d %0 kernel 2 : tensor<?x?x?x?xi8> -> tensor<?x?x?x?xi8>
  // 4 → 2 → 1: the third pool has nothing left to pool.
  // expected-error @+1 {{a 2x2 pool does not fit the 1x1 feature map}}
  %2 = intc.maxpool2d %1 kernel 2 : tensor<?x?x?x?xi8> -> tensor<?x?x?x?xi8>
  %3 = intc.flatten %2 : tensor<?x?x?x?xi8> -> tensor<?x?xi8>
  %4 = intc.output_layer %3 : tensor<?x?xi8> -> tensor<?x10xi8>
  intc.yield %4 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x2x4x4xi8>) {
  %0 = intc.maxpool2d %x kernel 2 : tensor<?x2x4x4xi8> -> tensor<?x?x?x?xi8>
  // expected-error @+1 {{a 3x3 kernel with padding 0 does not fit the 2x2 input}}
  %1 = intc.local_conv_block %0 channels 8 activation nitro_leaky_relu<4>
         {padding = 0}
         : tensor<?x?x?x?xi8> -> tensor<?x8x?x?xi8>
  %2 = intc.flatten %1 : tensor<?x8x?x?xi8> -> tensor<?x?xi8>
  %3 = intc.output_layer %2 : tensor<?x?xi8> -> tensor<?x10xi8>
  intc.yield %3 : tensor<?x10xi8>
}

// -----

// A layer's samples must stay indexable with int32.
intc.model @m(%x: tensor<?x784xi8>) {
  // expected-error @+1 {{'intc.local_linear_block' op gives samples of more than 2147483647 elements ('tensor<?x9223372036854775807xi8>')}}
  %0 = intc.local_linear_block %x features 9223372036854775807 activation nitro_leaky_relu<4>
         : tensor<?x784xi8> -> tensor<?x?xi8>
  %1 = intc.output_layer %0 : tensor<?x?xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// So must the whole state: 784 x 4,000,000 weights is more than 2^31 - 1.
intc.model @m(%x: tensor<?x784xi8>) {
  // expected-error @+1 {{'intc.local_linear_block' op makes the model's state (block0.encoder included) larger than 2147483647 weights}}
  %0 = intc.local_linear_block %x features 4000000 activation nitro_leaky_relu<4>
         : tensor<?x784xi8> -> tensor<?x?xi8>
  %1 = intc.output_layer %0 : tensor<?x?xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// adjust_conv_lr_amp multiplies lr_amp by d²//window; it must stay below 2^31.
intc.model @m(%x: tensor<?x1x32x32xi8>) attributes {adjust_conv_lr_amp = true} {
  // expected-error @+1 {{'intc.local_conv_block' op lr_amp adjusted by adjust_conv_lr_amp exceeds 2147483647}}
  %0 = intc.local_conv_block %x channels 4 activation nitro_leaky_relu<4> {lr_amp = 2000000000}
         : tensor<?x1x32x32xi8> -> tensor<?x?x?x?xi8>
  %1 = intc.flatten %0 : tensor<?x?x?x?xi8> -> tensor<?x?xi8>
  %2 = intc.output_layer %1 : tensor<?x?xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}
