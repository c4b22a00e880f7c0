// RUN: intc-opt %s -intc-use-microkernels | FileCheck %s
// RUN: intc-opt %s -intc-use-gpu-kernels | FileCheck %s

// Generics whose `intc.kernel` tag is not a kernel name, or whose buffers do
// not have the rank the named kernel's loop nest has, are left as they are
// (no call with sizes read past the shape, no crash on a non-string tag).

#m = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @not_a_string(
// CHECK-NOT:     call
// CHECK:         linalg.generic
func.func @not_a_string(%x: memref<4x4xi8>, %w: memref<4x4xi32>, %o: memref<4x4xi64>) {
  linalg.generic {indexing_maps = [#m, #m, #m], iterator_types = ["parallel", "parallel"]}
      ins(%x, %w : memref<4x4xi8>, memref<4x4xi32>) outs(%o : memref<4x4xi64>)
      attrs = {intc.kernel = 5 : i64} {
  ^bb0(%a: i8, %b: i32, %c: i64):
    %e = arith.extsi %a : i8 to i64
    linalg.yield %e : i64
  }
  return
}

// CHECK-LABEL: func.func @conv_tag_on_matrices(
// CHECK-NOT:     call
// CHECK:         linalg.generic
func.func @conv_tag_on_matrices(%x: memref<4x4xi8>, %w: memref<4x4xi32>, %o: memref<4x4xi64>) {
  linalg.generic {indexing_maps = [#m, #m, #m], iterator_types = ["parallel", "parallel"]}
      ins(%x, %w : memref<4x4xi8>, memref<4x4xi32>) outs(%o : memref<4x4xi64>)
      attrs = {intc.kernel = "conv2d"} {
  ^bb0(%a: i8, %b: i32, %c: i64):
    %e = arith.extsi %a : i8 to i64
    linalg.yield %e : i64
  }
  return
}
