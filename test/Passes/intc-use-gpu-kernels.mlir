// RUN: intc-opt %s -intc-use-gpu-kernels | FileCheck %s

// The launchers are declared once, private, with the runtime/cpu kernels'
// calling convention: (base, element offset) per buffer, then the sizes.
// CHECK-DAG: func.func private @intc_cuda_linear_acc_i8(memref<i8>, i64, memref<i32>, i64, memref<i64>, i64, i64, i64, i64)
// CHECK-DAG: func.func private @intc_cuda_linear_wgrad_acc_i16(memref<i32>, i64, memref<i16>, i64, memref<i64>, i64, i64, i64, i64)

#x = affine_map<(b, o, i) -> (b, i)>
#w = affine_map<(b, o, i) -> (o, i)>
#z = affine_map<(b, o, i) -> (b, o)>
#wg_d = affine_map<(o, i, b) -> (b, o)>
#wg_x = affine_map<(o, i, b) -> (b, i)>
#wg_g = affine_map<(o, i, b) -> (o, i)>

// A linear reduction on int8 activations and a view of the weights inside
// the state: (base, offset) pairs, then B, IN, OUT.
// CHECK-LABEL: func.func @linear(
// CHECK: %[[XB:.*]], %[[XO:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %arg0
// CHECK: %[[WB:.*]], %[[WO:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %arg1
// CHECK: %[[ZB:.*]], %[[ZO:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %arg2
// CHECK-DAG: %[[C64:.*]] = arith.constant 64 : i64
// CHECK-DAG: %[[C784:.*]] = arith.constant 784 : i64
// CHECK-DAG: %[[C100:.*]] = arith.constant 100 : i64
// CHECK: call @intc_cuda_linear_acc_i8(%[[XB]], %{{.*}}, %[[WB]], %{{.*}}, %[[ZB]], %{{.*}}, %[[C64]], %[[C784]], %[[C100]])
// CHECK-NOT: linalg.generic
func.func @linear(%x: memref<64x784xi8>, %w: memref<100x784xi32, strided<[784, 1], offset: 500>>, %z: memref<64x100xi64>) {
  linalg.generic {indexing_maps = [#x, #w, #z], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<64x784xi8>, memref<100x784xi32, strided<[784, 1], offset: 500>>)
      outs(%z : memref<64x100xi64>) attrs = {intc.kernel = "linear"} {
  ^bb0(%a: i8, %b: i32, %c: i64):
    %a64 = arith.extsi %a : i8 to i64
    %b64 = arith.extsi %b : i32 to i64
    %p = arith.muli %a64, %b64 : i64
    %s = arith.addi %c, %p : i64
    linalg.yield %s : i64
  }
  return
}

// The weight gradient of int16 activations (after dropout): B, IN, OUT.
// CHECK-LABEL: func.func @wgrad(
// CHECK-DAG: %[[B:.*]] = arith.constant 64 : i64
// CHECK-DAG: %[[IN:.*]] = arith.constant 2048 : i64
// CHECK-DAG: %[[OUT:.*]] = arith.constant 10 : i64
// CHECK: call @intc_cuda_linear_wgrad_acc_i16(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[B]], %[[IN]], %[[OUT]])
func.func @wgrad(%d: memref<64x10xi32>, %x: memref<64x2048xi16>, %g: memref<10x2048xi64>) {
  linalg.generic {indexing_maps = [#wg_d, #wg_x, #wg_g], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%d, %x : memref<64x10xi32>, memref<64x2048xi16>) outs(%g : memref<10x2048xi64>)
      attrs = {intc.kernel = "linear_wgrad"} {
  ^bb0(%a: i32, %b: i16, %c: i64):
    %a64 = arith.extsi %a : i32 to i64
    %b64 = arith.extsi %b : i16 to i64
    %p = arith.muli %a64, %b64 : i64
    %s = arith.addi %c, %p : i64
    linalg.yield %s : i64
  }
  return
}

// A non-contiguous view, an untagged generic and an int32 activation stay
// loops.
// CHECK-LABEL: func.func @stays(
// CHECK-NOT: call
// CHECK-COUNT-3: linalg.generic
func.func @stays(%x: memref<64x784xi8, strided<[1568, 1]>>, %w: memref<100x784xi32>, %z: memref<64x100xi64>, %x32: memref<64x784xi32>) {
  linalg.generic {indexing_maps = [#x, #w, #z], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<64x784xi8, strided<[1568, 1]>>, memref<100x784xi32>)
      outs(%z : memref<64x100xi64>) attrs = {intc.kernel = "linear"} {
  ^bb0(%a: i8, %b: i32, %c: i64):
    %a64 = arith.extsi %a : i8 to i64
    %b64 = arith.extsi %b : i32 to i64
    %p = arith.muli %a64, %b64 : i64
    %s = arith.addi %c, %p : i64
    linalg.yield %s : i64
  }
  linalg.generic {indexing_maps = [#x, #w, #z], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<64x784xi8, strided<[1568, 1]>>, memref<100x784xi32>)
      outs(%z : memref<64x100xi64>) {
  ^bb0(%a: i8, %b: i32, %c: i64):
    %a64 = arith.extsi %a : i8 to i64
    %b64 = arith.extsi %b : i32 to i64
    %p = arith.muli %a64, %b64 : i64
    %s = arith.addi %c, %p : i64
    linalg.yield %s : i64
  }
  linalg.generic {indexing_maps = [#x, #w, #z], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x32, %w : memref<64x784xi32>, memref<100x784xi32>)
      outs(%z : memref<64x100xi64>) attrs = {intc.kernel = "linear"} {
  ^bb0(%a: i32, %b: i32, %c: i64):
    %a64 = arith.extsi %a : i32 to i64
    %b64 = arith.extsi %b : i32 to i64
    %p = arith.muli %a64, %b64 : i64
    %s = arith.addi %c, %p : i64
    linalg.yield %s : i64
  }
  return
}
