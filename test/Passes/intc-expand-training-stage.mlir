// RUN: intc-opt %S/intc-extract-stage.mlir -split-input-file -intc-verify-model -intc-extract-stage="stage=1 stages=3" -intc-expand-training | FileCheck %s --check-prefix=MID
// RUN: intc-opt %S/intc-extract-stage.mlir -split-input-file -intc-verify-model -intc-extract-stage="stage=2 stages=3" -intc-expand-training | FileCheck %s --check-prefix=LAST

// intc-expand-training on pipeline stages of the CNN of intc-extract-stage.mlir
// (conv block 0 | conv block 1, dropout, pool, flatten | linear block 2,
// dropout, output layer; batch 8).

// The middle stage takes the pooled 4x14x14 int8 activation and writes the
// int16 activation it hands on where a model writes its logits. Its
// tensors draw the whole model's init streams 2 and 3, its dropout stream
// 0; it has no output layer, so its two tensors are all it updates.
// MID-LABEL: func.func @cnn_init(
// MID: intc.init_uniform %{{.*}} bound {{[0-9]+}} tensor_index 2 : tensor<8x4x3x3xi32>
// MID: intc.init_uniform %{{.*}} bound {{[0-9]+}} tensor_index 3 : tensor<10x{{[0-9]+}}xi32>
// MID-NOT: intc.init_uniform
// MID-LABEL: func.func @cnn_train_step(
// MID-SAME: memref<8x4x14x14xi8> {llvm.noalias}, %{{[^:]*}}: memref<8xi8> {llvm.noalias}, %{{[^:]*}}: i64, %{{[^:]*}}: i64, %{{[^:]*}}: i64, %[[OUT:[^:]*]]: memref<8x72xi16> {llvm.noalias})
// MID: intc.dropout_apply %{{.*}} rate 15 stream 0 : tensor<8x8x14x14xi8> -> tensor<8x8x14x14xi16>
// MID: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[OUT]] : (tensor<8x72xi16>, memref<8x72xi16>)
// MID-COUNT-2: intc.sgd_update
// MID-NOT: intc.sgd_update
// MID-LABEL: func.func @cnn_train_grads(
// MID-SAME: %{{[^:]*}}: memref<8x4x14x14xi8> {llvm.noalias}
// MID-SAME: memref<8x72xi16> {llvm.noalias})
// MID-NOT: func.func @cnn_train_grads2(
// Evaluation: dropout is the identity, so the stage widens the int8
// activation it hands on to the int16 the next stage takes.
// MID-LABEL: func.func @cnn_predict(
// MID-SAME: %[[POUT:[^:]*]]: memref<8x72xi16> {llvm.noalias})
// MID: %[[W:.*]] = intc.widen %{{.*}} : tensor<8x72xi8> -> tensor<8x72xi16>
// MID: bufferization.materialize_in_destination %[[W]] in restrict writable %[[POUT]]
// MID-LABEL: func.func @cnn_predict_heads(
// MID-SAME: memref<8x72xi16> {llvm.noalias}, %{{[^:]*}}: memref<1x8x10xi8> {llvm.noalias})
// MID-SAME: intc.num_heads = 1 : i64

// The last stage takes that int16 activation; its tensors are the model's
// 5th to 7th (streams 4 to 6), its dropout the model's second (stream 1).
// Cut from a CNN, its linear block keeps the double update: train_step
// updates the output layer once and the block's two tensors twice, and the
// stage has train_grads2.
// LAST-LABEL: func.func @cnn_init(
// LAST: tensor_index 4
// LAST: tensor_index 5
// LAST: tensor_index 6
// LAST-LABEL: func.func @cnn_train_step(
// LAST-SAME: memref<8x72xi16> {llvm.noalias}, %{{[^:]*}}: memref<8xi8> {llvm.noalias}, %{{[^:]*}}: i64, %{{[^:]*}}: i64, %{{[^:]*}}: i64, %{{[^:]*}}: memref<8x10xi8> {llvm.noalias})
// LAST: intc.dropout_apply %{{.*}} rate 10 stream 1 : tensor<8x16xi8> -> tensor<8x16xi16>
// LAST-COUNT-5: intc.sgd_update
// LAST-NOT: intc.sgd_update
// LAST-LABEL: func.func @cnn_train_grads(
// LAST: func.func @cnn_train_grads2(
// LAST-LABEL: func.func @cnn_predict(
// LAST-NOT: intc.widen
// LAST: func.func @cnn_predict_heads(
