// RUN: intc-opt %s -split-input-file -verify-diagnostics
//
// Invalid step-level ops: every diagnostic of dialect/IntcStepOps.cpp.

//===----------------------------------------------------------------------===//
// linear, conv2d, rescale, activation_grad
//===----------------------------------------------------------------------===//

func.func @f(%x: tensor<64x784xi8>, %w: tensor<100x785xi32>) {
  // expected-error @+1 {{'intc.linear' op input has 784 features but the weight (out x in = 100x785) expects 785}}
  %0 = intc.linear %x, %w : tensor<64x784xi8>, tensor<100x785xi32> -> tensor<64x100xi64>
  return
}

// -----

func.func @f(%x: tensor<64x784xi8>, %w: tensor<100x784xi32>) {
  // expected-error @+1 {{'intc.linear' op result has shape 64x10, expected 64x100}}
  %0 = intc.linear %x, %w : tensor<64x784xi8>, tensor<100x784xi32> -> tensor<64x10xi64>
  return
}

// -----

// ODS: no float arithmetic.
func.func @f(%x: tensor<64x784xf32>, %w: tensor<100x784xi32>) {
  // expected-error @+1 {{'intc.linear' op operand #0 must be 2D tensor of 8-bit signless integer or 16-bit signless integer values, but got 'tensor<64x784xf32>'}}
  %0 = intc.linear %x, %w : tensor<64x784xf32>, tensor<100x784xi32> -> tensor<64x100xi64>
  return
}

// -----

func.func @f(%x: tensor<64x3x32x32xi8>, %w: tensor<128x3x3x5xi32>) {
  // expected-error @+1 {{'intc.conv2d' op kernel must be square, got 3x5}}
  %0 = intc.conv2d %x, %w padding 1 : tensor<64x3x32x32xi8>, tensor<128x3x3x5xi32> -> tensor<64x128x32x32xi64>
  return
}

// -----

func.func @f(%x: tensor<64x3x32x32xi8>, %w: tensor<128x4x3x3xi32>) {
  // expected-error @+1 {{'intc.conv2d' op input has 3 channels but the weight (F x C x k x k = 128x4x3x3) expects 4}}
  %0 = intc.conv2d %x, %w padding 1 : tensor<64x3x32x32xi8>, tensor<128x4x3x3xi32> -> tensor<64x128x32x32xi64>
  return
}

// -----

func.func @f(%x: tensor<64x3x2x2xi8>, %w: tensor<8x3x5x5xi32>) {
  // expected-error @+1 {{'intc.conv2d' op a 5x5 kernel with padding 1 does not fit the 2x2 input}}
  %0 = intc.conv2d %x, %w padding 1 : tensor<64x3x2x2xi8>, tensor<8x3x5x5xi32> -> tensor<64x8x1x1xi64>
  return
}

// -----

func.func @f(%x: tensor<64x3x32x32xi8>, %w: tensor<128x3x3x3xi32>) {
  // expected-error @+1 {{'intc.conv2d' op result has shape 64x128x32x32, expected 64x128x30x30}}
  %0 = intc.conv2d %x, %w padding 0 : tensor<64x3x32x32xi8>, tensor<128x3x3x3xi32> -> tensor<64x128x32x32xi64>
  return
}

// -----

func.func @f(%x: tensor<64x3x32x32xi8>, %w: tensor<128x3x3x3xi32>) {
  // expected-error @+1 {{'intc.conv2d' op attribute 'padding' failed to satisfy constraint: 64-bit integer attribute whose value is non-negative}}
  %0 = intc.conv2d %x, %w padding -1 : tensor<64x3x32x32xi8>, tensor<128x3x3x3xi32> -> tensor<64x128x34x34xi64>
  return
}

// -----

func.func @f(%z: tensor<64x100xi64>) {
  // expected-error @+1 {{'intc.rescale' op result has shape 64x10, expected 64x100}}
  %0 = intc.rescale %z factor 200704 : tensor<64x100xi64> -> tensor<64x10xi8>
  return
}

// -----

func.func @f(%z: tensor<64x100xi64>) {
  // expected-error @+1 {{'intc.rescale' op attribute 'factor' failed to satisfy constraint: 64-bit integer attribute whose value is positive}}
  %0 = intc.rescale %z factor 0 : tensor<64x100xi64> -> tensor<64x100xi8>
  return
}

