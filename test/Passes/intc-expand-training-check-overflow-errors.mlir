// RUN: intc-opt %s -intc-verify-model -intc-expand-training=check-overflow=true -verify-diagnostics -split-input-file
// RUN: intc-opt %s -intc-verify-model -intc-expand-training -split-input-file | FileCheck %s --check-prefix=UNCHECKED

// check-overflow proves every int64 accumulation from its operand types and
// its number of terms K: K * max|a| * max|b| <= 2^62. An output layer on
// dropout's int16 output with 65540 inputs needs 65540 * 2^15 * 2^31 > 2^62
// (int32 weights may hold up to 2^31): a located compile-time error, since
// no run-time guard covers it.
intc.model @wide(%x: tensor<?x8xi8>) attributes {num_classes = 3, batch = 2} {
  %0 = intc.local_linear_block %x features 65540 activation pocket_tanh
         : tensor<?x8xi8> -> tensor<?x65540xi8>
  %1 = intc.dropout %0 rate 10 : tensor<?x65540xi8> -> tensor<?x65540xi16>
  // expected-error @+1 {{check-overflow: cannot prove that the int64 accumulation of the forward of 'output' fits: 65540 terms of |a| <= 2^15 and |b| <= 2^31 exceed 2^62; shrink the layer or the batch}}
  %2 = intc.output_layer %1 : tensor<?x65540xi16> -> tensor<?x3xi8>
  intc.yield %2 : tensor<?x3xi8>
}

// Without check-overflow the same model expands (nothing is proven).
// UNCHECKED: func.func @wide_train_step(

// -----

// 65536 int16 inputs are exactly 2^62: proven.
intc.model @edge(%x: tensor<?x8xi8>) attributes {num_classes = 3, batch = 2} {
  %0 = intc.local_linear_block %x features 65536 activation pocket_tanh
         : tensor<?x8xi8> -> tensor<?x65536xi8>
  %1 = intc.dropout %0 rate 10 : tensor<?x65536xi8> -> tensor<?x65536xi16>
  %2 = intc.output_layer %1 : tensor<?x65536xi16> -> tensor<?x3xi8>
  intc.yield %2 : tensor<?x3xi8>
}
