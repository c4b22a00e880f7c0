// user_gray_mlp.mlir without the flatten: a flat input of 256 features, which
// takes 16x16 images in their NCHW byte order (the -data=PATH tests).
intc.model @user_flat_mlp(%x: tensor<?x256xi8>)
    attributes {batch = 16, num_classes = 4} {
  %1 = intc.local_linear_block %x features 32 activation nitro_leaky_relu<4>
         : tensor<?x256xi8> -> tensor<?x32xi8>
  %2 = intc.output_layer %1 : tensor<?x32xi8> -> tensor<?x4xi8>
  intc.yield %2 : tensor<?x4xi8>
}
