// RUN: intc-opt %s -intc-verify-model -intc-expand-training=check-overflow=true | FileCheck %s
// RUN: intc-opt %s -intc-verify-model -intc-expand-training | FileCheck %s --check-prefix=OFF
// RUN: intc-opt %s -intc-verify-model -intc-expand-training="check-overflow=true weight-bits=16" | FileCheck %s --check-prefix=W16
// Lowered, the guard is one integer reduction per int32 update.
// RUN: intc-opt %s -intc-verify-model -intc-expand-training=check-overflow=true -intc-lower-to-linalg | FileCheck %s --check-prefix=LOWERED

// check-overflow: before every int32 SGD update, the number of elements
// whose exact int64 update leaves int32; a non-zero count calls
// intc_overflow(tensor index, quantity 0, step, count). train_step passes
// its step, apply_grads -1. The int64 accumulations of this model are
// proven from their types and shapes, so nothing else is guarded.

// 8 -> [6] -> 3: encoder 6x8 (tensor 0), head 3x6 (tensor 1), output 3x6
// (tensor 2).
intc.model @mlp(%x: tensor<?x8xi8>) attributes {num_classes = 3, batch = 2} {
  %0 = intc.local_linear_block %x features 6 activation pocket_tanh
         {decay_inv = 2000, head_decay_inv = 500} : tensor<?x8xi8> -> tensor<?x6xi8>
  %1 = intc.output_layer %0 {decay_inv = 500} : tensor<?x6xi8> -> tensor<?x3xi8>
  intc.yield %1 : tensor<?x3xi8>
}

// CHECK: func.func private @intc_overflow(i64, i64, i64, i64)
// CHECK-LABEL: func.func @mlp_train_step(
// CHECK-SAME: %[[LR:[^:]*]]: i64, %{{[^:]*}}: i64, %[[STEP:[^:]*]]: i64,
// The output layer first (tensor 2), then the head (1) and the encoder (0),
// each counted on its pre-update weight and gradient, then updated.
// CHECK: %[[GO:.*]] = intc.linear_weight_grad
// CHECK: %[[N2:.*]] = intc.sgd_overflow_count %[[WO:[^,]*]], %[[GO]], %[[LR]] lr_amp 1 decay_inv 500 : tensor<3x6xi32>, tensor<3x6xi64>
// CHECK: %[[NZ:.*]] = arith.cmpi ne, %[[N2]], %{{.*}} : i64
// CHECK: scf.if %[[NZ]] {
// CHECK:   %[[I2:.*]] = arith.constant 2 : i64
// CHECK:   %[[Q:.*]] = arith.constant 0 : i64
// CHECK:   func.call @intc_overflow(%[[I2]], %[[Q]], %[[STEP]], %[[N2]]) : (i64, i64, i64, i64) -> ()
// CHECK: }
// CHECK: intc.sgd_update %[[WO]], %[[GO]], %[[LR]] lr_amp 1 decay_inv 500
// CHECK: intc.sgd_overflow_count %{{.*}} lr_amp 1 decay_inv 500 : tensor<3x6xi32>
// CHECK: arith.constant 1 : i64
// CHECK: func.call @intc_overflow
// CHECK: intc.sgd_overflow_count %{{.*}} lr_amp 640 decay_inv 2000 : tensor<6x8xi32>
// CHECK: arith.constant 0 : i64
// CHECK: func.call @intc_overflow
// CHECK: intc.sgd_update %{{.*}} lr_amp 640 decay_inv 2000

// train_grads only writes gradients: nothing to guard.
// CHECK-LABEL: func.func @mlp_train_grads(
// CHECK-NOT: intc_overflow
// apply_grads knows no step: -1.
// CHECK-LABEL: func.func @mlp_apply_grads(
// CHECK: intc.sgd_overflow_count
// CHECK: %[[M1:.*]] = arith.constant -1 : i64
// CHECK: func.call @intc_overflow(%{{[^,]*}}, %{{[^,]*}}, %[[M1]], %{{[^)]*}})
// CHECK-LABEL: func.func @mlp_predict(

// OFF-NOT: intc_overflow
// OFF-NOT: sgd_overflow_count

// int16 weights saturate: no guard.
// W16-NOT: intc_overflow
// W16-NOT: sgd_overflow_count

// The count: one flat loop of |W| and |G| maxima (x ^ (x >> 63), no
// division); only a tensor with max|W| >= 2^30 - 1 or max|G| >= d * 2^30 - 1
// is counted exactly, by a flat loop with the update's own arithmetic.
// LOWERED-LABEL: func.func @mlp_train_step(
// LOWERED-SAME: %[[LR:[^:]*]]: i64, %{{[^:]*}}: i64, %[[STEP:[^:]*]]: i64,
// LOWERED: %[[W:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<3x6xi32> into tensor<18xi32>
// LOWERED: %[[G:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<3x6xi64> into tensor<18xi64>
// LOWERED: %[[MAX:.*]]:2 = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[MW:.*]] = %{{.*}}, %[[MG:.*]] = %{{.*}}) -> (i64, i64) {
// LOWERED:   arith.maxsi %[[MW]]
// LOWERED:   arith.maxsi %[[MG]]
// LOWERED: %[[BIG:.*]] = arith.cmpi sge, %[[LR]], %c8589934592_i64 : i64
// LOWERED: %[[RW:.*]] = arith.cmpi sge, %[[MAX]]#0, %c1073741823_i64 : i64
// LOWERED: %[[RG:.*]] = arith.cmpi sge, %[[MAX]]#1, %{{.*}} : i64
// LOWERED: %[[RISKY:.*]] = arith.ori %[[RW]], %[[RG]] : i1
// LOWERED: %[[N:.*]] = scf.if %[[RISKY]] -> (i64) {
// LOWERED:   %[[EXACT:.*]] = scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (i64) {
// LOWERED:     tensor.extract %[[W]][%[[J]]] : tensor<18xi32>
// LOWERED:     tensor.extract %[[G]][%[[J]]] : tensor<18xi64>
// LOWERED:     %[[LO:.*]] = arith.trunci %[[NEXT:.*]] : i64 to i32
// LOWERED:     %[[BACK:.*]] = arith.extsi %[[LO]] : i32 to i64
// LOWERED:     %[[WRAPS:.*]] = arith.cmpi ne, %[[BACK]], %[[NEXT]] : i64
// LOWERED:     %[[ONE:.*]] = arith.extui %[[WRAPS]] : i1 to i64
// LOWERED:     %[[SUM:.*]] = arith.addi %[[ACC]], %[[ONE]] : i64
// LOWERED:     scf.yield %[[SUM]] : i64
// LOWERED:   scf.yield %[[EXACT]] : i64
// LOWERED: } else {
// LOWERED:   scf.yield %c0_i64 : i64
// LOWERED: %[[NZ:.*]] = arith.cmpi ne, %[[N]], %{{.*}} : i64
// LOWERED: scf.if %[[NZ]] {
// LOWERED: func.call @intc_overflow(%{{.*}}, %{{.*}}, %[[STEP]], %[[N]])
