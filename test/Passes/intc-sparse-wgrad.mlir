// RUN: intc-opt %s -split-input-file -intc-sparse-wgrad | FileCheck %s

// The routed delta of a conv block: gather the pre-activation at the
// argmax positions, apply the activation backward on the grid, and sum the
// weight gradient over the grid only.
// CHECK-LABEL: func.func @conv_block
// CHECK-SAME: (%[[D:.*]]: tensor<2x4x2x2xi32>, %[[IDX:.*]]: tensor<2x4x2x2xi32>, %[[PRE:.*]]: tensor<2x4x8x8xi8>, %[[X:.*]]: tensor<2x3x8x8xi8>)
// CHECK: %[[P:.*]] = intc.max_pool_gather %[[PRE]], %[[IDX]] : tensor<2x4x8x8xi8>, tensor<2x4x2x2xi32> -> tensor<2x4x2x2xi8>
// CHECK: %[[A:.*]] = intc.activation_grad %[[P]], %[[D]] nitro_leaky_relu<4> : tensor<2x4x2x2xi8>, tensor<2x4x2x2xi32>
// CHECK: %[[G:.*]] = intc.conv2d_weight_grad_sparse %[[A]], %[[IDX]], %[[X]] padding 1 out_size [8, 8]
// CHECK-SAME: -> tensor<4x3x3x3xi64>
// CHECK-NOT: intc.max_pool_grad
// CHECK-NOT: intc.conv2d_weight_grad %
// CHECK: return %[[G]]
func.func @conv_block(%d: tensor<2x4x2x2xi32>, %idx: tensor<2x4x2x2xi32>,
                      %pre: tensor<2x4x8x8xi8>, %x: tensor<2x3x8x8xi8>) -> tensor<4x3x3x3xi64> {
  %full = intc.max_pool_grad %d, %idx kernel [4, 4] padding [0, 0]
            : tensor<2x4x2x2xi32>, tensor<2x4x2x2xi32> -> tensor<2x4x8x8xi32>
  %act = intc.activation_grad %pre, %full nitro_leaky_relu<4> : tensor<2x4x8x8xi8>, tensor<2x4x8x8xi32>
  %g = intc.conv2d_weight_grad %act, %x padding 1 : tensor<2x4x8x8xi32>, tensor<2x3x8x8xi8> -> tensor<4x3x3x3xi64>
  return %g : tensor<4x3x3x3xi64>
}

// -----

// Bipolar activations depend on the position, so they stay dense.
// CHECK-LABEL: func.func @bipolar
// CHECK: intc.max_pool_grad
// CHECK: intc.conv2d_weight_grad %
// CHECK-NOT: sparse
func.func @bipolar(%d: tensor<2x4x2x2xi32>, %idx: tensor<2x4x2x2xi32>,
                   %pre: tensor<2x4x8x8xi8>, %x: tensor<2x3x8x8xi8>) -> tensor<4x3x3x3xi64> {
  %full = intc.max_pool_grad %d, %idx kernel [4, 4] padding [0, 0]
            : tensor<2x4x2x2xi32>, tensor<2x4x2x2xi32> -> tensor<2x4x8x8xi32>
  %act = intc.activation_grad %pre, %full bipolar_leaky_relu<4> : tensor<2x4x8x8xi8>, tensor<2x4x8x8xi32>
  %g = intc.conv2d_weight_grad %act, %x padding 1 : tensor<2x4x8x8xi32>, tensor<2x3x8x8xi8> -> tensor<4x3x3x3xi64>
  return %g : tensor<4x3x3x3xi64>
}

// -----

// A routed delta used elsewhere too is left alone.
// CHECK-LABEL: func.func @shared
// CHECK: intc.conv2d_weight_grad %
func.func @shared(%d: tensor<2x4x2x2xi32>, %idx: tensor<2x4x2x2xi32>,
                  %pre: tensor<2x4x8x8xi8>, %x: tensor<2x3x8x8xi8>) -> (tensor<4x3x3x3xi64>, tensor<2x4x8x8xi32>) {
  %full = intc.max_pool_grad %d, %idx kernel [4, 4] padding [0, 0]
            : tensor<2x4x2x2xi32>, tensor<2x4x2x2xi32> -> tensor<2x4x8x8xi32>
  %act = intc.activation_grad %pre, %full nitro_leaky_relu<4> : tensor<2x4x8x8xi8>, tensor<2x4x8x8xi32>
  %g = intc.conv2d_weight_grad %act, %x padding 1 : tensor<2x4x8x8xi32>, tensor<2x3x8x8xi8> -> tensor<4x3x3x3xi64>
  return %g, %act : tensor<4x3x3x3xi64>, tensor<2x4x8x8xi32>
}
