// The SGD update alone, as the C ABI's entry points hold it: W in place,
// the gradient and the runtime learning rate as arguments. Three layer
// kinds: an encoder (lr_amp 640, decay), a head (lr_amp 1, decay) and an
// int16-weight layer (saturating). sgd_update_check.c calls them.
func.func @sgd_encoder(%wm: memref<4096xi32> {llvm.noalias},
                       %gm: memref<4096xi64> {llvm.noalias}, %lr: i64) {
  %w = bufferization.to_tensor %wm restrict writable : memref<4096xi32> to tensor<4096xi32>
  %g = bufferization.to_tensor %gm restrict : memref<4096xi64> to tensor<4096xi64>
  %n = intc.sgd_update %w, %g, %lr lr_amp 640 decay_inv 28000 : tensor<4096xi32>, tensor<4096xi64>
  bufferization.materialize_in_destination %n in restrict writable %wm : (tensor<4096xi32>, memref<4096xi32>) -> ()
  return
}

func.func @sgd_head(%wm: memref<4096xi32> {llvm.noalias},
                    %gm: memref<4096xi64> {llvm.noalias}, %lr: i64) {
  %w = bufferization.to_tensor %wm restrict writable : memref<4096xi32> to tensor<4096xi32>
  %g = bufferization.to_tensor %gm restrict : memref<4096xi64> to tensor<4096xi64>
  %n = intc.sgd_update %w, %g, %lr lr_amp 1 decay_inv 3 : tensor<4096xi32>, tensor<4096xi64>
  bufferization.materialize_in_destination %n in restrict writable %wm : (tensor<4096xi32>, memref<4096xi32>) -> ()
  return
}

func.func @sgd_int16(%wm: memref<4096xi16> {llvm.noalias},
                     %gm: memref<4096xi64> {llvm.noalias}, %lr: i64) {
  %w = bufferization.to_tensor %wm restrict writable : memref<4096xi16> to tensor<4096xi16>
  %g = bufferization.to_tensor %gm restrict : memref<4096xi64> to tensor<4096xi64>
  %n = intc.sgd_update %w, %g, %lr lr_amp 640 decay_inv 40000 : tensor<4096xi16>, tensor<4096xi64>
  bufferization.materialize_in_destination %n in restrict writable %wm : (tensor<4096xi16>, memref<4096xi16>) -> ()
  return
}
