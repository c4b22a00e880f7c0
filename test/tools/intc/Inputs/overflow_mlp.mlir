// A configuration that really overflows: a PocketTanh MLP with a tiny
// learning-rate divisor (lr_inv = 4 and every lr_amp 1: each update is a
// quarter of the gradient sum, where the reference divides by 327,680) and
// no weight decay to cap the weights. The local gradients are 10^4-10^6 per
// sample (ALGORITHM.md §11 Q11). On make_idx.py's data with seed 42, an
// encoder weight passes 2^31 at step 117 (epoch 15); with lr_inv = 1 it
// takes 4 steps, with lr_inv >= 6 the saturated tanh stops the growth first
// (test/tools/intc/overflow.test).
intc.model @overflow_mlp(%x: tensor<?x1x28x28xi8>) attributes {
    dataset = "mnist", batch = 16, lr_inv = 4} {
  %0 = intc.flatten %x : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
  %1 = intc.local_linear_block %0 features 32 activation pocket_tanh
         {lr_amp = 1, decay_inv = 0, head_decay_inv = 0}
         : tensor<?x784xi8> -> tensor<?x32xi8>
  %2 = intc.output_layer %1 {decay_inv = 0} : tensor<?x32xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}