// -----

func.func @f(%x: tensor<64x100xi8>, %d: tensor<64x10xi32>) {
  // expected-error @+1 {{'intc.activation_grad' op delta has shape 64x10, expected 64x100}}
  %0 = intc.activation_grad %x, %d nitro_leaky_relu<4> : tensor<64x100xi8>, tensor<64x10xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// max_pool, max_pool_grad
//===----------------------------------------------------------------------===//

func.func @f(%h: tensor<64x128x32x32xi8>) {
  // expected-error @+1 {{'intc.max_pool' op kernel and padding need two entries [h, w]}}
  %v, %i = intc.max_pool %h kernel [8] padding [0, 0] pad_value 0
             : tensor<64x128x32x32xi8> -> tensor<64x128x4x32xi8>, tensor<64x128x4x32xi32>
  return
}

// -----

func.func @f(%h: tensor<64x128x32x32xi8>) {
  // expected-error @+1 {{'intc.max_pool' op kernel entries must be positive}}
  %v, %i = intc.max_pool %h kernel [8, 0] padding [0, 0] pad_value 0
             : tensor<64x128x32x32xi8> -> tensor<64x128x4x32xi8>, tensor<64x128x4x32xi32>
  return
}

// -----

func.func @f(%h: tensor<64x128x32x32xi8>) {
  // expected-error @+1 {{'intc.max_pool' op padding entries must be non-negative}}
  %v, %i = intc.max_pool %h kernel [8, 4] padding [0, -1] pad_value 0
             : tensor<64x128x32x32xi8> -> tensor<64x128x4x8xi8>, tensor<64x128x4x8xi32>
  return
}

// -----

// The learning-head pool pads at most half its kernel (§3.2).
func.func @f(%h: tensor<64x128x28x28xi8>) {
  // expected-error @+1 {{'intc.max_pool' op padding [5, 0] exceeds half the kernel [8, 4]}}
  %v, %i = intc.max_pool %h kernel [8, 4] padding [5, 0] pad_value 0
             : tensor<64x128x28x28xi8> -> tensor<64x128x4x7xi8>, tensor<64x128x4x7xi32>
  return
}

// -----

func.func @f(%h: tensor<64x512x3x3xi8>) {
  // expected-error @+1 {{'intc.max_pool' op a 8x4 pool does not fit the 3x3 input with padding [0, 0]}}
  %v, %i = intc.max_pool %h kernel [8, 4] padding [0, 0] pad_value 0
             : tensor<64x512x3x3xi8> -> tensor<64x512x1x1xi8>, tensor<64x512x1x1xi32>
  return
}

// -----

// 28x28 with kernel [8, 4] and padding [4, 0] gives a 4x7 grid (§6.3).
func.func @f(%h: tensor<64x128x28x28xi8>) {
  // expected-error @+1 {{'intc.max_pool' op result has shape 64x128x3x7, expected 64x128x4x7}}
  %v, %i = intc.max_pool %h kernel [8, 4] padding [4, 0] pad_value 0
             : tensor<64x128x28x28xi8> -> tensor<64x128x3x7xi8>, tensor<64x128x4x7xi32>
  return
}

// -----

func.func @f(%h: tensor<64x128x32x32xi8>) {
  // expected-error @+1 {{'intc.max_pool' op indices has shape 64x128x8x4, expected 64x128x4x8}}
  %v, %i = intc.max_pool %h kernel [8, 4] padding [0, 0] pad_value 0
             : tensor<64x128x32x32xi8> -> tensor<64x128x4x8xi8>, tensor<64x128x8x4xi32>
  return
}

// -----

func.func @f(%h: tensor<64x128x32x32xi8>) {
  // expected-error @+1 {{'intc.max_pool' op result element type must equal the input's}}
  %v, %i = intc.max_pool %h kernel [8, 4] padding [0, 0] pad_value 0
             : tensor<64x128x32x32xi8> -> tensor<64x128x4x8xi16>, tensor<64x128x4x8xi32>
  return
}

// -----

// INT32_MIN does not fit an int8 pool; the reference's wrapped value is 0 (§11 Q5).
func.func @f(%h: tensor<64x128x28x28xi8>) {
  // expected-error @+1 {{'intc.max_pool' op pad_value -2147483648 does not fit i8}}
  %v, %i = intc.max_pool %h kernel [8, 4] padding [4, 0] pad_value -2147483648
             : tensor<64x128x28x28xi8> -> tensor<64x128x4x7xi8>, tensor<64x128x4x7xi32>
  return
}

// -----

func.func @f(%d: tensor<64x128x4x8xi32>, %i: tensor<64x128x8x4xi32>) {
  // expected-error @+1 {{'intc.max_pool_grad' op indices has shape 64x128x8x4, expected 64x128x4x8}}
  %0 = intc.max_pool_grad %d, %i kernel [8, 4] padding [0, 0]
         : tensor<64x128x4x8xi32>, tensor<64x128x8x4xi32> -> tensor<64x128x32x32xi32>
  return
}

// -----

func.func @f(%d: tensor<64x128x4x8xi32>, %i: tensor<64x128x4x8xi32>) {
  // expected-error @+1 {{'intc.max_pool_grad' op needs a positive kernel [h, w] and a padding [h, w] of at most half the kernel}}
  %0 = intc.max_pool_grad %d, %i kernel [8, 4] padding [5, 0]
         : tensor<64x128x4x8xi32>, tensor<64x128x4x8xi32> -> tensor<64x128x32x32xi32>
  return
}

// -----

func.func @f(%d: tensor<64x128x4x8xi32>, %i: tensor<64x128x4x8xi32>) {
  // expected-error @+1 {{'intc.max_pool_grad' op needs a positive kernel [h, w] and a padding [h, w] of at most half the kernel}}
  %0 = intc.max_pool_grad %d, %i kernel [8] padding [0, 0]
         : tensor<64x128x4x8xi32>, tensor<64x128x4x8xi32> -> tensor<64x128x32x32xi32>
  return
}

// -----

// The result must pool back to delta's grid: 128 channels, not 256.
func.func @f(%d: tensor<64x128x4x8xi32>, %i: tensor<64x128x4x8xi32>) {
  // expected-error @+1 {{'intc.max_pool_grad' op delta has shape 64x128x4x8, expected 64x256x4x8}}
  %0 = intc.max_pool_grad %d, %i kernel [8, 4] padding [0, 0]
         : tensor<64x128x4x8xi32>, tensor<64x128x4x8xi32> -> tensor<64x256x32x32xi32>
  return
}

// -----

// 28x28 with kernel [8, 4] pools to 4x7 only with padding [4, 0] (§6.3).
func.func @f(%d: tensor<64x128x4x7xi32>, %i: tensor<64x128x4x7xi32>) {
  // expected-error @+1 {{'intc.max_pool_grad' op delta has shape 64x128x4x7, expected 64x128x3x7}}
  %0 = intc.max_pool_grad %d, %i kernel [8, 4] padding [0, 0]
         : tensor<64x128x4x7xi32>, tensor<64x128x4x7xi32> -> tensor<64x128x28x28xi32>
  return
}

// -----

func.func @f(%d: tensor<64x128x4x8xi32>, %i: tensor<64x128x4x8xi32>) {
  // expected-error @+1 {{'intc.max_pool_grad' op result element type must equal delta's}}
  %0 = intc.max_pool_grad %d, %i kernel [8, 4] padding [0, 0]
         : tensor<64x128x4x8xi32>, tensor<64x128x4x8xi32> -> tensor<64x128x32x32xi64>
  return
}

// -----

//===----------------------------------------------------------------------===//
// dropout_apply, one_hot, l2_grad
//===----------------------------------------------------------------------===//

func.func @f(%x: tensor<64x3000xi8>, %seed: i64, %step: i64) {
  // expected-error @+1 {{'intc.dropout_apply' op dropout rate 33% is not in the rescale table: expected a multiple of 5 from 5 to 95}}
  %0 = intc.dropout_apply %x, %seed, %step rate 33 stream 0 : tensor<64x3000xi8> -> tensor<64x3000xi16>
  return
}

// -----

func.func @f(%x: tensor<64x3000xi8>, %seed: i64, %step: i64) {
  // expected-error @+1 {{'intc.dropout_apply' op stream must be non-negative}}
  %0 = intc.dropout_apply %x, %seed, %step rate 10 stream -1 : tensor<64x3000xi8> -> tensor<64x3000xi16>
  return
}

// -----

func.func @f(%x: tensor<64x3000xi8>) {
  // expected-error @+1 {{'intc.widen' op result has shape 64x300, expected 64x3000}}
  %0 = intc.widen %x : tensor<64x3000xi8> -> tensor<64x300xi16>
  return
}

// -----

// The generic form can give a sample offset without the global batch.
func.func @f(%x: tensor<64x3000xi8>, %seed: i64, %step: i64) {
  // expected-error @+1 {{'intc.dropout_apply' op takes a shard's sample offset and the global batch together}}
  %0 = "intc.dropout_apply"(%x, %seed, %step, %step) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 0>, rate = 10 : i64, stream = 0 : i64}> : (tensor<64x3000xi8>, i64, i64, i64) -> tensor<64x3000xi16>
  return
}

