// A small MLP with two local blocks (two heads), for the history and plot
// tests.
intc.model @tiny_two_blocks(%x: tensor<?x1x28x28xi8>) attributes {
    dataset = "mnist", batch = 16} {
  %0 = intc.flatten %x : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
  %1 = intc.local_linear_block %0 features 32 activation nitro_leaky_relu<4>
         {decay_inv = 12000, head_decay_inv = 3000} : tensor<?x784xi8> -> tensor<?x32xi8>
  %2 = intc.local_linear_block %1 features 16 activation nitro_leaky_relu<4>
         {decay_inv = 12000, head_decay_inv = 3000} : tensor<?x32xi8> -> tensor<?x16xi8>
  %3 = intc.output_layer %2 {decay_inv = 3000} : tensor<?x16xi8> -> tensor<?x10xi8>
  intc.yield %3 : tensor<?x10xi8>
}
