// RUN: intc-opt %s -intc-verify-model -intc-expand-training | FileCheck %s
// RUN: intc-opt %s -intc-verify-model -intc-expand-training=batch=8 | FileCheck %s --check-prefix=BATCH
// RUN: intc-opt %s -intc-verify-model -intc-expand-training=keep-model=false | FileCheck %s --check-prefix=NOMODEL
// RUN: intc-opt %s -intc-verify-model -intc-expand-training=weight-bits=16 | FileCheck %s --check-prefix=W16
// RUN: not intc-opt %s -intc-verify-model -intc-expand-training=weight-bits=8 2>&1 | FileCheck %s --check-prefix=W8
// RUN: intc-opt %s -intc-verify-model -intc-expand-training=predict-heads=false | FileCheck %s --check-prefix=NOHEADS

// A two-block MLP (8 -> [6] -> [4] -> 3): the expansion writes init,
// train_step, predict and predict_heads over one flat state of 6*8 + 3*6 +
// 4*6 + 3*4 + 3*4 = 114 weights, and no error signal crosses a block. A
// one-block CNN (after it) shows a conv head in predict_heads.

intc.model @mlp(%x: tensor<?x8xi8>) attributes {num_classes = 3, batch = 2} {
  %0 = intc.local_linear_block %x features 6 activation nitro_leaky_relu<4>
         {decay_inv = 2000, head_decay_inv = 500} : tensor<?x8xi8> -> tensor<?x6xi8>
  %1 = intc.local_linear_block %0 features 4 activation nitro_leaky_relu<4>
         {decay_inv = 2000, head_decay_inv = 500} : tensor<?x6xi8> -> tensor<?x4xi8>
  %2 = intc.output_layer %1 {decay_inv = 500} : tensor<?x4xi8> -> tensor<?x3xi8>
  intc.yield %2 : tensor<?x3xi8>
}

intc.model @cnn(%x: tensor<?x1x4x4xi8>) attributes {num_classes = 3, batch = 2} {
  %0 = intc.local_conv_block %x channels 2 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 8} : tensor<?x1x4x4xi8> -> tensor<?x2x4x4xi8>
  %1 = intc.flatten %0 : tensor<?x2x4x4xi8> -> tensor<?x32xi8>
  %2 = intc.output_layer %1 : tensor<?x32xi8> -> tensor<?x3xi8>
  intc.yield %2 : tensor<?x3xi8>
}

// CHECK: intc.model @mlp

// Init: every tensor in layout order, with its bound and tensor index.
// CHECK-LABEL: func.func @mlp_init(
// The C ABI's buffers never overlap: every memref argument is noalias.
// CHECK-SAME: %{{.*}}: memref<114xi32> {llvm.noalias}, %[[SEED:.*]]: i64)
// CHECK-SAME: intc.entry = "init"
// CHECK: intc.init_uniform %[[SEED]] bound 64 tensor_index 0 : tensor<6x8xi32>
// CHECK: intc.init_uniform %[[SEED]] bound {{[0-9]+}} tensor_index 1 : tensor<3x6xi32>
// CHECK: intc.init_uniform %[[SEED]] bound {{[0-9]+}} tensor_index 2 : tensor<4x6xi32>
// CHECK: intc.init_uniform %[[SEED]] bound {{[0-9]+}} tensor_index 3 : tensor<3x4xi32>
// CHECK: intc.init_uniform %[[SEED]] bound {{[0-9]+}} tensor_index 4 : tensor<3x4xi32>

// CHECK-LABEL: func.func @mlp_train_step(
// CHECK-SAME: %[[STATE:[^:]*]]: memref<114xi32> {llvm.noalias}, %[[X:[^:]*]]: memref<2x8xi8> {llvm.noalias}, %[[LABELS:[^:]*]]: memref<2xi8> {llvm.noalias}, %[[LR:[^:]*]]: i64, %{{[^:]*}}: i64, %{{[^:]*}}: i64, %[[LOGITS:[^:]*]]: memref<2x3xi8> {llvm.noalias})
// The weights are views of the state at their offsets.
// CHECK-DAG: %[[V0:.*]] = memref.reinterpret_cast %[[STATE]] to offset: [0], sizes: [6, 8], strides: [8, 1]
// CHECK-DAG: %[[V1:.*]] = memref.reinterpret_cast %[[STATE]] to offset: [48], sizes: [3, 6], strides: [6, 1]
// CHECK-DAG: %[[V2:.*]] = memref.reinterpret_cast %[[STATE]] to offset: [66], sizes: [4, 6], strides: [6, 1]
// CHECK-DAG: %[[V3:.*]] = memref.reinterpret_cast %[[STATE]] to offset: [90], sizes: [3, 4], strides: [4, 1]
// CHECK-DAG: %[[V4:.*]] = memref.reinterpret_cast %[[STATE]] to offset: [102], sizes: [3, 4], strides: [4, 1]
// CHECK: %[[Y:.*]] = intc.one_hot %{{.*}} value 32 : tensor<2xi8> -> tensor<2x3xi8>

