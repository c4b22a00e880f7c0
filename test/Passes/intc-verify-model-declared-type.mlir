// RUN: intc-opt %s -intc-verify-model -verify-diagnostics
//
// A declared result type that only contradicts the inferred one once the
// input shape is refined (here 8x8x8 where padding 0 gives 8x6x6) is
// reported at the layer.

intc.model @m(%x: tensor<?x2x8x8xi8>) {
  %0 = intc.local_conv_block %x channels 4 activation pocket_relu
         : tensor<?x2x8x8xi8> -> tensor<?x?x?x?xi8>
  // expected-error @+1 {{declares result type 'tensor<?x8x8x8xi8>', but its input 'tensor<?x4x8x8xi8>' gives 'tensor<?x8x6x6xi8>'}}
  %1 = intc.local_conv_block %0 channels 8 activation pocket_relu {padding = 0}
         : tensor<?x?x?x?xi8> -> tensor<?x8x8x8xi8>
  %2 = intc.flatten %1 : tensor<?x8x8x8xi8> -> tensor<?x512xi8>
  %3 = intc.output_layer %2 : tensor<?x512xi8> -> tensor<?x10xi8>
  intc.yield %3 : tensor<?x10xi8>
}
