// NITRO-Scaling and the activation backward, as intc-lower-to-linalg lowers
// them (i32 division after a clamp; constant-divisor pieces and selects).
// elementwise_check.c calls them with every int8 activation and deltas and
// sums up to the int64 extremes.
func.func @rescale_200704(%zm: memref<8192xi64> {llvm.noalias}, %ym: memref<8192xi8> {llvm.noalias}) {
  %z = bufferization.to_tensor %zm restrict : memref<8192xi64> to tensor<8192xi64>
  %y = intc.rescale %z factor 200704 : tensor<8192xi64> -> tensor<8192xi8>
  bufferization.materialize_in_destination %y in restrict writable %ym : (tensor<8192xi8>, memref<8192xi8>) -> ()
  return
}

// The largest factor whose clamp bound 128·F fits in i32.
func.func @rescale_16777215(%zm: memref<8192xi64> {llvm.noalias}, %ym: memref<8192xi8> {llvm.noalias}) {
  %z = bufferization.to_tensor %zm restrict : memref<8192xi64> to tensor<8192xi64>
  %y = intc.rescale %z factor 16777215 : tensor<8192xi64> -> tensor<8192xi8>
  bufferization.materialize_in_destination %y in restrict writable %ym : (tensor<8192xi8>, memref<8192xi8>) -> ()
  return
}

// The smallest that does not (the division stays in i64).
func.func @rescale_16777216(%zm: memref<8192xi64> {llvm.noalias}, %ym: memref<8192xi8> {llvm.noalias}) {
  %z = bufferization.to_tensor %zm restrict : memref<8192xi64> to tensor<8192xi64>
  %y = intc.rescale %z factor 16777216 : tensor<8192xi64> -> tensor<8192xi8>
  bufferization.materialize_in_destination %y in restrict writable %ym : (tensor<8192xi8>, memref<8192xi8>) -> ()
  return
}

func.func @nitro_grad(%xm: memref<8192x1xi8> {llvm.noalias}, %dm: memref<8192x1xi32> {llvm.noalias}, %om: memref<8192x1xi32> {llvm.noalias}) {
  %x = bufferization.to_tensor %xm restrict : memref<8192x1xi8> to tensor<8192x1xi8>
  %d = bufferization.to_tensor %dm restrict : memref<8192x1xi32> to tensor<8192x1xi32>
  %g = intc.activation_grad %x, %d nitro_leaky_relu<4> : tensor<8192x1xi8>, tensor<8192x1xi32>
  bufferization.materialize_in_destination %g in restrict writable %om : (tensor<8192x1xi32>, memref<8192x1xi32>) -> ()
  return
}

func.func @tanh_grad(%xm: memref<8192x1xi8> {llvm.noalias}, %dm: memref<8192x1xi32> {llvm.noalias}, %om: memref<8192x1xi32> {llvm.noalias}) {
  %x = bufferization.to_tensor %xm restrict : memref<8192x1xi8> to tensor<8192x1xi8>
  %d = bufferization.to_tensor %dm restrict : memref<8192x1xi32> to tensor<8192x1xi32>
  %g = intc.activation_grad %x, %d pocket_tanh : tensor<8192x1xi8>, tensor<8192x1xi32>
  bufferization.materialize_in_destination %g in restrict writable %om : (tensor<8192x1xi32>, memref<8192x1xi32>) -> ()
  return
}