// Forward: block 0, block 1, output layer.
// CHECK: %[[W0:.*]] = bufferization.to_tensor %[[V0]] restrict writable
// CHECK: %[[Z0:.*]] = intc.linear %[[XT:.*]], %[[W0]] : tensor<2x8xi8>, tensor<6x8xi32> -> tensor<2x6xi64>
// CHECK: %[[S0:.*]] = intc.rescale %[[Z0]] factor 2048
// CHECK: %[[H0:.*]] = intc.activation %[[S0]] nitro_leaky_relu<4>
// CHECK: %[[Z1:.*]] = intc.linear %[[H0]], %[[W2:.*]] : tensor<2x6xi8>, tensor<4x6xi32> -> tensor<2x4xi64>
// CHECK: %[[S1:.*]] = intc.rescale %[[Z1]] factor 1536
// CHECK: %[[H1:.*]] = intc.activation %[[S1]] nitro_leaky_relu<4>
// CHECK: %[[ZO:.*]] = intc.linear %[[H1]], %[[WO:.*]] : tensor<2x4xi8>, tensor<3x4xi32> -> tensor<2x3xi64>
// CHECK: %[[YHAT:.*]] = intc.rescale %[[ZO]] factor 1024
// CHECK: bufferization.materialize_in_destination %[[YHAT]] in restrict writable %[[LOGITS]]

// The output layer learns from e_out = yhat - y, with A = 1.
// CHECK: %[[EO:.*]] = intc.l2_grad %[[YHAT]], %[[Y]] wrap8
// CHECK: %[[GO:.*]] = intc.linear_weight_grad %[[EO]], %[[H1]]
// CHECK: %[[WO2:.*]] = intc.sgd_update %[[WO]], %[[GO]], %[[LR]] lr_amp 1 decay_inv 500

// Block 1's local step comes first: its head reads the cached h1, its error
// reaches its own encoder only, whose gradient uses the block's input h0.
// CHECK: %[[ZH1:.*]] = intc.linear %[[H1]], %[[WH1:.*]] : tensor<2x4xi8>, tensor<3x4xi32>
// CHECK: %[[E1:.*]] = intc.l2_grad %{{.*}}, %[[Y]] wrap8
// CHECK: %[[D1:.*]] = intc.linear_input_grad %[[E1]], %[[WH1]]
// CHECK: intc.sgd_update %[[WH1]], %{{.*}}, %[[LR]] lr_amp 1 decay_inv 500
// CHECK: %[[A1:.*]] = intc.activation_grad %[[S1]], %[[D1]] nitro_leaky_relu<4>
// CHECK: %[[G1:.*]] = intc.linear_weight_grad %[[A1]], %[[H0]] : tensor<2x4xi32>, tensor<2x6xi8> -> tensor<4x6xi64>
// CHECK: intc.sgd_update %[[W2]], %[[G1]], %[[LR]] lr_amp 640 decay_inv 2000
// Block 0: no gradient ever flows from block 1 into it.
// CHECK: %[[E0:.*]] = intc.l2_grad %{{.*}}, %[[Y]] wrap8
// CHECK: %[[D0:.*]] = intc.linear_input_grad %[[E0]]
// CHECK: %[[A0:.*]] = intc.activation_grad %[[S0]], %[[D0]] nitro_leaky_relu<4>
// CHECK: %[[G0:.*]] = intc.linear_weight_grad %[[A0]], %[[XT]]
// CHECK: %[[W0N:.*]] = intc.sgd_update %[[W0]], %[[G0]], %[[LR]] lr_amp 640 decay_inv 2000
// Every weight is written back in place.
// CHECK: bufferization.materialize_in_destination %[[W0N]] in restrict writable %[[V0]]
// CHECK-COUNT-4: bufferization.materialize_in_destination
// CHECK: return

// Predict reads the weights read-only and writes the logits.
// CHECK-LABEL: func.func @mlp_predict(
// CHECK-SAME: memref<114xi32> {llvm.noalias}, %{{.*}}: memref<2x8xi8> {llvm.noalias}, %[[PL:[^:]*]]: memref<2x3xi8> {llvm.noalias})
// CHECK-NOT: writable %{{.*}}reinterpret
// CHECK-NOT: intc.sgd_update
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[PL]]

