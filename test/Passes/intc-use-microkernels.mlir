// RUN: intc-opt %s -intc-lower-to-linalg=fast-division=0 -one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" -intc-use-microkernels | FileCheck %s

// Each tagged reduction whose buffers the kernels take becomes a call:
// every buffer as (base, element offset), then the sizes in the order of
// runtime/cpu/intc_cpu_kernels.h. The kernels are declared once, private.
// CHECK-DAG: func.func private @intc_cpu_linear_acc_i8(memref<i8>, i64, memref<i32>, i64, memref<i64>, i64, i64, i64, i64)
// CHECK-DAG: func.func private @intc_cpu_linear_wgrad_i16(memref<i32>, i64, memref<i16>, i64, memref<i64>, i64, i64, i64, i64)
// CHECK-DAG: func.func private @intc_cpu_linear_wgrad_acc_i8(memref<i32>, i64, memref<i8>, i64, memref<i64>, i64, i64, i64, i64)
// CHECK-DAG: func.func private @intc_cpu_conv2d_acc_i8(
// CHECK-DAG: func.func private @intc_cpu_conv2d_wgrad_acc_i8(
// CHECK-DAG: func.func private @intc_cpu_conv2d_wgrad_sparse_acc_i8(

// linear: x 4x16 (i8), w 8x16 -> B = 4, IN = 16, OUT = 8.
// CHECK-LABEL: func.func @linear(
// CHECK: %[[XB:.*]], %[[XO:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %arg0
// CHECK: %[[XO64:.*]] = arith.index_cast %[[XO]] : index to i64
// CHECK: call @intc_cpu_linear_acc_i8(%[[XB]], %[[XO64]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %c4_i64, %c16_i64, %c8_i64)
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @linear(%x: tensor<4x16xi8>, %w: tensor<8x16xi32>) -> tensor<4x8xi64> {
  %z = intc.linear %x, %w : tensor<4x16xi8>, tensor<8x16xi32> -> tensor<4x8xi64>
  return %z : tensor<4x8xi64>
}

// An int32 accumulator is not a kernel's type: the loop stays.
// CHECK-LABEL: func.func @linear32(
// CHECK-NOT: call
// CHECK: linalg.generic {{.*}} attrs = {intc.kernel = "linear"}
// CHECK: return
func.func @linear32(%x: tensor<4x16xi8>, %w: tensor<8x16xi32>) -> tensor<4x8xi32> {
  %z = intc.linear %x, %w : tensor<4x16xi8>, tensor<8x16xi32> -> tensor<4x8xi32>
  return %z : tensor<4x8xi32>
}

// linear weight gradient with int16 activations: d 4x8, x 4x16 -> B, IN, OUT.
// Its gradient starts as zeros: the zero fill goes and the overwriting
// kernel (no _acc_) zeroes each tile itself.
// CHECK-LABEL: func.func @wgrad(
// CHECK-NOT: linalg.fill
// CHECK: call @intc_cpu_linear_wgrad_i16(%{{.*}}, %c4_i64, %c16_i64, %c8_i64)
// CHECK-NOT: linalg.fill
// CHECK: return
func.func @wgrad(%d: tensor<4x8xi32>, %x: tensor<4x16xi16>) -> tensor<8x16xi64> {
  %g = intc.linear_weight_grad %d, %x : tensor<4x8xi32>, tensor<4x16xi16> -> tensor<8x16xi64>
  return %g : tensor<8x16xi64>
}

