// RUN: intc-opt %examples/vgg8b_fmnist.mlir -intc-verify-model | FileCheck %s
//
// VGG8B on 28x28 Fashion-MNIST with fc dropout 0.10: two Dropout layers
// (§3.6, §9.1).
// The derived constants and shapes are copied from ALGORITHM.md §6.3;
// the hyper-parameters (dataset, augmentation, dropout, decay) from §9.1.

// CHECK-LABEL: intc.model @vgg8b_fmnist(%{{.*}}: tensor<?x1x28x28xi8>)
// CHECK-SAME:    attributes {augment_crop = 2 : i64, augment_flip = true, dataset = "fashion-mnist"} {
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 128
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 2304, init = 64, head_pool = [8, 4], head_pad = [4, 0], head_grid = [4, 7], dim_in_decoder = 3584, head_F = 917504, head_init = 5>,
// CHECK-SAME:      head_decay_inv = 3500 : i64}
// CHECK-SAME:      : tensor<?x1x28x28xi8> -> tensor<?x128x28x28xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 256
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 294912, init = 9, head_pool = [8, 8], head_pad = [4, 4], head_grid = [4, 4], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>,
// CHECK-SAME:      head_decay_inv = 3500 : i64}
// CHECK-SAME:      : tensor<?x128x28x28xi8> -> tensor<?x256x28x28xi8>
// CHECK-NEXT:    intc.maxpool2d %{{.*}} kernel 2
// CHECK-SAME:      : tensor<?x256x28x28xi8> -> tensor<?x256x14x14xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 256
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 589824, init = 6, head_pool = [4, 4], head_pad = [2, 2], head_grid = [4, 4], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>,
// CHECK-SAME:      head_decay_inv = 3500 : i64}
// CHECK-SAME:      : tensor<?x256x14x14xi8> -> tensor<?x256x14x14xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 512
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 589824, init = 6, head_pool = [8, 4], head_pad = [4, 2], head_grid = [2, 4], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>,
// CHECK-SAME:      head_decay_inv = 3500 : i64}
// CHECK-SAME:      : tensor<?x256x14x14xi8> -> tensor<?x512x14x14xi8>
// CHECK-NEXT:    intc.maxpool2d %{{.*}} kernel 2
// CHECK-SAME:      : tensor<?x512x14x14xi8> -> tensor<?x512x7x7xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 512
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 1179648, init = 4, head_pool = [4, 2], head_pad = [2, 1], head_grid = [2, 4], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>,
// CHECK-SAME:      head_decay_inv = 3500 : i64}
// CHECK-SAME:      : tensor<?x512x7x7xi8> -> tensor<?x512x7x7xi8>
// CHECK-NEXT:    intc.maxpool2d %{{.*}} kernel 2
// CHECK-SAME:      : tensor<?x512x7x7xi8> -> tensor<?x512x3x3xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 512
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 1179648, init = 4, head_pool = [2, 1], head_pad = [1, 0], head_grid = [2, 3], dim_in_decoder = 3072, head_F = 786432, head_init = 5>,
// CHECK-SAME:      head_decay_inv = 3500 : i64}
// CHECK-SAME:      : tensor<?x512x3x3xi8> -> tensor<?x512x3x3xi8>
// CHECK-NEXT:    intc.dropout %{{.*}} rate 10
// CHECK-SAME:      : tensor<?x512x3x3xi8> -> tensor<?x512x3x3xi16>
// CHECK-NEXT:    intc.maxpool2d %{{.*}} kernel 2
// CHECK-SAME:      : tensor<?x512x3x3xi16> -> tensor<?x512x1x1xi16>
// CHECK-NEXT:    intc.flatten
// CHECK-SAME:      : tensor<?x512x1x1xi16> -> tensor<?x512xi16>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 1024
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 131072, init = 13, dim_in_decoder = 1024, head_F = 262144, head_init = 9>,
// CHECK-SAME:      head_decay_inv = 3500 : i64}
// CHECK-SAME:      : tensor<?x512xi16> -> tensor<?x1024xi8>
// CHECK-NEXT:    intc.dropout %{{.*}} rate 10
// CHECK-SAME:      : tensor<?x1024xi8> -> tensor<?x1024xi16>
// CHECK-NEXT:    intc.output_layer
// CHECK-SAME:      {decay_inv = 3500 : i64, derived = #intc.derived<F = 262144, init = 9>}
// CHECK-SAME:      : tensor<?x1024xi16> -> tensor<?x10xi8>
// CHECK-NEXT:    intc.yield %{{.*}} : tensor<?x10xi8>
