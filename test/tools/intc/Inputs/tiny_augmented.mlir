// A small MLP with MNIST's augmentation (random crop, padding 2).
intc.model @tiny_augmented(%x: tensor<?x1x28x28xi8>) attributes {
    dataset = "mnist", batch = 16, augment_crop = 2} {
  %0 = intc.flatten %x : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
  %1 = intc.local_linear_block %0 features 32 activation nitro_leaky_relu<4>
         {decay_inv = 12000, head_decay_inv = 3000} : tensor<?x784xi8> -> tensor<?x32xi8>
  %2 = intc.output_layer %1 {decay_inv = 3000} : tensor<?x32xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}
