// A tiny CNN for the 16x16 RGB, 4-class data of make_user_data.py (the
// -data=PATH tests): one conv block, a 4x4 pool and the output layer. It
// reaches 100% in about 3 epochs.
intc.model @user_rgb_cnn(%x: tensor<?x3x16x16xi8>)
    attributes {batch = 16, num_classes = 4} {
  %0 = intc.local_conv_block %x channels 8 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 64}
         : tensor<?x3x16x16xi8> -> tensor<?x8x16x16xi8>
  %1 = intc.maxpool2d %0 kernel 4 : tensor<?x8x16x16xi8> -> tensor<?x8x4x4xi8>
  %2 = intc.flatten %1 : tensor<?x8x4x4xi8> -> tensor<?x128xi8>
  %3 = intc.output_layer %2 : tensor<?x128xi8> -> tensor<?x4xi8>
  intc.yield %3 : tensor<?x4xi8>
}
