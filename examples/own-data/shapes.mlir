// A small CNN for the synthetic shapes of make_shapes.py (28x28 grayscale,
// 4 classes): two local-loss conv blocks, one local-loss linear block and
// the output layer, trained with the NITRO-D defaults (lr_inv 512, one-hot
// 32, the plateau x3 schedule), a batch of 32 and crop augmentation.
// Every block has its own small classifier head, and `intc plot` draws each
// head's test accuracy.
//
// Run (see README.md):
//   python3 make_shapes.py shapes
//   intc train shapes.mlir -data=shapes -epochs=15 -o run
intc.model @shapes(%x: tensor<?x1x28x28xi8>)
    attributes {num_classes = 4, batch = 32, max_epochs = 40,
                augment_crop = 2} {
  %0 = intc.local_conv_block %x channels 8 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 512, decay_inv = 20000, head_decay_inv = 3000}
         : tensor<?x1x28x28xi8> -> tensor<?x8x28x28xi8>
  %1 = intc.maxpool2d %0 kernel 2 : tensor<?x8x28x28xi8> -> tensor<?x8x14x14xi8>
  %2 = intc.local_conv_block %1 channels 16 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 256, decay_inv = 20000, head_decay_inv = 3000}
         : tensor<?x8x14x14xi8> -> tensor<?x16x14x14xi8>
  %3 = intc.maxpool2d %2 kernel 2 : tensor<?x16x14x14xi8> -> tensor<?x16x7x7xi8>
  %4 = intc.flatten %3 : tensor<?x16x7x7xi8> -> tensor<?x784xi8>
  %5 = intc.local_linear_block %4 features 64 activation nitro_leaky_relu<4>
         {decay_inv = 12000, head_decay_inv = 3000}
         : tensor<?x784xi8> -> tensor<?x64xi8>
  %6 = intc.output_layer %5 {decay_inv = 3000} : tensor<?x64xi8> -> tensor<?x4xi8>
  intc.yield %6 : tensor<?x4xi8>
}
