// MLP4 on CIFAR-10: 3072-3000-3000-3000-10, three local-loss blocks, dropout 0.10
//
// NITRO-D reference configuration `mlp_4_cifar10` (ALGORITHM.md §9.1):
//   CIFAR-10 | 3072-3000-3000-3000-10 | Aug yes | Dropout 0.10 after every block
//   fwd_decay_inv 19,000: every encoder's decay_inv
//   subnet_decay_inv 7,500: every head_decay_inv and the output layer's decay_inv
// Published test accuracy (§9.2, 10 seeds, mean ± 2σ): 61.031% ± 0.596.
//
// Augmentation (§7.8): RandomCrop(32, pad 4) + horizontal flip, one draw per batch.
// A Dropout (rate 10%) follows every block (§3.5); its int16 output feeds the
// next block, while each block's local loss uses its own pre-dropout output.
//
// Every other hyper-parameter is the dialect default, which is the reference
// value (§9): lr_inv 512, lr_amp 640 (encoders) and 1 (heads, output layer),
// one-hot target 32, batch 64, at most 150 epochs, plateau x3 (patience 15,
// from epoch 10), early stopping (patience 35, from epoch 30), Kaiming-leaky
// init.
// Derived constants: ALGORITHM.md §6.1, checked by test/examples/mlp4_cifar10.mlir.
//
// Run:
//   intc examples/mlp4_cifar10.mlir
//       verifies the model and prints its shapes and derived constants
//   intc train examples/mlp4_cifar10.mlir -data-dir=DIR
//       trains it and evaluates it on CIFAR-10 (DIR: the CIFAR-10 binary
//       batches, e.g. ../shared/data/cifar10)

intc.model @mlp4_cifar10(%x: tensor<?x3x32x32xi8>)
    attributes {dataset = "cifar10", augment_crop = 4, augment_flip = true} {
  %0 = intc.flatten %x : tensor<?x3x32x32xi8> -> tensor<?x3072xi8>
  %1 = intc.local_linear_block %0 features 3000 activation nitro_leaky_relu<4>
         {decay_inv = 19000, head_decay_inv = 7500}
         : tensor<?x3072xi8> -> tensor<?x3000xi8>
  %2 = intc.dropout %1 rate 10 : tensor<?x3000xi8> -> tensor<?x3000xi16>
  %3 = intc.local_linear_block %2 features 3000 activation nitro_leaky_relu<4>
         {decay_inv = 19000, head_decay_inv = 7500}
         : tensor<?x3000xi16> -> tensor<?x3000xi8>
  %4 = intc.dropout %3 rate 10 : tensor<?x3000xi8> -> tensor<?x3000xi16>
  %5 = intc.local_linear_block %4 features 3000 activation nitro_leaky_relu<4>
         {decay_inv = 19000, head_decay_inv = 7500}
         : tensor<?x3000xi16> -> tensor<?x3000xi8>
  %6 = intc.dropout %5 rate 10 : tensor<?x3000xi8> -> tensor<?x3000xi16>
  %7 = intc.output_layer %6 {decay_inv = 7500}
         : tensor<?x3000xi16> -> tensor<?x10xi8>
  intc.yield %7 : tensor<?x10xi8>
}
