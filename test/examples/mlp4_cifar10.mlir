// RUN: intc-opt %examples/mlp4_cifar10.mlir -intc-verify-model | FileCheck %s
//
// MLP4 (CIFAR-10) 3072-3000-3000-3000-10 with a Dropout(0.10) after every
// block (§3.5); the dropout output is int16.
// The derived constants and shapes are copied from ALGORITHM.md §6.1;
// the hyper-parameters (dataset, augmentation, dropout, decay) from §9.1.

// CHECK-LABEL: intc.model @mlp4_cifar10(%{{.*}}: tensor<?x3x32x32xi8>)
// CHECK-SAME:    attributes {augment_crop = 4 : i64, augment_flip = true, dataset = "cifar10"} {
// CHECK-NEXT:    intc.flatten
// CHECK-SAME:      : tensor<?x3x32x32xi8> -> tensor<?x3072xi8>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 3000
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 19000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 786432, init = 5, dim_in_decoder = 3000, head_F = 768000, head_init = 5>,
// CHECK-SAME:      head_decay_inv = 7500 : i64}
// CHECK-SAME:      : tensor<?x3072xi8> -> tensor<?x3000xi8>
// CHECK-NEXT:    intc.dropout %{{.*}} rate 10
// CHECK-SAME:      : tensor<?x3000xi8> -> tensor<?x3000xi16>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 3000
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 19000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 768000, init = 5, dim_in_decoder = 3000, head_F = 768000, head_init = 5>,
// CHECK-SAME:      head_decay_inv = 7500 : i64}
// CHECK-SAME:      : tensor<?x3000xi16> -> tensor<?x3000xi8>
// CHECK-NEXT:    intc.dropout %{{.*}} rate 10
// CHECK-SAME:      : tensor<?x3000xi8> -> tensor<?x3000xi16>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 3000
// CHECK-SAME:      activation nitro_leaky_relu<4> {decay_inv = 19000 : i64,
// CHECK-SAME:      derived = #intc.derived<F = 768000, init = 5, dim_in_decoder = 3000, head_F = 768000, head_init = 5>,
// CHECK-SAME:      head_decay_inv = 7500 : i64}
// CHECK-SAME:      : tensor<?x3000xi16> -> tensor<?x3000xi8>
// CHECK-NEXT:    intc.dropout %{{.*}} rate 10
// CHECK-SAME:      : tensor<?x3000xi8> -> tensor<?x3000xi16>
// CHECK-NEXT:    intc.output_layer
// CHECK-SAME:      {decay_inv = 7500 : i64, derived = #intc.derived<F = 768000, init = 5>}
// CHECK-SAME:      : tensor<?x3000xi16> -> tensor<?x10xi8>
// CHECK-NEXT:    intc.yield %{{.*}} : tensor<?x10xi8>
