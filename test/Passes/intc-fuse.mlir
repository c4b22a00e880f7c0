// RUN: intc-opt %s -split-input-file -intc-lower-to-linalg -intc-fuse=scratch-bytes=4096 | FileCheck %s
// RUN: intc-opt %s -split-input-file -intc-lower-to-linalg -intc-fuse="scratch-bytes=4096 weight-updates=1" | FileCheck %s --check-prefix=WU

// Epilogue: NITRO-Scaling is tiled over batch rows and the linear reduction
// (with its zero init) is computed inside the loop, one 4x100 tile of int64
// accumulators (3200 B <= 4096 B) at a time; the activation, the scaling's
// only user, is fused into the scaling.
// CHECK-LABEL: func.func @epilogue
// CHECK: scf.for %[[I:.*]] = %c0 to %c64 step %c4 iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<64x100xi8>)
// CHECK:   %[[X:.*]] = tensor.extract_slice %arg0[%[[I]], 0] [4, 784] [1, 1]
// CHECK:   %[[E:.*]] = tensor.empty() : tensor<4x100xi64>
// CHECK:   %[[Z0:.*]] = linalg.fill ins(%c0_i64 : i64) outs(%[[E]] : tensor<4x100xi64>)
// CHECK:   %[[Z:.*]] = linalg.generic {{.*}} ins(%[[X]], %arg1 : tensor<4x784xi8>, tensor<100x784xi32>) outs(%[[Z0]] : tensor<4x100xi64>) attrs = {intc.kernel = "linear"}
// CHECK:   %[[H:.*]] = linalg.generic {{.*}} ins(%[[Z]] : tensor<4x100xi64>)
// CHECK:     arith.divsi
// CHECK:     arith.subi %{{.*}}, %c36_i32
// CHECK:   tensor.insert_slice %[[H]] into %[[ACC]][%[[I]], 0] [4, 100] [1, 1]
// CHECK-NOT: tensor<64x100xi64>
func.func @epilogue(%x: tensor<64x784xi8>, %w: tensor<100x784xi32>) -> tensor<64x100xi8> {
  %z = intc.linear %x, %w : tensor<64x784xi8>, tensor<100x784xi32> -> tensor<64x100xi64>
  %s = intc.rescale %z factor 200704 : tensor<64x100xi64> -> tensor<64x100xi8>
  %h = intc.activation %s nitro_leaky_relu<4> : tensor<64x100xi8>
  return %h : tensor<64x100xi8>
}

// -----

// A scaling output that the backward also reads stays materialised; only
// the reduction moves into its loop.
// CHECK-LABEL: func.func @shared_pre
// CHECK: %[[PRE:.*]] = scf.for
// CHECK: linalg.generic {{.*}} ins(%[[PRE]] : tensor<64x100xi8>)
func.func @shared_pre(%x: tensor<64x784xi8>, %w: tensor<100x784xi32>) -> (tensor<64x100xi8>, tensor<64x100xi8>) {
  %z = intc.linear %x, %w : tensor<64x784xi8>, tensor<100x784xi32> -> tensor<64x100xi64>
  %s = intc.rescale %z factor 200704 : tensor<64x100xi64> -> tensor<64x100xi8>
  %h = intc.activation %s nitro_leaky_relu<4> : tensor<64x100xi8>
  return %s, %h : tensor<64x100xi8>, tensor<64x100xi8>
}

// -----

// Weight updates: without the option the full gradient is computed first;
// with it, the update is tiled over weight rows (one row of int64 gradient
// is 784 * 8 = 6272 B > 4096 B, so tiles of one row) and the gradient
// exists one row at a time.
// CHECK-LABEL: func.func @update
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<100x784xi64>) attrs = {intc.kernel = "linear_wgrad"}
// CHECK-NOT: scf.for
// WU-LABEL: func.func @update
// WU: scf.for %[[O:.*]] = %c0 to %c100 step %c1 iter_args(%[[W:.*]] = %arg2) -> (tensor<100x784xi32>)
// WU:   %[[D:.*]] = tensor.extract_slice %arg0[0, %[[O]]] [64, 1] [1, 1]
// WU:   %[[G:.*]] = linalg.generic {{.*}} ins(%[[D]], %arg1 : tensor<64x1xi32>, tensor<64x784xi8>) outs(%{{.*}} : tensor<1x784xi64>) attrs = {intc.kernel = "linear_wgrad"}
// WU:   linalg.generic {{.*}} ins(%[[G]], %{{.*}} : tensor<1x784xi64>, i64)
// WU-NOT: tensor<100x784xi64>
func.func @update(%d: tensor<64x100xi32>, %x: tensor<64x784xi8>, %w: tensor<100x784xi32>, %lr: i64) -> tensor<100x784xi32> {
  %g = intc.linear_weight_grad %d, %x : tensor<64x100xi32>, tensor<64x784xi8> -> tensor<100x784xi64>
  %n = intc.sgd_update %w, %g, %lr lr_amp 640 decay_inv 12000 : tensor<100x784xi32>, tensor<100x784xi64>
  return %n : tensor<100x784xi32>
}
