// RUN: intc-opt %examples/mlp3_fmnist.mlir -intc-verify-model | FileCheck %s
//
// MLP3 (FMNIST) 784-1024-1024-1024-10.
// The derived constants and shapes are copied from ALGORITHM.md §6.1;
// the hyper-parameters (dataset, augmentation, dropout, decay) from §9.1.

// CHECK-LABEL: intc.model @mlp3_fmnist(%{{.*}}: tensor<?x1x28x28xi8>)
// CHECK-SAME:    attributes {augment_crop = 2 : i64, augment_flip = true, dataset = "fashion-mnist"} {
// CHECK-NEXT:    intc.flatten
// CHECK-SAME:      : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 1024
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 29000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 200704, init = 10, dim_in_decoder = 1024, head_F = 262144, head_init = 9>,
// CHECK-SAME:      head_decay_inv = 6000 : i64}
// CHECK-SAME:      : tensor<?x784xi8> -> tensor<?x1024xi8>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 1024
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 29000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 262144, init = 9, dim_in_decoder = 1024, head_F = 262144, head_init = 9>,
// CHECK-SAME:      head_decay_inv = 6000 : i64}
// CHECK-SAME:      : tensor<?x1024xi8> -> tensor<?x1024xi8>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 1024
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 29000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 262144, init = 9, dim_in_decoder = 1024, head_F = 262144, head_init = 9>,
// CHECK-SAME:      head_decay_inv = 6000 : i64}
// CHECK-SAME:      : tensor<?x1024xi8> -> tensor<?x1024xi8>
// CHECK-NEXT:    intc.output_layer
// CHECK-SAME:      {decay_inv = 6000 : i64, derived = #intc.derived<F = 262144, init = 9>}
// CHECK-SAME:      : tensor<?x1024xi8> -> tensor<?x10xi8>
// CHECK-NEXT:    intc.yield %{{.*}} : tensor<?x10xi8>
