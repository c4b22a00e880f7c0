// VGG8B on CIFAR-10, fc dropout 0.15
//
// NITRO-D reference configuration `vgg8b_cifar10` (ALGORITHM.md §9.1):
//   CIFAR-10 | VGG8B + FC1024 | Aug yes | Dropout fc 0.15
//   architecture C128, C256, P, C256, C512, P, C512, P, C512, P; FC [1024]
//   fwd_decay_inv 25,000: every encoder's decay_inv
//   subnet_decay_inv 3,000: every head_decay_inv and the output layer's decay_inv
// Published test accuracy (§9.2, 10 seeds, mean ± 2σ): 87.956% ± 0.390.
//
// Augmentation (§7.8): RandomCrop(32, pad 4) + horizontal flip, one draw per batch.
// fc dropout > 0 gives two Dropout layers (§3.6, §9.1): one after the last conv
// block (before the final pool) and one after the FC block (before the output).
//
// Every other hyper-parameter is the dialect default, which is the reference
// value (§9): lr_inv 512, lr_amp 640 (encoders) and 1 (heads, output layer),
// one-hot target 32, batch 64, at most 150 epochs, plateau x3 (patience 15,
// from epoch 10), early stopping (patience 35, from epoch 30), Kaiming-leaky
// init, 3x3 convs with stride 1 and padding 1, pred_decoder_dim 4096, and the
// double FC-block update of CNNs (§11 Q2).
// Derived constants: ALGORITHM.md §6.2, checked by test/examples/vgg8b_cifar10.mlir.
//
// Run:
//   intc examples/vgg8b_cifar10.mlir
//       verifies the model and prints its shapes and derived constants
//   intc train examples/vgg8b_cifar10.mlir -data-dir=DIR
//       trains it and evaluates it on CIFAR-10 (DIR: the CIFAR-10 binary
//       batches, e.g. ../shared/data/cifar10)

intc.model @vgg8b_cifar10(%x: tensor<?x3x32x32xi8>)
    attributes {dataset = "cifar10", augment_crop = 4, augment_flip = true} {
  %0 = intc.local_conv_block %x channels 128 activation nitro_leaky_relu<4>
         {decay_inv = 25000, head_decay_inv = 3000}
         : tensor<?x3x32x32xi8> -> tensor<?x128x32x32xi8>
  %1 = intc.local_conv_block %0 channels 256 activation nitro_leaky_relu<4>
         {decay_inv = 25000, head_decay_inv = 3000}
         : tensor<?x128x32x32xi8> -> tensor<?x256x32x32xi8>
  %2 = intc.maxpool2d %1 kernel 2 : tensor<?x256x32x32xi8> -> tensor<?x256x16x16xi8>
  %3 = intc.local_conv_block %2 channels 256 activation nitro_leaky_relu<4>
         {decay_inv = 25000, head_decay_inv = 3000}
         : tensor<?x256x16x16xi8> -> tensor<?x256x16x16xi8>
  %4 = intc.local_conv_block %3 channels 512 activation nitro_leaky_relu<4>
         {decay_inv = 25000, head_decay_inv = 3000}
         : tensor<?x256x16x16xi8> -> tensor<?x512x16x16xi8>
  %5 = intc.maxpool2d %4 kernel 2 : tensor<?x512x16x16xi8> -> tensor<?x512x8x8xi8>
  %6 = intc.local_conv_block %5 channels 512 activation nitro_leaky_relu<4>
         {decay_inv = 25000, head_decay_inv = 3000}
         : tensor<?x512x8x8xi8> -> tensor<?x512x8x8xi8>
  %7 = intc.maxpool2d %6 kernel 2 : tensor<?x512x8x8xi8> -> tensor<?x512x4x4xi8>
  %8 = intc.local_conv_block %7 channels 512 activation nitro_leaky_relu<4>
         {decay_inv = 25000, head_decay_inv = 3000}
         : tensor<?x512x4x4xi8> -> tensor<?x512x4x4xi8>
  %9 = intc.dropout %8 rate 15 : tensor<?x512x4x4xi8> -> tensor<?x512x4x4xi16>
  %10 = intc.maxpool2d %9 kernel 2 : tensor<?x512x4x4xi16> -> tensor<?x512x2x2xi16>
  %11 = intc.flatten %10 : tensor<?x512x2x2xi16> -> tensor<?x2048xi16>
  %12 = intc.local_linear_block %11 features 1024 activation nitro_leaky_relu<4>
         {decay_inv = 25000, head_decay_inv = 3000}
         : tensor<?x2048xi16> -> tensor<?x1024xi8>
  %13 = intc.dropout %12 rate 15 : tensor<?x1024xi8> -> tensor<?x1024xi16>
  %14 = intc.output_layer %13 {decay_inv = 3000}
         : tensor<?x1024xi16> -> tensor<?x10xi8>
  intc.yield %14 : tensor<?x10xi8>
}