// -----

func.func @f(%x: tensor<64x3000xi8>, %seed: i64, %step: i64) {
  // expected-error @+1 {{'intc.dropout_apply' op result has shape 64x300, expected 64x3000}}
  %0 = intc.dropout_apply %x, %seed, %step rate 10 stream 0 : tensor<64x3000xi8> -> tensor<64x300xi16>
  return
}

// -----

func.func @f(%l: tensor<64xi8>) {
  // expected-error @+1 {{'intc.one_hot' op value 200 does not fit i8}}
  %0 = intc.one_hot %l value 200 : tensor<64xi8> -> tensor<64x10xi8>
  return
}

// -----

func.func @f(%l: tensor<64xi8>) {
  // expected-error @+1 {{'intc.one_hot' op result has 32 rows for 64 labels}}
  %0 = intc.one_hot %l value 32 : tensor<64xi8> -> tensor<32x10xi8>
  return
}

// -----

func.func @f(%l: tensor<64xi8>) {
  // expected-error @+1 {{'intc.one_hot' op needs at least 2 classes, got 1}}
  %0 = intc.one_hot %l value 32 : tensor<64xi8> -> tensor<64x1xi8>
  return
}

// -----

func.func @f(%p: tensor<64x10xi8>, %y: tensor<64x9xi8>) {
  // expected-error @+1 {{'intc.l2_grad' op target has shape 64x9, expected 64x10}}
  %0 = intc.l2_grad %p, %y wrap8 : tensor<64x10xi8>, tensor<64x9xi8> -> tensor<64x10xi32>
  return
}

