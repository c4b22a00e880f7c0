// MLP3 on Fashion-MNIST: 784-1024-1024-1024-10, three local-loss blocks
//
// NITRO-D reference configuration `mlp_3_fmnist` (ALGORITHM.md §9.1):
//   FMNIST | 784-1024-1024-1024-10 | Aug yes | Dropout 0
//   fwd_decay_inv 29,000: every encoder's decay_inv
//   subnet_decay_inv 6,000: every head_decay_inv and the output layer's decay_inv
// Published test accuracy (§9.2, 10 seeds, mean ± 2σ): 89.134% ± 0.412.
//
// Augmentation (§7.8): RandomCrop(28, pad 2) + horizontal flip, one draw per batch.
//
// Every other hyper-parameter is the dialect default, which is the reference
// value (§9): lr_inv 512, lr_amp 640 (encoders) and 1 (heads, output layer),
// one-hot target 32, batch 64, at most 150 epochs, plateau x3 (patience 15,
// from epoch 10), early stopping (patience 35, from epoch 30), Kaiming-leaky
// init.
// Derived constants: ALGORITHM.md §6.1, checked by test/examples/mlp3_fmnist.mlir.
//
// Run:
//   intc examples/mlp3_fmnist.mlir
//       verifies the model and prints its shapes and derived constants
//   intc train examples/mlp3_fmnist.mlir
//       trains it and evaluates it on Fashion-MNIST

intc.model @mlp3_fmnist(%x: tensor<?x1x28x28xi8>)
    attributes {dataset = "fashion-mnist", augment_crop = 2, augment_flip = true} {
  %0 = intc.flatten %x : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
  %1 = intc.local_linear_block %0 features 1024 activation nitro_leaky_relu<4>
         {decay_inv = 29000, head_decay_inv = 6000}
         : tensor<?x784xi8> -> tensor<?x1024xi8>
  %2 = intc.local_linear_block %1 features 1024 activation nitro_leaky_relu<4>
         {decay_inv = 29000, head_decay_inv = 6000}
         : tensor<?x1024xi8> -> tensor<?x1024xi8>
  %3 = intc.local_linear_block %2 features 1024 activation nitro_leaky_relu<4>
         {decay_inv = 29000, head_decay_inv = 6000}
         : tensor<?x1024xi8> -> tensor<?x1024xi8>
  %4 = intc.output_layer %3 {decay_inv = 6000}
         : tensor<?x1024xi8> -> tensor<?x10xi8>
  intc.yield %4 : tensor<?x10xi8>
}
