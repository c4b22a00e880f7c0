// A tiny MLP for the 16x16 grayscale, 4-class data of make_user_data.py
// (the -data=PATH tests): 256-32-4. It reaches 100% in about 6 epochs.
intc.model @user_gray_mlp(%x: tensor<?x1x16x16xi8>)
    attributes {batch = 16, num_classes = 4} {
  %0 = intc.flatten %x : tensor<?x1x16x16xi8> -> tensor<?x256xi8>
  %1 = intc.local_linear_block %0 features 32 activation nitro_leaky_relu<4>
         : tensor<?x256xi8> -> tensor<?x32xi8>
  %2 = intc.output_layer %1 : tensor<?x32xi8> -> tensor<?x4xi8>
  intc.yield %2 : tensor<?x4xi8>
}
