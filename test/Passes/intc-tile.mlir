// RUN: intc-opt %s -intc-lower-to-linalg -intc-tile=cache-bytes=65536 | FileCheck %s
// RUN: intc-opt %s -intc-lower-to-linalg -intc-tile=cache-bytes=100000000 | FileCheck %s --check-prefix=FITS

// One whole tile would touch 64*784 + 100*784*4 + 64*100*8 = 414,976 bytes.
// Halving the batch rows until a tile fits 64 KB is not enough (even one row
// needs the 313,600 B of weights), so the output rows are split next: a
// 1x(100->10) tile touches 784 + 10*784*4 + 10*8 = 32,224 B.
// CHECK-LABEL: func.func @linear
// CHECK: scf.for %[[B:.*]] = %c0 to %c64 step %c1
// CHECK:   scf.for %[[O:.*]] = %{{.*}} to %c100 step %c10
// CHECK:     %[[X:.*]] = tensor.extract_slice %arg0[%[[B]], 0] [1, 784] [1, 1]
// CHECK:     %[[W:.*]] = tensor.extract_slice %arg1[%[[O]], 0] [10, 784] [1, 1]
// CHECK:     linalg.generic {{.*}} ins(%[[X]], %[[W]] : tensor<1x784xi8>, tensor<10x784xi32>) outs(%{{.*}} : tensor<1x10xi64>) attrs = {intc.kernel = "linear"}
// FITS-LABEL: func.func @linear
// FITS-NOT: scf.for
func.func @linear(%x: tensor<64x784xi8>, %w: tensor<100x784xi32>) -> tensor<64x100xi64> {
  %z = intc.linear %x, %w : tensor<64x784xi8>, tensor<100x784xi32> -> tensor<64x100xi64>
  return %z : tensor<64x100xi64>
}
