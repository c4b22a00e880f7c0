// VGG8B on MNIST (28x28, not padded to 32)
//
// NITRO-D reference configuration `vgg8b_mnist` (ALGORITHM.md §9.1):
//   MNIST (28x28) | VGG8B + FC1024 | Aug yes | Dropout fc 0.0
//   architecture C128, C256, P, C256, C512, P, C512, P, C512, P; FC [1024]
//   fwd_decay_inv 30,000: every encoder's decay_inv
//   subnet_decay_inv 3,000: every head_decay_inv and the output layer's decay_inv
// Published test accuracy (§9.2, 10 seeds, mean ± 2σ): 99.450% ± 0.053.
//
// Augmentation (§7.8): RandomCrop(28, pad 2), one draw per batch.
// On 28x28 inputs the inter-block pools floor 7 -> 3 -> 1 (§11 Q16) and most
// learning-head pools need padding (§6.3), filled with 0 (§11 Q5).
//
// Every other hyper-parameter is the dialect default, which is the reference
// value (§9): lr_inv 512, lr_amp 640 (encoders) and 1 (heads, output layer),
// one-hot target 32, batch 64, at most 150 epochs, plateau x3 (patience 15,
// from epoch 10), early stopping (patience 35, from epoch 30), Kaiming-leaky
// init, 3x3 convs with stride 1 and padding 1, pred_decoder_dim 4096, and the
// double FC-block update of CNNs (§11 Q2).
// Derived constants: ALGORITHM.md §6.3, checked by test/examples/vgg8b_mnist.mlir.
//
// Run:
//   intc examples/vgg8b_mnist.mlir
//       verifies the model and prints its shapes and derived constants
//   intc train examples/vgg8b_mnist.mlir
//       trains it and evaluates it on MNIST

intc.model @vgg8b_mnist(%x: tensor<?x1x28x28xi8>)
    attributes {dataset = "mnist", augment_crop = 2} {
  %0 = intc.local_conv_block %x channels 128 activation nitro_leaky_relu<4>
         {decay_inv = 30000, head_decay_inv = 3000}
         : tensor<?x1x28x28xi8> -> tensor<?x128x28x28xi8>
  %1 = intc.local_conv_block %0 channels 256 activation nitro_leaky_relu<4>
         {decay_inv = 30000, head_decay_inv = 3000}
         : tensor<?x128x28x28xi8> -> tensor<?x256x28x28xi8>
  %2 = intc.maxpool2d %1 kernel 2 : tensor<?x256x28x28xi8> -> tensor<?x256x14x14xi8>
  %3 = intc.local_conv_block %2 channels 256 activation nitro_leaky_relu<4>
         {decay_inv = 30000, head_decay_inv = 3000}
         : tensor<?x256x14x14xi8> -> tensor<?x256x14x14xi8>
  %4 = intc.local_conv_block %3 channels 512 activation nitro_leaky_relu<4>
         {decay_inv = 30000, head_decay_inv = 3000}
         : tensor<?x256x14x14xi8> -> tensor<?x512x14x14xi8>
  %5 = intc.maxpool2d %4 kernel 2 : tensor<?x512x14x14xi8> -> tensor<?x512x7x7xi8>
  %6 = intc.local_conv_block %5 channels 512 activation nitro_leaky_relu<4>
         {decay_inv = 30000, head_decay_inv = 3000}
         : tensor<?x512x7x7xi8> -> tensor<?x512x7x7xi8>
  %7 = intc.maxpool2d %6 kernel 2 : tensor<?x512x7x7xi8> -> tensor<?x512x3x3xi8>
  %8 = intc.local_conv_block %7 channels 512 activation nitro_leaky_relu<4>
         {decay_inv = 30000, head_decay_inv = 3000}
         : tensor<?x512x3x3xi8> -> tensor<?x512x3x3xi8>
  %9 = intc.maxpool2d %8 kernel 2 : tensor<?x512x3x3xi8> -> tensor<?x512x1x1xi8>
  %10 = intc.flatten %9 : tensor<?x512x1x1xi8> -> tensor<?x512xi8>
  %11 = intc.local_linear_block %10 features 1024 activation nitro_leaky_relu<4>
         {decay_inv = 30000, head_decay_inv = 3000}
         : tensor<?x512xi8> -> tensor<?x1024xi8>
  %12 = intc.output_layer %11 {decay_inv = 3000}
         : tensor<?x1024xi8> -> tensor<?x10xi8>
  intc.yield %12 : tensor<?x10xi8>
}
