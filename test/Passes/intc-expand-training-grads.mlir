// RUN: intc-opt %s -intc-verify-model -intc-expand-training | FileCheck %s
// RUN: intc-opt %s -intc-verify-model -intc-expand-training=gradient-steps=false | FileCheck %s --check-prefix=NOGRADS
// RUN: intc-opt %s -intc-verify-model -intc-expand-training=weight-bits=16 | FileCheck %s --check-prefix=W16
// RUN: intc-opt %s -intc-verify-model -intc-expand-training=grads-ready-hook=true | FileCheck %s --check-prefix=HOOK

// train_step split for data-parallel training: train_grads writes every
// weight's gradient sum over its shard where train_step updates, with the
// dropout masks of the shard's samples in the global batch; apply_grads is
// train_step's update from given sums. A CNN with the double update also
// gets train_grads2 / apply_grads2 for its linear blocks' second step, fed
// by the forward values train_grads leaves in the cache.

// An MLP with dropout (8 -> [6] -> dropout -> 3): 6*8 + 3*6 + 3*6 = 84
// weights, no second step.
intc.model @mlp(%x: tensor<?x8xi8>) attributes {num_classes = 3, batch = 2} {
  %0 = intc.local_linear_block %x features 6 activation nitro_leaky_relu<4>
         {decay_inv = 2000, head_decay_inv = 500} : tensor<?x8xi8> -> tensor<?x6xi8>
  %1 = intc.dropout %0 rate 10 : tensor<?x6xi8> -> tensor<?x6xi16>
  %2 = intc.output_layer %1 {decay_inv = 500} : tensor<?x6xi16> -> tensor<?x3xi8>
  intc.yield %2 : tensor<?x3xi8>
}

// A CNN with one conv block and one linear block (double update on by
// default): conv 2x1x3x3 = 18, conv head 3x8 = 24, fc 4x32 = 128, fc head
// 3x4 = 12, output 3x4 = 12; 194 weights, the linear block's at [42, 182).
intc.model @cnn(%x: tensor<?x1x4x4xi8>) attributes {num_classes = 3, batch = 2} {
  %0 = intc.local_conv_block %x channels 2 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 8} : tensor<?x1x4x4xi8> -> tensor<?x2x4x4xi8>
  %1 = intc.flatten %0 : tensor<?x2x4x4xi8> -> tensor<?x32xi8>
  %2 = intc.local_linear_block %1 features 4 activation nitro_leaky_relu<4>
         : tensor<?x32xi8> -> tensor<?x4xi8>
  %3 = intc.output_layer %2 : tensor<?x4xi8> -> tensor<?x3xi8>
  intc.yield %3 : tensor<?x3xi8>
}

// The functions come in this order; the MLP has no second step.
// CHECK-LABEL: func.func @mlp_init(
// CHECK-LABEL: func.func @mlp_train_step(
// Whole-batch dropout in train_step: no shard operands (its masks and
// every existing bit-exactness result are unchanged).
// CHECK: intc.dropout_apply %{{[^,]*}}, %{{[^,]*}}, %{{[^ ]*}} rate 10 stream 0 : tensor<2x6xi8> -> tensor<2x6xi16>

// CHECK-LABEL: func.func @mlp_train_grads(
// CHECK-SAME: %[[STATE:[^:]*]]: memref<84xi32> {llvm.noalias}, %{{[^:]*}}: memref<2x8xi8> {llvm.noalias}, %{{[^:]*}}: memref<2xi8> {llvm.noalias},
// CHECK-SAME: %[[SEED:[^:]*]]: i64, %[[STEP:[^:]*]]: i64, %[[OFF:[^:]*]]: i64, %[[GB:[^:]*]]: i64,
// CHECK-SAME: %[[GRADS:[^:]*]]: memref<84xi64> {llvm.noalias}, %{{[^:]*}}: memref<0xi8> {llvm.noalias}, %[[LOGITS:[^:]*]]: memref<2x3xi8> {llvm.noalias})
// CHECK-SAME: intc.cache_bytes = 0 : i64
// CHECK-SAME: intc.entry = "train_grads"
// CHECK-SAME: intc.grads_count = 84 : i64, intc.grads_offset = 0 : i64
// The state is only read.
// CHECK-NOT: restrict writable %{{.*}}reinterpret
// CHECK: %[[H:.*]] = intc.activation
// The shard's samples draw the counters of the same samples in the global
// batch.
// CHECK: %[[D:.*]] = intc.dropout_apply %[[H]], %[[SEED]], %[[STEP]] shard %[[OFF]] of %[[GB]] rate 10 stream 0 : tensor<2x6xi8> -> tensor<2x6xi16>
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[LOGITS]]
// No update: each gradient sum goes to its tensor's place in grads.
// CHECK-NOT: intc.sgd_update
// CHECK: %[[GO:.*]] = intc.linear_weight_grad %{{.*}}, %[[D]] : tensor<2x3xi32>, tensor<2x6xi16> -> tensor<3x6xi64>
// CHECK: %[[VO:.*]] = memref.reinterpret_cast %[[GRADS]] to offset: [66], sizes: [3, 6], strides: [6, 1]
// CHECK: bufferization.materialize_in_destination %[[GO]] in restrict writable %[[VO]]
// CHECK: %[[GH:.*]] = intc.linear_weight_grad %{{.*}} -> tensor<3x6xi64>
// CHECK: %[[VH:.*]] = memref.reinterpret_cast %[[GRADS]] to offset: [48], sizes: [3, 6], strides: [6, 1]
// CHECK: bufferization.materialize_in_destination %[[GH]] in restrict writable %[[VH]]
// CHECK: %[[GE:.*]] = intc.linear_weight_grad %{{.*}} -> tensor<6x8xi64>
// CHECK: %[[VE:.*]] = memref.reinterpret_cast %[[GRADS]] to offset: [0], sizes: [6, 8], strides: [8, 1]
// CHECK: bufferization.materialize_in_destination %[[GE]] in restrict writable %[[VE]]
// CHECK-NOT: intc.sgd_update
// CHECK: return

