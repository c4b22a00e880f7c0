// VGG8B on Fashion-MNIST (28x28, not padded to 32), fc dropout 0.10
//
// NITRO-D reference configuration `vgg8b_fmnist` (ALGORITHM.md §9.1):
//   FMNIST (28x28) | VGG8B + FC1024 | Aug yes | Dropout fc 0.10
//   architecture C128, C256, P, C256, C512, P, C512, P, C512, P; FC [1024]
//   fwd_decay_inv 28,000: every encoder's decay_inv
//   subnet_decay_inv 3,500: every head_decay_inv and the output layer's decay_inv
// Published test accuracy (§9.2, 10 seeds, mean ± 2σ): 93.659% ± 0.399.
//
// Augmentation (§7.8): RandomCrop(28, pad 2) + horizontal flip, one draw per batch.
// fc dropout > 0 gives two Dropout layers (§3.6, §9.1): one after the last conv
// block (before the final pool) and one after the FC block (before the output).
// On 28x28 inputs the inter-block pools floor 7 -> 3 -> 1 (§11 Q16) and most
// learning-head pools need padding (§6.3), filled with 0 (§11 Q5).
//
// Every other hyper-parameter is the dialect default, which is the reference
// value (§9): lr_inv 512, lr_amp 640 (encoders) and 1 (heads, output layer),
// one-hot target 32, batch 64, at most 150 epochs, plateau x3 (patience 15,
// from epoch 10), early stopping (patience 35, from epoch 30), Kaiming-leaky
// init, 3x3 convs with stride 1 and padding 1, pred_decoder_dim 4096, and the
// double FC-block update of CNNs (§11 Q2).
// Derived constants: ALGORITHM.md §6.3, checked by test/examples/vgg8b_fmnist.mlir.
//
// Run:
//   intc examples/vgg8b_fmnist.mlir
//       verifies the model and prints its shapes and derived constants
//   intc train examples/vgg8b_fmnist.mlir
//       trains it and evaluates it on Fashion-MNIST

intc.model @vgg8b_fmnist(%x: tensor<?x1x28x28xi8>)
    attributes {dataset = "fashion-mnist", augment_crop = 2, augment_flip = true} {
  %0 = intc.local_conv_block %x channels 128 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 3500}
         : tensor<?x1x28x28xi8> -> tensor<?x128x28x28xi8>
  %1 = intc.local_conv_block %0 channels 256 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 3500}
         : tensor<?x128x28x28xi8> -> tensor<?x256x28x28xi8>
  %2 = intc.maxpool2d %1 kernel 2 : tensor<?x256x28x28xi8> -> tensor<?x256x14x14xi8>
  %3 = intc.local_conv_block %2 channels 256 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 3500}
         : tensor<?x256x14x14xi8> -> tensor<?x256x14x14xi8>
  %4 = intc.local_conv_block %3 channels 512 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 3500}
         : tensor<?x256x14x14xi8> -> tensor<?x512x14x14xi8>
  %5 = intc.maxpool2d %4 kernel 2 : tensor<?x512x14x14xi8> -> tensor<?x512x7x7xi8>
  %6 = intc.local_conv_block %5 channels 512 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 3500}
         : tensor<?x512x7x7xi8> -> tensor<?x512x7x7xi8>
  %7 = intc.maxpool2d %6 kernel 2 : tensor<?x512x7x7xi8> -> tensor<?x512x3x3xi8>
  %8 = intc.local_conv_block %7 channels 512 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 3500}
         : tensor<?x512x3x3xi8> -> tensor<?x512x3x3xi8>
  %9 = intc.dropout %8 rate 10 : tensor<?x512x3x3xi8> -> tensor<?x512x3x3xi16>
  %10 = intc.maxpool2d %9 kernel 2 : tensor<?x512x3x3xi16> -> tensor<?x512x1x1xi16>
  %11 = intc.flatten %10 : tensor<?x512x1x1xi16> -> tensor<?x512xi16>
  %12 = intc.local_linear_block %11 features 1024 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 3500}
         : tensor<?x512xi16> -> tensor<?x1024xi8>
  %13 = intc.dropout %12 rate 10 : tensor<?x1024xi8> -> tensor<?x1024xi16>
  %14 = intc.output_layer %13 {decay_inv = 3500}
         : tensor<?x1024xi16> -> tensor<?x10xi8>
  intc.yield %14 : tensor<?x10xi8>
}