// predict_heads: the same forward, and each block's head exactly as in its
// local step (linear, rescale by 256 * features) into its row of %heads.
// CHECK-LABEL: func.func @mlp_predict_heads(
// CHECK-SAME: memref<114xi32> {llvm.noalias}, %{{[^:]*}}: memref<2x8xi8> {llvm.noalias}, %[[HL:[^:]*]]: memref<2x3xi8> {llvm.noalias}, %[[HH:[^:]*]]: memref<2x2x3xi8> {llvm.noalias})
// CHECK-SAME: intc.entry = "predict_heads"
// CHECK-SAME: intc.num_heads = 2
// CHECK-NOT: writable %{{.*}}reinterpret
// CHECK-NOT: intc.sgd_update
// CHECK-NOT: intc.l2_grad
// CHECK: %[[PH0:.*]] = intc.activation %{{.*}} nitro_leaky_relu<4>
// CHECK: %[[PZ0:.*]] = intc.linear %[[PH0]], %{{.*}} : tensor<2x6xi8>, tensor<3x6xi32> -> tensor<2x3xi64>
// CHECK: %[[PY0:.*]] = intc.rescale %[[PZ0]] factor 1536
// CHECK: %[[R0:.*]] = memref.subview %[[HH]][0, 0, 0] [1, 2, 3] [1, 1, 1] : memref<2x2x3xi8> to memref<2x3xi8, strided<[3, 1]>>
// CHECK: bufferization.materialize_in_destination %[[PY0]] in restrict writable %[[R0]]
// CHECK: %[[PH1:.*]] = intc.activation %{{.*}} nitro_leaky_relu<4>
// CHECK: %[[PZ1:.*]] = intc.linear %[[PH1]], %{{.*}} : tensor<2x4xi8>, tensor<3x4xi32> -> tensor<2x3xi64>
// CHECK: %[[PY1:.*]] = intc.rescale %[[PZ1]] factor 1024
// CHECK: %[[R1:.*]] = memref.subview %[[HH]][1, 0, 0] [1, 2, 3] [1, 1, 1] : memref<2x2x3xi8> to memref<2x3xi8, strided<[3, 1], offset: 6>>
// CHECK: bufferization.materialize_in_destination %[[PY1]] in restrict writable %[[R1]]
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[HL]]
// CHECK: return

// The conv block's head: learning max-pool (2, 2) with padding value 0 on
// the block output, flatten, linear, rescale.
// CHECK-LABEL: func.func @cnn_predict_heads(
// CHECK-SAME: %[[CH:[^:]*]]: memref<1x2x3xi8> {llvm.noalias})
// CHECK-SAME: intc.num_heads = 1
// CHECK: %[[CO:.*]] = intc.activation %{{.*}} nitro_leaky_relu<4>
// CHECK: %[[CP:[^,]*]], %{{.*}} = intc.max_pool %[[CO]] kernel [2, 2] padding [0, 0] pad_value 0
// CHECK: %[[CF:.*]] = intc.flatten %[[CP]] : tensor<2x2x2x2xi8> -> tensor<2x8xi8>
// CHECK: %[[CZ:.*]] = intc.linear %[[CF]], %{{.*}} : tensor<2x8xi8>, tensor<3x8xi32> -> tensor<2x3xi64>
// CHECK: %[[CY:.*]] = intc.rescale %[[CZ]] factor 2048
// CHECK: %[[CR:.*]] = memref.subview %[[CH]][0, 0, 0] [1, 2, 3] [1, 1, 1]
// CHECK: bufferization.materialize_in_destination %[[CY]] in restrict writable %[[CR]]

// NOHEADS: func.func @mlp_predict(
// NOHEADS-NOT: predict_heads

// BATCH: func.func @mlp_train_step({{.*}}memref<8x8xi8> {llvm.noalias}, %{{.*}}: memref<8xi8>
// NOMODEL-NOT: intc.model
// NOMODEL: func.func @mlp_init

// With weight-bits=16 the state is int16 and so is every weight view; the
// updates stay in the same ops (their int16 result saturates when lowered).
// W16-LABEL: func.func @mlp_init(
// W16-SAME: memref<114xi16>
// W16: intc.init_uniform %{{.*}} bound 64 tensor_index 0 : tensor<6x8xi16>
// W16-LABEL: func.func @mlp_train_step(
// W16-SAME: memref<114xi16>
// W16: intc.sgd_update %{{.*}} lr_amp 1 decay_inv 500 : tensor<3x4xi16>, tensor<3x4xi64>
// W16-LABEL: func.func @mlp_predict(
// W16-SAME: memref<114xi16>
// W8: error: 'intc.model' op weight-bits must be 16 or 32, got 8