// A weight gradient that accumulates into a buffer not just zeroed keeps
// the accumulating kernel: here the fill of ones, or a store between the
// zero fill and the reduction, or a fill of another buffer.
#dg = affine_map<(o, i, b) -> (b, o)>
#xg = affine_map<(o, i, b) -> (b, i)>
#gg = affine_map<(o, i, b) -> (o, i)>
// CHECK-LABEL: func.func @wgrad_accumulates(
// CHECK: linalg.fill ins(%c1_i64
// CHECK: call @intc_cpu_linear_wgrad_acc_i8(
// CHECK: linalg.fill ins(%c0_i64
// CHECK: memref.store
// CHECK: call @intc_cpu_linear_wgrad_acc_i8(
// CHECK: linalg.fill ins(%c0_i64 {{.*}} outs(%arg3
// CHECK: call @intc_cpu_linear_wgrad_acc_i8(
// CHECK: return
func.func @wgrad_accumulates(%d: memref<4x8xi32>, %x: memref<4x16xi8>,
                             %g: memref<8x16xi64>, %h: memref<8x16xi64>) {
  %c0 = arith.constant 0 : index
  %c0_i64 = arith.constant 0 : i64
  %c1_i64 = arith.constant 1 : i64
  linalg.fill ins(%c1_i64 : i64) outs(%g : memref<8x16xi64>)
  linalg.generic {indexing_maps = [#dg, #xg, #gg],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%d, %x : memref<4x8xi32>, memref<4x16xi8>) outs(%g : memref<8x16xi64>)
      attrs = {intc.kernel = "linear_wgrad"} {
  ^bb0(%a: i32, %b: i8, %acc: i64):
    %0 = arith.extsi %a : i32 to i64
    %1 = arith.extsi %b : i8 to i64
    %2 = arith.muli %0, %1 : i64
    %3 = arith.addi %acc, %2 : i64
    linalg.yield %3 : i64
  }
  linalg.fill ins(%c0_i64 : i64) outs(%g : memref<8x16xi64>)
  memref.store %c1_i64, %g[%c0, %c0] : memref<8x16xi64>
  linalg.generic {indexing_maps = [#dg, #xg, #gg],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%d, %x : memref<4x8xi32>, memref<4x16xi8>) outs(%g : memref<8x16xi64>)
      attrs = {intc.kernel = "linear_wgrad"} {
  ^bb0(%a: i32, %b: i8, %acc: i64):
    %0 = arith.extsi %a : i32 to i64
    %1 = arith.extsi %b : i8 to i64
    %2 = arith.muli %0, %1 : i64
    %3 = arith.addi %acc, %2 : i64
    linalg.yield %3 : i64
  }
  linalg.fill ins(%c0_i64 : i64) outs(%h : memref<8x16xi64>)
  linalg.generic {indexing_maps = [#dg, #xg, #gg],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%d, %x : memref<4x8xi32>, memref<4x16xi8>) outs(%g : memref<8x16xi64>)
      attrs = {intc.kernel = "linear_wgrad"} {
  ^bb0(%a: i32, %b: i8, %acc: i64):
    %0 = arith.extsi %a : i32 to i64
    %1 = arith.extsi %b : i8 to i64
    %2 = arith.muli %0, %1 : i64
    %3 = arith.addi %acc, %2 : i64
    linalg.yield %3 : i64
  }
  return
}

// A weight gradient whose only reader is its SGD update right after it (the
// lowered intc.sgd_update: gradient and divisor in, int32 weights out,
// intc.sgd_decay_inv) becomes one call of the fused kernel where the update
// was: d, x, w, then B, IN, OUT, the divisor and decay_inv. The zero fill,
// the gradient and the update go.
// CHECK-LABEL: func.func @wgrad_sgd(
// CHECK-NOT: linalg.fill
// CHECK-NOT: linalg.generic
// CHECK: %[[DIV:.*]] = arith.muli %arg4, %c640_i64 : i64
// CHECK: call @intc_cpu_linear_wgrad_sgd_i8(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %c4_i64, %c16_i64, %c8_i64, %[[DIV]], %c12000_i64)
// CHECK-NOT: linalg.generic
// The same gradient buffer used again afterwards, filled anew first (the
// planned arena's shared views): still fused.
// CHECK: call @intc_cpu_linear_wgrad_sgd_i8(
// CHECK: return
#sg = affine_map<(o, i) -> (o, i)>
#ss = affine_map<(o, i) -> ()>
func.func @wgrad_sgd(%d: memref<4x8xi32>, %x: memref<4x16xi8>,
                     %g: memref<8x16xi64>, %w: memref<8x16xi32>, %lr: i64) {
  %c0_i64 = arith.constant 0 : i64
  %c640 = arith.constant 640 : i64
  linalg.fill ins(%c0_i64 : i64) outs(%g : memref<8x16xi64>)
  linalg.generic {indexing_maps = [#dg, #xg, #gg],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%d, %x : memref<4x8xi32>, memref<4x16xi8>) outs(%g : memref<8x16xi64>)
      attrs = {intc.kernel = "linear_wgrad"} {
  ^bb0(%a: i32, %b: i8, %acc: i64):
    %0 = arith.extsi %a : i32 to i64
    %1 = arith.extsi %b : i8 to i64
    %2 = arith.muli %0, %1 : i64
    %3 = arith.addi %acc, %2 : i64
    linalg.yield %3 : i64
  }
  %div = arith.muli %lr, %c640 : i64
  linalg.generic {indexing_maps = [#sg, #ss, #sg],
                  iterator_types = ["parallel", "parallel"]}
      ins(%g, %div : memref<8x16xi64>, i64) outs(%w : memref<8x16xi32>)
      attrs = {intc.sgd_decay_inv = 12000 : i64} {
  ^bb0(%gv: i64, %dv: i64, %wv: i32):
    %q = arith.divsi %gv, %dv : i64
    %t = arith.trunci %q : i64 to i32
    %n = arith.subi %wv, %t : i32
    linalg.yield %n : i32
  }
  linalg.fill ins(%c0_i64 : i64) outs(%g : memref<8x16xi64>)
  linalg.generic {indexing_maps = [#dg, #xg, #gg],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%d, %x : memref<4x8xi32>, memref<4x16xi8>) outs(%g : memref<8x16xi64>)
      attrs = {intc.kernel = "linear_wgrad"} {
  ^bb0(%a: i32, %b: i8, %acc: i64):
    %0 = arith.extsi %a : i32 to i64
    %1 = arith.extsi %b : i8 to i64
    %2 = arith.muli %0, %1 : i64
    %3 = arith.addi %acc, %2 : i64
    linalg.yield %3 : i64
  }
  linalg.generic {indexing_maps = [#sg, #ss, #sg],
                  iterator_types = ["parallel", "parallel"]}
      ins(%g, %div : memref<8x16xi64>, i64) outs(%w : memref<8x16xi32>)
      attrs = {intc.sgd_decay_inv = 12000 : i64} {
  ^bb0(%gv: i64, %dv: i64, %wv: i32):
    %q = arith.divsi %gv, %dv : i64
    %t = arith.trunci %q : i64 to i32
    %n = arith.subi %wv, %t : i32
    linalg.yield %n : i32
  }
  return
}

// The update stays separate when the gradient is read after it (an
// all-reduce, the overflow guard), when a store lies between the two, and
// for int16 weights (saturating updates).
// CHECK-LABEL: func.func @wgrad_sgd_kept(
// CHECK: call @intc_cpu_linear_wgrad_i8(
// CHECK: linalg.generic {{.*}} attrs = {intc.sgd_decay_inv = 0 : i64}
// CHECK: memref.copy
// CHECK: call @intc_cpu_linear_wgrad_i8(
// CHECK: memref.store
// CHECK: linalg.generic {{.*}} attrs = {intc.sgd_decay_inv = 0 : i64}
// CHECK: call @intc_cpu_linear_wgrad_i8(
// CHECK: linalg.generic {{.*}} outs(%arg5 : memref<8x16xi16>) attrs = {intc.sgd_decay_inv = 0 : i64}
// CHECK-NOT: wgrad_sgd
// CHECK: return
func.func @wgrad_sgd_kept(%d: memref<4x8xi32>, %x: memref<4x16xi8>,
                          %g: memref<8x16xi64>, %w: memref<8x16xi32>,
                          %sum: memref<8x16xi64>, %w16: memref<8x16xi16>,
                          %div: i64) {
  %c0 = arith.constant 0 : index
  %c0_i64 = arith.constant 0 : i64
  %c0_i32 = arith.constant 0 : i32
  linalg.fill ins(%c0_i64 : i64) outs(%g : memref<8x16xi64>)
  linalg.generic {indexing_maps = [#dg, #xg, #gg],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%d, %x : memref<4x8xi32>, memref<4x16xi8>) outs(%g : memref<8x16xi64>)
      attrs = {intc.kernel = "linear_wgrad"} {
  ^bb0(%a: i32, %b: i8, %acc: i64):
    %0 = arith.extsi %a : i32 to i64
    %1 = arith.extsi %b : i8 to i64
    %2 = arith.muli %0, %1 : i64
    %3 = arith.addi %acc, %2 : i64
    linalg.yield %3 : i64
  }
  linalg.generic {indexing_maps = [#sg, #ss, #sg],
                  iterator_types = ["parallel", "parallel"]}
      ins(%g, %div : memref<8x16xi64>, i64) outs(%w : memref<8x16xi32>)
      attrs = {intc.sgd_decay_inv = 0 : i64} {
  ^bb0(%gv: i64, %dv: i64, %wv: i32):
    %q = arith.divsi %gv, %dv : i64
    %t = arith.trunci %q : i64 to i32
    %n = arith.subi %wv, %t : i32
    linalg.yield %n : i32
  }
  memref.copy %g, %sum : memref<8x16xi64> to memref<8x16xi64>
  linalg.fill ins(%c0_i64 : i64) outs(%g : memref<8x16xi64>)
  linalg.generic {indexing_maps = [#dg, #xg, #gg],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%d, %x : memref<4x8xi32>, memref<4x16xi8>) outs(%g : memref<8x16xi64>)
      attrs = {intc.kernel = "linear_wgrad"} {
  ^bb0(%a: i32, %b: i8, %acc: i64):
    %0 = arith.extsi %a : i32 to i64
    %1 = arith.extsi %b : i8 to i64
    %2 = arith.muli %0, %1 : i64
    %3 = arith.addi %acc, %2 : i64
    linalg.yield %3 : i64
  }
  memref.store %c0_i32, %w[%c0, %c0] : memref<8x16xi32>
  linalg.generic {indexing_maps = [#sg, #ss, #sg],
                  iterator_types = ["parallel", "parallel"]}
      ins(%g, %div : memref<8x16xi64>, i64) outs(%w : memref<8x16xi32>)
      attrs = {intc.sgd_decay_inv = 0 : i64} {
  ^bb0(%gv: i64, %dv: i64, %wv: i32):
    %q = arith.divsi %gv, %dv : i64
    %t = arith.trunci %q : i64 to i32
    %n = arith.subi %wv, %t : i32
    linalg.yield %n : i32
  }
  linalg.fill ins(%c0_i64 : i64) outs(%g : memref<8x16xi64>)
  linalg.generic {indexing_maps = [#dg, #xg, #gg],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%d, %x : memref<4x8xi32>, memref<4x16xi8>) outs(%g : memref<8x16xi64>)
      attrs = {intc.kernel = "linear_wgrad"} {
  ^bb0(%a: i32, %b: i8, %acc: i64):
    %0 = arith.extsi %a : i32 to i64
    %1 = arith.extsi %b : i8 to i64
    %2 = arith.muli %0, %1 : i64
    %3 = arith.addi %acc, %2 : i64
    linalg.yield %3 : i64
  }
  linalg.generic {indexing_maps = [#sg, #ss, #sg],
                  iterator_types = ["parallel", "parallel"]}
      ins(%g, %div : memref<8x16xi64>, i64) outs(%w16 : memref<8x16xi16>)
      attrs = {intc.sgd_decay_inv = 0 : i64} {
  ^bb0(%gv: i64, %dv: i64, %wv: i16):
    %q = arith.divsi %gv, %dv : i64
    %t = arith.trunci %q : i64 to i16
    %n = arith.subi %wv, %t : i16
    linalg.yield %n : i16
  }
  return
}

// conv2d reads the padded input (10x10), which the padding generic writes:
// B, C, Hp, Wp, F, K = 2, 3, 10, 10, 4, 3.
// CHECK-LABEL: func.func @conv(
// CHECK: %[[XP:.*]] = memref.alloc() {{.*}} : memref<2x3x10x10xi8>
// CHECK: linalg.generic {{.*}} outs(%[[XP]] : memref<2x3x10x10xi8>)
// CHECK: memref.extract_strided_metadata %[[XP]]
// CHECK: call @intc_cpu_conv2d_acc_i8(%{{.*}}, %c2_i64, %c3_i64, %c10_i64, %c10_i64_{{[0-9]+}}, %c4_i64, %c3_i64_{{[0-9]+}})
func.func @conv(%x: tensor<2x3x8x8xi8>, %w: tensor<4x3x3x3xi32>) -> tensor<2x4x8x8xi64> {
  %z = intc.conv2d %x, %w padding 1 : tensor<2x3x8x8xi8>, tensor<4x3x3x3xi32> -> tensor<2x4x8x8xi64>
  return %z : tensor<2x4x8x8xi64>
}

// CHECK-LABEL: func.func @cwgrad(
// CHECK: call @intc_cpu_conv2d_wgrad_acc_i8(%{{.*}}, %c2_i64, %c3_i64, %c10_i64, %c10_i64_{{[0-9]+}}, %c4_i64, %c3_i64_{{[0-9]+}})
func.func @cwgrad(%d: tensor<2x4x8x8xi32>, %x: tensor<2x3x8x8xi8>) -> tensor<4x3x3x3xi64> {
  %g = intc.conv2d_weight_grad %d, %x padding 1 : tensor<2x4x8x8xi32>, tensor<2x3x8x8xi8> -> tensor<4x3x3x3xi64>
  return %g : tensor<4x3x3x3xi64>
}

// The sparse gradient gathers the padded input inside its body; the kernel
// gets delta, indices, that input and the gradient, then B, C, Hp, Wp, F,
// K, GH, GW = 2, 3, 10, 10, 4, 3, 2, 2.
// CHECK-LABEL: func.func @sparse(
// CHECK: %[[SP:.*]] = memref.alloc() {{.*}} : memref<2x3x10x10xi8>
// CHECK: %[[DB:.*]], %{{.*}}, %{{.*}}:4, %{{.*}}:4 = memref.extract_strided_metadata %arg0
// CHECK: %[[IB:.*]], %{{.*}}, %{{.*}}:4, %{{.*}}:4 = memref.extract_strided_metadata %arg1
// CHECK: %[[PB:.*]], %{{.*}}, %{{.*}}:4, %{{.*}}:4 = memref.extract_strided_metadata %[[SP]]
// CHECK: call @intc_cpu_conv2d_wgrad_sparse_acc_i8(%[[DB]], %{{.*}}, %[[IB]], %{{.*}}, %[[PB]], %{{.*}}, %{{.*}}, %{{.*}}, %c2_i64, %c3_i64, %c10_i64, %c10_i64_{{[0-9]+}}, %c4_i64, %c3_i64_{{[0-9]+}}, %c2_i64_{{[0-9]+}}, %c2_i64_{{[0-9]+}})
// CHECK-NOT: linalg.generic {{.*}}conv2d_wgrad_sparse
func.func @sparse(%d: tensor<2x4x2x2xi32>, %i: tensor<2x4x2x2xi32>, %x: tensor<2x3x8x8xi8>) -> tensor<4x3x3x3xi64> {
  %g = intc.conv2d_weight_grad_sparse %d, %i, %x padding 1 out_size [8, 8] : tensor<2x4x2x2xi32>, tensor<2x4x2x2xi32>, tensor<2x3x8x8xi8> -> tensor<4x3x3x3xi64>
  return %g : tensor<4x3x3x3xi64>
}
