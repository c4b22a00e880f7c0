// MLP2 on Fashion-MNIST: 784-200-100-50-10, three local-loss blocks
//
// NITRO-D reference configuration `mlp_2_fmnist` (ALGORITHM.md §9.1):
//   FMNIST | 784-200-100-50-10 | Aug no | Dropout 0
//   fwd_decay_inv 10,000: every encoder's decay_inv
//   subnet_decay_inv 8,000: every head_decay_inv and the output layer's decay_inv
// Published test accuracy (§9.2, 10 seeds, mean ± 2σ): 88.661% ± 0.457.
//
// Every other hyper-parameter is the dialect default, which is the reference
// value (§9): lr_inv 512, lr_amp 640 (encoders) and 1 (heads, output layer),
// one-hot target 32, batch 64, at most 150 epochs, plateau x3 (patience 15,
// from epoch 10), early stopping (patience 35, from epoch 30), Kaiming-leaky
// init.
// Derived constants: ALGORITHM.md §6.1, checked by test/examples/mlp2_fmnist.mlir.
//
// Run:
//   intc examples/mlp2_fmnist.mlir
//       verifies the model and prints its shapes and derived constants
//   intc train examples/mlp2_fmnist.mlir
//       trains it and evaluates it on Fashion-MNIST

intc.model @mlp2_fmnist(%x: tensor<?x1x28x28xi8>)
    attributes {dataset = "fashion-mnist"} {
  %0 = intc.flatten %x : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
  %1 = intc.local_linear_block %0 features 200 activation nitro_leaky_relu<4>
         {decay_inv = 10000, head_decay_inv = 8000}
         : tensor<?x784xi8> -> tensor<?x200xi8>
  %2 = intc.local_linear_block %1 features 100 activation nitro_leaky_relu<4>
         {decay_inv = 10000, head_decay_inv = 8000}
         : tensor<?x200xi8> -> tensor<?x100xi8>
  %3 = intc.local_linear_block %2 features 50 activation nitro_leaky_relu<4>
         {decay_inv = 10000, head_decay_inv = 8000}
         : tensor<?x100xi8> -> tensor<?x50xi8>
  %4 = intc.output_layer %3 {decay_inv = 8000}
         : tensor<?x50xi8> -> tensor<?x10xi8>
  intc.yield %4 : tensor<?x10xi8>
}
