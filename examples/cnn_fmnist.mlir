// A small local-loss CNN for Fashion-MNIST that trains to 90%+ on a 2-core
// CPU within a session (issue: "conv 32-64-P-128-P with FC 256 and
// pred_decoder_dim 1024"). Everything else is the reference's VGG8B
// Fashion-MNIST recipe (ALGORITHM.md §9.1): NITRO-ReLU(4), Kaiming-leaky
// init, lr_inv 512, A = 640, fwd_decay_inv 28000, subnet_decay_inv 3500,
// RandomCrop(28, pad 2) + horizontal flip drawn once per batch, and the
// reference schedule (plateau x3, early stopping).
//
//   intc train examples/cnn_fmnist.mlir -epochs=20
intc.model @cnn_fmnist(%x: tensor<?x1x28x28xi8>) attributes {
    dataset = "fashion-mnist", augment_crop = 2, augment_flip = true} {
  %0 = intc.local_conv_block %x channels 32 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 1024, decay_inv = 28000, head_decay_inv = 3500}
         : tensor<?x1x28x28xi8> -> tensor<?x32x28x28xi8>
  %1 = intc.local_conv_block %0 channels 64 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 1024, decay_inv = 28000, head_decay_inv = 3500}
         : tensor<?x32x28x28xi8> -> tensor<?x64x28x28xi8>
  %2 = intc.maxpool2d %1 kernel 2 : tensor<?x64x28x28xi8> -> tensor<?x64x14x14xi8>
  %3 = intc.local_conv_block %2 channels 128 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 1024, decay_inv = 28000, head_decay_inv = 3500}
         : tensor<?x64x14x14xi8> -> tensor<?x128x14x14xi8>
  %4 = intc.maxpool2d %3 kernel 2 : tensor<?x128x14x14xi8> -> tensor<?x128x7x7xi8>
  %5 = intc.flatten %4 : tensor<?x128x7x7xi8> -> tensor<?x6272xi8>
  %6 = intc.local_linear_block %5 features 256 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 3500} : tensor<?x6272xi8> -> tensor<?x256xi8>
  %7 = intc.output_layer %6 {decay_inv = 3500} : tensor<?x256xi8> -> tensor<?x10xi8>
  intc.yield %7 : tensor<?x10xi8>
}
