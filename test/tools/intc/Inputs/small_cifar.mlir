// A small CNN on CIFAR-10 images (3x32x32), for tests that read the real
// data in the official binary layout.
intc.model @small_cifar(%x: tensor<?x3x32x32xi8>) attributes {
    dataset = "cifar10", batch = 8, augment_crop = 4, augment_flip = true} {
  %0 = intc.local_conv_block %x channels 8 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 256, decay_inv = 25000, head_decay_inv = 3000}
         : tensor<?x3x32x32xi8> -> tensor<?x8x32x32xi8>
  %1 = intc.maxpool2d %0 kernel 4 : tensor<?x8x32x32xi8> -> tensor<?x8x8x8xi8>
  %2 = intc.flatten %1 : tensor<?x8x8x8xi8> -> tensor<?x512xi8>
  %3 = intc.output_layer %2 {decay_inv = 3000} : tensor<?x512xi8> -> tensor<?x10xi8>
  intc.yield %3 : tensor<?x10xi8>
}