// apply_grads: train_step's update of every tensor, with its own A and
// decay, from the summed gradients.
// CHECK-LABEL: func.func @mlp_apply_grads(
// CHECK-SAME: %{{[^:]*}}: memref<84xi32> {llvm.noalias}, %[[AG:[^:]*]]: memref<84xi64> {llvm.noalias}, %[[LR:[^:]*]]: i64)
// CHECK-SAME: intc.entry = "apply_grads"
// CHECK: %[[G0:.*]] = memref.reinterpret_cast %[[AG]] to offset: [0], sizes: [6, 8]
// CHECK: %[[T0:.*]] = bufferization.to_tensor %[[G0]] restrict : {{.*}} to tensor<6x8xi64>
// CHECK: %[[W0:.*]] = intc.sgd_update %{{.*}}, %[[T0]], %[[LR]] lr_amp 640 decay_inv 2000 : tensor<6x8xi32>, tensor<6x8xi64>
// CHECK: bufferization.materialize_in_destination %[[W0]] in restrict writable
// CHECK: memref.reinterpret_cast %[[AG]] to offset: [48], sizes: [3, 6]
// CHECK: intc.sgd_update %{{.*}}, %[[LR]] lr_amp 1 decay_inv 500 : tensor<3x6xi32>, tensor<3x6xi64>
// CHECK: bufferization.materialize_in_destination
// CHECK: memref.reinterpret_cast %[[AG]] to offset: [66], sizes: [3, 6]
// CHECK: intc.sgd_update %{{.*}}, %[[LR]] lr_amp 1 decay_inv 500 : tensor<3x6xi32>, tensor<3x6xi64>
// CHECK: bufferization.materialize_in_destination
// CHECK: return
// CHECK-NOT: func.func @mlp_train_grads2
// CHECK-NOT: func.func @mlp_apply_grads2
// CHECK-LABEL: func.func @mlp_predict(

// The CNN: train_grads leaves the linear block's input (2x32 int8, 64
// bytes), pre-activation and output (2x4 int8, one 64-byte slot each) in a
// 192-byte cache.
// CHECK-LABEL: func.func @cnn_train_grads(
// CHECK-SAME: %[[CGRADS:[^:]*]]: memref<194xi64> {llvm.noalias}, %[[CACHE:[^:]*]]: memref<192xi8> {llvm.noalias}
// CHECK-SAME: intc.cache_bytes = 192 : i64
// CHECK-SAME: intc.grads_count = 194 : i64, intc.grads_offset = 0 : i64
// CHECK: %[[CX:.*]] = intc.flatten
// CHECK: %[[CPRE:.*]] = intc.rescale
// CHECK: %[[COUT:.*]] = intc.activation %[[CPRE]]
// Every tensor's first step: the output layer, the linear block's head and
// encoder, the conv block's head and encoder.
// CHECK-COUNT-4: intc.linear_weight_grad
// CHECK: intc.conv2d_weight_grad
// CHECK-NOT: intc.sgd_update
// CHECK: %[[S0:.*]] = memref.view %[[CACHE]][%{{.*}}][] : memref<192xi8> to memref<2x32xi8>
// CHECK: bufferization.materialize_in_destination %[[CX]] in restrict writable %[[S0]]
// CHECK: %[[S1:.*]] = memref.view %[[CACHE]][%{{.*}}][] : memref<192xi8> to memref<2x4xi8>
// CHECK: bufferization.materialize_in_destination %[[CPRE]] in restrict writable %[[S1]]
// CHECK: %[[S2:.*]] = memref.view %[[CACHE]][%{{.*}}][] : memref<192xi8> to memref<2x4xi8>
// CHECK: bufferization.materialize_in_destination %[[COUT]] in restrict writable %[[S2]]
// CHECK: return

// CHECK-LABEL: func.func @cnn_apply_grads(
// CHECK-COUNT-5: intc.sgd_update
// CHECK: return

