// VGG11B on CIFAR-10
//
// NITRO-D reference configuration `vgg11b_cifar10` (ALGORITHM.md §9.1):
//   CIFAR-10 | VGG11B + FC1024 | Aug yes | Dropout 0
//   architecture C128, C128, C128, C256, P, C256, C512, P, C512, C512, P, C512, P;
//     FC [1024]
//   fwd_decay_inv 28,000: every encoder's decay_inv
//   subnet_decay_inv 4,500: every head_decay_inv and the output layer's decay_inv
// Published test accuracy (§9.2, 10 seeds, mean ± 2σ): 87.391% ± 0.640.
//
// Augmentation (§7.8): RandomCrop(32, pad 4) + horizontal flip, one draw per batch.
//
// Every other hyper-parameter is the dialect default, which is the reference
// value (§9): lr_inv 512, lr_amp 640 (encoders) and 1 (heads, output layer),
// one-hot target 32, batch 64, at most 150 epochs, plateau x3 (patience 15,
// from epoch 10), early stopping (patience 35, from epoch 30), Kaiming-leaky
// init, 3x3 convs with stride 1 and padding 1, pred_decoder_dim 4096, and the
// double FC-block update of CNNs (§11 Q2).
// Derived constants: ALGORITHM.md §6.4, checked by test/examples/vgg11b_cifar10.mlir.
//
// Run:
//   intc examples/vgg11b_cifar10.mlir
//       verifies the model and prints its shapes and derived constants
//   intc train examples/vgg11b_cifar10.mlir -data-dir=DIR
//       trains it and evaluates it on CIFAR-10 (DIR: the CIFAR-10 binary
//       batches, e.g. ../shared/data/cifar10)

intc.model @vgg11b_cifar10(%x: tensor<?x3x32x32xi8>)
    attributes {dataset = "cifar10", augment_crop = 4, augment_flip = true} {
  %0 = intc.local_conv_block %x channels 128 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 4500}
         : tensor<?x3x32x32xi8> -> tensor<?x128x32x32xi8>
  %1 = intc.local_conv_block %0 channels 128 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 4500}
         : tensor<?x128x32x32xi8> -> tensor<?x128x32x32xi8>
  %2 = intc.local_conv_block %1 channels 128 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 4500}
         : tensor<?x128x32x32xi8> -> tensor<?x128x32x32xi8>
  %3 = intc.local_conv_block %2 channels 256 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 4500}
         : tensor<?x128x32x32xi8> -> tensor<?x256x32x32xi8>
  %4 = intc.maxpool2d %3 kernel 2 : tensor<?x256x32x32xi8> -> tensor<?x256x16x16xi8>
  %5 = intc.local_conv_block %4 channels 256 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 4500}
         : tensor<?x256x16x16xi8> -> tensor<?x256x16x16xi8>
  %6 = intc.local_conv_block %5 channels 512 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 4500}
         : tensor<?x256x16x16xi8> -> tensor<?x512x16x16xi8>
  %7 = intc.maxpool2d %6 kernel 2 : tensor<?x512x16x16xi8> -> tensor<?x512x8x8xi8>
  %8 = intc.local_conv_block %7 channels 512 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 4500}
         : tensor<?x512x8x8xi8> -> tensor<?x512x8x8xi8>
  %9 = intc.local_conv_block %8 channels 512 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 4500}
         : tensor<?x512x8x8xi8> -> tensor<?x512x8x8xi8>
  %10 = intc.maxpool2d %9 kernel 2 : tensor<?x512x8x8xi8> -> tensor<?x512x4x4xi8>
  %11 = intc.local_conv_block %10 channels 512 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 4500}
         : tensor<?x512x4x4xi8> -> tensor<?x512x4x4xi8>
  %12 = intc.maxpool2d %11 kernel 2 : tensor<?x512x4x4xi8> -> tensor<?x512x2x2xi8>
  %13 = intc.flatten %12 : tensor<?x512x2x2xi8> -> tensor<?x2048xi8>
  %14 = intc.local_linear_block %13 features 1024 activation nitro_leaky_relu<4>
         {decay_inv = 28000, head_decay_inv = 4500}
         : tensor<?x2048xi8> -> tensor<?x1024xi8>
  %15 = intc.output_layer %14 {decay_inv = 4500}
         : tensor<?x1024xi8> -> tensor<?x10xi8>
  intc.yield %15 : tensor<?x10xi8>
}
