// RUN: intc-opt %examples/vgg11b_cifar10.mlir -intc-verify-model | FileCheck %s
//
// VGG11B on CIFAR-10; every conv learning linear has F_learn = 1048576 and
// b = 4 (§6.4 text), no padding, no dropout.
// The derived constants and shapes are copied from ALGORITHM.md §6.4;
// the hyper-parameters (dataset, augmentation, dropout, decay) from §9.1.

// CHECK-LABEL: intc.model @vgg11b_cifar10(%{{.*}}: tensor<?x3x32x32xi8>)
// CHECK-SAME:    attributes {augment_crop = 4 : i64, augment_flip = true, dataset = "cifar10"} {
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 128
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 6912, init = 60, head_pool = [8, 4], head_pad = [0, 0], head_grid = [4, 8], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>,
// CHECK-SAME:      head_decay_inv = 4500 : i64}
// CHECK-SAME:      : tensor<?x3x32x32xi8> -> tensor<?x128x32x32xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 128
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 294912, init = 9, head_pool = [8, 4], head_pad = [0, 0], head_grid = [4, 8], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>,
// CHECK-SAME:      head_decay_inv = 4500 : i64}
// CHECK-SAME:      : tensor<?x128x32x32xi8> -> tensor<?x128x32x32xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 128
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 294912, init = 9, head_pool = [8, 4], head_pad = [0, 0], head_grid = [4, 8], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>,
// CHECK-SAME:      head_decay_inv = 4500 : i64}
// CHECK-SAME:      : tensor<?x128x32x32xi8> -> tensor<?x128x32x32xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 256
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 294912, init = 9, head_pool = [8, 8], head_pad = [0, 0], head_grid = [4, 4], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>,
// CHECK-SAME:      head_decay_inv = 4500 : i64}
// CHECK-SAME:      : tensor<?x128x32x32xi8> -> tensor<?x256x32x32xi8>
// CHECK-NEXT:    intc.maxpool2d %{{.*}} kernel 2
// CHECK-SAME:      : tensor<?x256x32x32xi8> -> tensor<?x256x16x16xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 256
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 589824, init = 6, head_pool = [4, 4], head_pad = [0, 0], head_grid = [4, 4], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>,
// CHECK-SAME:      head_decay_inv = 4500 : i64}
// CHECK-SAME:      : tensor<?x256x16x16xi8> -> tensor<?x256x16x16xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 512
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 589824, init = 6, head_pool = [8, 4], head_pad = [0, 0], head_grid = [2, 4], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>,
// CHECK-SAME:      head_decay_inv = 4500 : i64}
// CHECK-SAME:      : tensor<?x256x16x16xi8> -> tensor<?x512x16x16xi8>
// CHECK-NEXT:    intc.maxpool2d %{{.*}} kernel 2
// CHECK-SAME:      : tensor<?x512x16x16xi8> -> tensor<?x512x8x8xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 512
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 1179648, init = 4, head_pool = [4, 2], head_pad = [0, 0], head_grid = [2, 4], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>,
// CHECK-SAME:      head_decay_inv = 4500 : i64}
// CHECK-SAME:      : tensor<?x512x8x8xi8> -> tensor<?x512x8x8xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 512
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 1179648, init = 4, head_pool = [4, 2], head_pad = [0, 0], head_grid = [2, 4], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>,
// CHECK-SAME:      head_decay_inv = 4500 : i64}
// CHECK-SAME:      : tensor<?x512x8x8xi8> -> tensor<?x512x8x8xi8>
// CHECK-NEXT:    intc.maxpool2d %{{.*}} kernel 2
// CHECK-SAME:      : tensor<?x512x8x8xi8> -> tensor<?x512x4x4xi8>
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 512
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 1179648, init = 4, head_pool = [2, 1], head_pad = [0, 0], head_grid = [2, 4], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>,
// CHECK-SAME:      head_decay_inv = 4500 : i64}
// CHECK-SAME:      : tensor<?x512x4x4xi8> -> tensor<?x512x4x4xi8>
// CHECK-NEXT:    intc.maxpool2d %{{.*}} kernel 2
// CHECK-SAME:      : tensor<?x512x4x4xi8> -> tensor<?x512x2x2xi8>
// CHECK-NEXT:    intc.flatten
// CHECK-SAME:      : tensor<?x512x2x2xi8> -> tensor<?x2048xi8>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 1024
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 28000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 524288, init = 6, dim_in_decoder = 1024, head_F = 262144, head_init = 9>,
// CHECK-SAME:      head_decay_inv = 4500 : i64}
// CHECK-SAME:      : tensor<?x2048xi8> -> tensor<?x1024xi8>
// CHECK-NEXT:    intc.output_layer
// CHECK-SAME:      {decay_inv = 4500 : i64, derived = #intc.derived<F = 262144, init = 9>}
// CHECK-SAME:      : tensor<?x1024xi8> -> tensor<?x10xi8>
// CHECK-NEXT:    intc.yield %{{.*}} : tensor<?x10xi8>
