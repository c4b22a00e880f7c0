// RUN: intc-opt %s -split-input-file -intc-lower-to-linalg -verify-diagnostics
// The model that intc-expand-training keeps by default stays a model: its
// intc.flatten is a model-level layer, not lowered (the README's debugging
// pipeline, on every example).
// RUN: intc-opt %examples/mlp1_mnist.mlir -intc-verify-model -intc-expand-training -intc-lower-to-linalg | FileCheck %s --check-prefix=KEPT
// RUN: intc-opt %examples/vgg8b_cifar10.mlir -intc-verify-model -intc-expand-training -intc-lower-to-linalg | FileCheck %s --check-prefix=KEPT
// KEPT: intc.model
// KEPT: intc.flatten
// KEPT: func.func
// KEPT-NOT: intc.flatten

// The lowering builds static loops: a dynamic batch is reported at the op
// (intc-expand-training gives every step op static shapes).
func.func @dynamic(%z: tensor<?x10xi64>) -> tensor<?x10xi8> {
  // expected-error @+1 {{'intc.rescale' op has type 'tensor<?x10xi64>'; intc-lower-to-linalg needs static shapes of rank >= 1 (intc-expand-training fixes the batch)}}
  %h = intc.rescale %z factor 2560 : tensor<?x10xi64> -> tensor<?x10xi8>
  return %h : tensor<?x10xi8>
}

// -----

func.func @rank0(%seed: i64) -> tensor<i32> {
  // expected-error @+1 {{'intc.init_uniform' op has type 'tensor<i32>'; intc-lower-to-linalg needs static shapes}}
  %w = intc.init_uniform %seed bound 10 tensor_index 0 : tensor<i32>
  return %w : tensor<i32>
}
