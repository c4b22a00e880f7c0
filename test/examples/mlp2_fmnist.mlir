// RUN: intc-opt %examples/mlp2_fmnist.mlir -intc-verify-model | FileCheck %s
//
// MLP2 (FMNIST) 784-200-100-50-10.
// The derived constants and shapes are copied from ALGORITHM.md §6.1;
// the hyper-parameters (dataset, augmentation, dropout, decay) from §9.1.

// CHECK-LABEL: intc.model @mlp2_fmnist(%{{.*}}: tensor<?x1x28x28xi8>)
// CHECK-SAME:    attributes {dataset = "fashion-mnist"} {
// CHECK-NEXT:    intc.flatten
// CHECK-SAME:      : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 200
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 10000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 200704, init = 10, dim_in_decoder = 200, head_F = 51200, head_init = 21>,
// CHECK-SAME:      head_decay_inv = 8000 : i64}
// CHECK-SAME:      : tensor<?x784xi8> -> tensor<?x200xi8>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 100
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 10000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 51200, init = 21, dim_in_decoder = 100, head_F = 25600, head_init = 30>,
// CHECK-SAME:      head_decay_inv = 8000 : i64}
// CHECK-SAME:      : tensor<?x200xi8> -> tensor<?x100xi8>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 50
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 10000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 25600, init = 30, dim_in_decoder = 50, head_F = 12800, head_init = 43>,
// CHECK-SAME:      head_decay_inv = 8000 : i64}
// CHECK-SAME:      : tensor<?x100xi8> -> tensor<?x50xi8>
// CHECK-NEXT:    intc.output_layer
// CHECK-SAME:      {decay_inv = 8000 : i64, derived = #intc.derived<F = 12800, init = 43>}
// CHECK-SAME:      : tensor<?x50xi8> -> tensor<?x10xi8>
// CHECK-NEXT:    intc.yield %{{.*}} : tensor<?x10xi8>