// train_grads2: the linear block's second local step on the (updated)
// state and the cached values; it writes the block's two tensors only.
// CHECK-LABEL: func.func @cnn_train_grads2(
// CHECK-SAME: %{{[^:]*}}: memref<194xi32> {llvm.noalias}, %[[C2:[^:]*]]: memref<192xi8> {llvm.noalias}, %{{[^:]*}}: memref<2xi8> {llvm.noalias}, %[[G2:[^:]*]]: memref<194xi64> {llvm.noalias})
// CHECK-SAME: intc.cache_bytes = 192 : i64
// CHECK-SAME: intc.entry = "train_grads2"
// CHECK-SAME: intc.grads_count = 140 : i64, intc.grads_offset = 42 : i64
// CHECK: %[[R0:.*]] = memref.view %[[C2]][%{{.*}}][] : memref<192xi8> to memref<2x32xi8>
// CHECK: %[[IN:.*]] = bufferization.to_tensor %[[R0]] restrict
// CHECK: %[[R1:.*]] = memref.view %[[C2]]
// CHECK: %[[PRE:.*]] = bufferization.to_tensor %[[R1]] restrict
// CHECK: %[[R2:.*]] = memref.view %[[C2]]
// CHECK: %[[OUT:.*]] = bufferization.to_tensor %[[R2]] restrict
// CHECK-NOT: intc.conv2d
// CHECK: intc.linear %[[OUT]]
// CHECK: intc.l2_grad
// CHECK: memref.reinterpret_cast %[[G2]] to offset: [170], sizes: [3, 4]
// CHECK: intc.activation_grad %[[PRE]]
// CHECK: intc.linear_weight_grad %{{.*}}, %[[IN]] : tensor<2x4xi32>, tensor<2x32xi8> -> tensor<4x32xi64>
// CHECK: memref.reinterpret_cast %[[G2]] to offset: [42], sizes: [4, 32]
// CHECK-NOT: intc.sgd_update
// CHECK: return

// CHECK-LABEL: func.func @cnn_apply_grads2(
// CHECK-SAME: intc.entry = "apply_grads2"
// CHECK-SAME: intc.grads_count = 140 : i64, intc.grads_offset = 42 : i64
// CHECK-COUNT-2: intc.sgd_update
// CHECK-NOT: intc.sgd_update
// CHECK: return
// CHECK-LABEL: func.func @cnn_predict(

// NOGRADS-NOT: train_grads
// NOGRADS-NOT: apply_grads

// W16-LABEL: func.func @mlp_train_grads(
// W16-SAME: memref<84xi16>
// W16-SAME: memref<84xi64>
// W16-LABEL: func.func @mlp_apply_grads(
// W16: intc.sgd_update %{{.*}} lr_amp 640 decay_inv 2000 : tensor<6x8xi16>, tensor<6x8xi64>

// With grads-ready-hook, the gradient halves report each layer's part of
// the sums as soon as it is final, the output layer first, then the blocks
// from the last; the other entry points do not call the hook.
// HOOK-LABEL: func.func private @intc_grads_ready(i64, i64)
// HOOK-LABEL: func.func @mlp_train_step(
// HOOK-NOT: call @intc_grads_ready
// HOOK-LABEL: func.func @mlp_train_grads(
// HOOK: %[[O66:.*]] = arith.constant 66 : i64
// HOOK: %[[N18:.*]] = arith.constant 18 : i64
// HOOK: call @intc_grads_ready(%[[O66]], %[[N18]]) : (i64, i64) -> ()
// HOOK: %[[O0:.*]] = arith.constant 0 : i64
// HOOK: %[[N66:.*]] = arith.constant 66 : i64
// HOOK: call @intc_grads_ready(%[[O0]], %[[N66]])
// HOOK-NEXT: return
// HOOK-LABEL: func.func @mlp_apply_grads(
// HOOK-NOT: call @intc_grads_ready
// HOOK-LABEL: func.func @cnn_train_grads(
// HOOK: %[[O182:.*]] = arith.constant 182 : i64
// HOOK: %[[N12:.*]] = arith.constant 12 : i64
// HOOK: call @intc_grads_ready(%[[O182]], %[[N12]])
// HOOK: %[[O42:.*]] = arith.constant 42 : i64
// HOOK: %[[N140:.*]] = arith.constant 140 : i64
// HOOK: call @intc_grads_ready(%[[O42]], %[[N140]])
// HOOK: %[[C0:.*]] = arith.constant 0 : i64
// HOOK: %[[C42:.*]] = arith.constant 42 : i64
// HOOK: call @intc_grads_ready(%[[C0]], %[[C42]])
// HOOK-LABEL: func.func @cnn_train_grads2(
// HOOK: %[[S42:.*]] = arith.constant 42 : i64
// HOOK: %[[S140:.*]] = arith.constant 140 : i64
// HOOK: call @intc_grads_ready(%[[S42]], %[[S140]])
// HOOK-NEXT: return
// HOOK-LABEL: func.func @cnn_predict(
// HOOK-NOT: call @intc_grads_ready
