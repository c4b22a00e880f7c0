// A small CNN for the distributed tests, on 28x28 IDX data: two conv blocks
// (the second with a padded learning-head pool), dropout after the last
// conv block and after the FC block (which gets the reference's double
// update), crop + flip augmentation, and a batch of 8 that 3 ranks split
// unevenly (3 + 3 + 2).
intc.model @dist_cnn(%x: tensor<?x1x28x28xi8>) attributes {
    dataset = "mnist", batch = 8, augment_crop = 2, augment_flip = true} {
  %0 = intc.local_conv_block %x channels 4 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 128, decay_inv = 30000, head_decay_inv = 3000}
         : tensor<?x1x28x28xi8> -> tensor<?x4x28x28xi8>
  %1 = intc.maxpool2d %0 kernel 2 : tensor<?x4x28x28xi8> -> tensor<?x4x14x14xi8>
  %2 = intc.local_conv_block %1 channels 8 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 64, decay_inv = 30000, head_decay_inv = 3000}
         : tensor<?x4x14x14xi8> -> tensor<?x8x14x14xi8>
  %3 = intc.dropout %2 rate 15 : tensor<?x8x14x14xi8> -> tensor<?x8x14x14xi16>
  %4 = intc.maxpool2d %3 kernel 4 : tensor<?x8x14x14xi16> -> tensor<?x8x3x3xi16>
  %5 = intc.flatten %4 : tensor<?x8x3x3xi16> -> tensor<?x72xi16>
  %6 = intc.local_linear_block %5 features 16 activation nitro_leaky_relu<4>
         {decay_inv = 30000, head_decay_inv = 3000} : tensor<?x72xi16> -> tensor<?x16xi8>
  %7 = intc.dropout %6 rate 10 : tensor<?x16xi8> -> tensor<?x16xi16>
  %8 = intc.output_layer %7 {decay_inv = 3000} : tensor<?x16xi16> -> tensor<?x10xi8>
  intc.yield %8 : tensor<?x10xi8>
}
