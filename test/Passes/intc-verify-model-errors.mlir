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