// -----

func.func @f(%p: tensor<64x10xi8>, %y: tensor<64x10xi8>) {
  // expected-error @+1 {{'intc.l2_grad' op result has shape 32x10, expected 64x10}}
  %0 = intc.l2_grad %p, %y : tensor<64x10xi8>, tensor<64x10xi8> -> tensor<32x10xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Gradients, update, init
//===----------------------------------------------------------------------===//

func.func @f(%d: tensor<64x100xi32>, %x: tensor<32x784xi8>) {
  // expected-error @+1 {{'intc.linear_weight_grad' op delta batch 64 differs from input batch 32}}
  %0 = intc.linear_weight_grad %d, %x : tensor<64x100xi32>, tensor<32x784xi8> -> tensor<100x784xi64>
  return
}

// -----

func.func @f(%d: tensor<64x100xi32>, %x: tensor<64x784xi8>) {
  // expected-error @+1 {{'intc.linear_weight_grad' op result has shape 784x100, expected 100x784}}
  %0 = intc.linear_weight_grad %d, %x : tensor<64x100xi32>, tensor<64x784xi8> -> tensor<784x100xi64>
  return
}

// -----

func.func @f(%e: tensor<64x10xi32>, %w: tensor<5x100xi32>) {
  // expected-error @+1 {{'intc.linear_input_grad' op delta has 10 outputs but the weight (out x in = 5x100) has 5}}
  %0 = intc.linear_input_grad %e, %w : tensor<64x10xi32>, tensor<5x100xi32> -> tensor<64x100xi32>
  return
}

// -----

func.func @f(%e: tensor<64x10xi32>, %w: tensor<10x100xi32>) {
  // expected-error @+1 {{'intc.linear_input_grad' op result has shape 64x10, expected 64x100}}
  %0 = intc.linear_input_grad %e, %w : tensor<64x10xi32>, tensor<10x100xi32> -> tensor<64x10xi32>
  return
}

// -----

func.func @f(%d: tensor<64x128x32x32xi32>, %x: tensor<32x3x32x32xi8>) {
  // expected-error @+1 {{'intc.conv2d_weight_grad' op delta batch 64 differs from input batch 32}}
  %0 = intc.conv2d_weight_grad %d, %x padding 1 : tensor<64x128x32x32xi32>, tensor<32x3x32x32xi8> -> tensor<128x3x3x3xi64>
  return
}

// -----

func.func @f(%d: tensor<64x128x32x32xi32>, %x: tensor<64x3x32x32xi8>) {
  // expected-error @+1 {{'intc.conv2d_weight_grad' op kernel must be square, got 3x1}}
  %0 = intc.conv2d_weight_grad %d, %x padding 1 : tensor<64x128x32x32xi32>, tensor<64x3x32x32xi8> -> tensor<128x3x3x1xi64>
  return
}

// -----

// A 3x3 kernel without padding gives a 30x30 output, so delta must be 30x30.
func.func @f(%d: tensor<64x128x32x32xi32>, %x: tensor<64x3x32x32xi8>) {
  // expected-error @+1 {{'intc.conv2d_weight_grad' op delta has shape 64x128x32x32, expected 64x128x30x30}}
  %0 = intc.conv2d_weight_grad %d, %x padding 0 : tensor<64x128x32x32xi32>, tensor<64x3x32x32xi8> -> tensor<128x3x3x3xi64>
  return
}

// -----

func.func @f(%d: tensor<64x128x32x32xi32>, %x: tensor<64x3x32x32xi8>) {
  // expected-error @+1 {{'intc.conv2d_weight_grad' op result has shape 128x4x3x3, expected 128x3x3x3}}
  %0 = intc.conv2d_weight_grad %d, %x padding 1 : tensor<64x128x32x32xi32>, tensor<64x3x32x32xi8> -> tensor<128x4x3x3xi64>
  return
}

// -----

func.func @f(%w: tensor<100x784xi32>, %g: tensor<100x785xi64>, %lr: i64) {
  // expected-error @+1 {{'intc.sgd_update' op gradient has shape 100x785, expected 100x784}}
  %0 = intc.sgd_update %w, %g, %lr lr_amp 640 decay_inv 0 : tensor<100x784xi32>, tensor<100x785xi64>
  return
}

// -----

func.func @f(%w: tensor<100x784xi32>, %g: tensor<100x784xi64>, %lr: i64) {
  // expected-error @+1 {{'intc.sgd_update' op attribute 'lr_amp' failed to satisfy constraint: 64-bit integer attribute whose value is positive}}
  %0 = intc.sgd_update %w, %g, %lr lr_amp 0 decay_inv 0 : tensor<100x784xi32>, tensor<100x784xi64>
  return
}

// -----

func.func @f(%w: tensor<100x784xi32>, %g: tensor<100x785xi64>, %lr: i64) {
  // expected-error @+1 {{'intc.sgd_overflow_count' op gradient has shape 100x785, expected 100x784}}
  %0 = intc.sgd_overflow_count %w, %g, %lr lr_amp 640 decay_inv 0 : tensor<100x784xi32>, tensor<100x785xi64>
  return
}

// -----

// int16 weights saturate: there is nothing to count.
func.func @f(%w: tensor<100x784xi16>, %g: tensor<100x784xi64>, %lr: i64) {
  // expected-error @+1 {{'intc.sgd_overflow_count' op operand #0 must be ranked tensor of 32-bit signless integer values}}
  %0 = intc.sgd_overflow_count %w, %g, %lr lr_amp 640 decay_inv 0 : tensor<100x784xi16>, tensor<100x784xi64>
  return
}

// -----

func.func @f(%seed: i64) {
  // expected-error @+1 {{'intc.init_uniform' op needs a static shape}}
  %0 = intc.init_uniform %seed bound 10 tensor_index 0 : tensor<?x784xi32>
  return
}

// -----

func.func @f(%seed: i64) {
  // expected-error @+1 {{'intc.init_uniform' op bound 2147483647 is too large}}
  %0 = intc.init_uniform %seed bound 2147483647 tensor_index 0 : tensor<100x784xi32>
  return
}

// -----

// Step ops take ranked tensors.
func.func @unranked(%z: tensor<*xi64>) {
  // expected-error @+1 {{invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xi64>'}}
  %h = intc.rescale %z factor 2 : tensor<*xi64> -> tensor<*xi8>
  return
}
