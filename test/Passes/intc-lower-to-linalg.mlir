// RUN: intc-opt %s -split-input-file -intc-lower-to-linalg=fast-division=0 | FileCheck %s
// RUN: intc-opt %s -split-input-file -intc-lower-to-linalg | FileCheck %s --check-prefix=FAST

// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[Z:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @linear
// CHECK: %[[ZERO:.*]] = linalg.fill ins(%c0_i64 : i64)
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[Z]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%arg0, %arg1 : tensor<4x8xi8>, tensor<3x8xi32>) outs(%[[ZERO]] : tensor<4x3xi64>)
// CHECK: ^bb0(%[[A:.*]]: i8, %[[B:.*]]: i32, %[[ACC:.*]]: i64):
// CHECK:   %[[AE:.*]] = arith.extsi %[[A]] : i8 to i64
// CHECK:   %[[BE:.*]] = arith.extsi %[[B]] : i32 to i64
// CHECK:   %[[P:.*]] = arith.muli %[[AE]], %[[BE]] : i64
// CHECK:   %[[S:.*]] = arith.addi %[[ACC]], %[[P]] : i64
// CHECK:   linalg.yield %[[S]] : i64
func.func @linear(%x: tensor<4x8xi8>, %w: tensor<3x8xi32>) -> tensor<4x3xi64> {
  %z = intc.linear %x, %w : tensor<4x8xi8>, tensor<3x8xi32> -> tensor<4x3xi64>
  return %z : tensor<4x3xi64>
}

// -----

// tdiv is arith.divsi (rounds toward zero), then the symmetric clip. A sum
// beyond ±128·F clips to ±127 either way, so it is clamped there first and
// the division runs in i32 (128 · 200,704 = 25,690,112).
// CHECK-LABEL: func.func @rescale
// CHECK: linalg.generic
// CHECK: ^bb0(%[[Z:.*]]: i64, %{{.*}}: i8):
// CHECK:   %[[ZL:.*]] = arith.maxsi %[[Z]], %c-25690112_i64 : i64
// CHECK:   %[[ZH:.*]] = arith.minsi %[[ZL]], %c25690112_i64 : i64
// CHECK:   %[[Z32:.*]] = arith.trunci %[[ZH]] : i64 to i32
// CHECK:   %[[Q:.*]] = arith.divsi %[[Z32]], %c200704_i32 : i32
// CHECK:   %[[LO:.*]] = arith.maxsi %[[Q]], %c-127_i32 : i32
// CHECK:   %[[HI:.*]] = arith.minsi %[[LO]], %c127_i32 : i32
// CHECK:   %[[T:.*]] = arith.trunci %[[HI]] : i32 to i8
// CHECK:   linalg.yield %[[T]] : i8
func.func @rescale(%z: tensor<2x5xi64>) -> tensor<2x5xi8> {
  %y = intc.rescale %z factor 200704 : tensor<2x5xi64> -> tensor<2x5xi8>
  return %y : tensor<2x5xi8>
}

// -----

// nitro_leaky_relu<4>: clip(x,0,127) + tdiv(clip(x,-127,0), 4) - 36.
// CHECK-LABEL: func.func @nitro
// CHECK: ^bb0(%[[X:.*]]: i8, %{{.*}}: i8):
// CHECK:   %[[XE:.*]] = arith.extsi %[[X]] : i8 to i32
// CHECK:   %[[P0:.*]] = arith.maxsi %[[XE]], %c0_i32
// CHECK:   %[[P:.*]] = arith.minsi %[[P0]], %c127_i32
// CHECK:   %[[N0:.*]] = arith.maxsi %[[XE]], %c-127_i32
// CHECK:   %[[N:.*]] = arith.minsi %[[N0]], %c0_i32
// CHECK:   %[[D:.*]] = arith.divsi %[[N]], %c4_i32
// CHECK:   %[[S:.*]] = arith.addi %[[P]], %[[D]]
// CHECK:   %[[R:.*]] = arith.subi %[[S]], %c36_i32
// CHECK:   arith.trunci %[[R]] : i32 to i8
func.func @nitro(%x: tensor<2x5xi8>) -> tensor<2x5xi8> {
  %y = intc.activation %x nitro_leaky_relu<4> : tensor<2x5xi8>
  return %y : tensor<2x5xi8>
}

// -----

// The backward divides by the inverse slope: 1, nsi, or INT32_MAX. Each
// piece is a division by a constant, and selects pick the piece.
// CHECK-LABEL: func.func @nitro_grad
// CHECK: ^bb0(%[[X:.*]]: i8, %[[D:.*]]: i32, %{{.*}}: i32):
// CHECK-DAG: %[[CUT:.*]] = arith.divsi %[[D]], %c2147483647_i32 : i32
// CHECK-DAG: %[[Q4:.*]] = arith.divsi %[[D]], %c4_i32 : i32
// CHECK: %[[S1:.*]] = arith.select %{{.*}}, %[[Q4]], %[[CUT]]
// CHECK: %[[S2:.*]] = arith.select %{{.*}}, %[[D]], %[[S1]]
// CHECK: arith.select %{{.*}}, %[[CUT]], %[[S2]]
// CHECK-NOT: arith.divsi
func.func @nitro_grad(%x: tensor<2x5xi8>, %d: tensor<2x5xi32>) -> tensor<2x5xi32> {
  %y = intc.activation_grad %x, %d nitro_leaky_relu<4> : tensor<2x5xi8>, tensor<2x5xi32>
  return %y : tensor<2x5xi32>
}

// -----

// SGD updates W in place: W is the output operand and read in the body. The
// divisor lr_inv * A is a scalar operand and the decay an attribute, which
// intc-use-microkernels reads to fuse the update into its weight gradient.
// CHECK-LABEL: func.func @sgd
// CHECK-SAME: (%[[W:.*]]: tensor<3x4xi32>, %[[G:.*]]: tensor<3x4xi64>, %[[LR:.*]]: i64)
// CHECK: %[[DIV:.*]] = arith.muli %[[LR]], %c640_i64 : i64
// CHECK: linalg.generic {indexing_maps = [#[[ID:.*]], #[[SCALAR:.*]], #[[ID]]], {{.*}} ins(%[[G]], %[[DIV]] : tensor<3x4xi64>, i64) outs(%[[W]] : tensor<3x4xi32>) attrs = {intc.sgd_decay_inv = 12000 : i64}
// CHECK: ^bb0(%[[GV:.*]]: i64, %[[DV:.*]]: i64, %[[WV:.*]]: i32):
// CHECK:   %[[WE:.*]] = arith.extsi %[[WV]] : i32 to i64
// CHECK:   %[[DW:.*]] = arith.divsi %[[GV]], %[[DV]] : i64
// The decay quotient is taken in the weight's own width.
// CHECK:   %[[DC:.*]] = arith.divsi %[[WV]], %c12000_i32 : i32
// CHECK:   %[[DCE:.*]] = arith.extsi %[[DC]] : i32 to i64
// CHECK:   %[[T:.*]] = arith.addi %[[DW]], %[[DCE]] : i64
// CHECK:   %[[N:.*]] = arith.subi %[[WE]], %[[T]] : i64
// CHECK:   arith.trunci %[[N]] : i64 to i32
// With fast division the per-weight tdiv(G, lr_inv * A) is a multiply-high
// by a magic number computed once (l = 64 - clz(d - 1), m = 2^(63+l) / d + 1
// in 128 bits), then shifts and the sign fix-up. The multiply-high is
// spelled in 32-bit halves (four 64-bit multiplies, no i128 in the loop) so
// that the loop vectorises.
// FAST-LABEL: func.func @sgd
// FAST: %[[DIV:.*]] = arith.muli %arg2, %c640_i64 : i64
// FAST: math.ctlz
// FAST: arith.divui %{{.*}}, %{{.*}} : i128
// FAST: linalg.generic
// FAST-NOT: i128
// FAST-COUNT-4: arith.muli %{{.*}}, %{{.*}} : i64
// FAST-NOT: arith.mulsi_extended
// FAST:   arith.shrsi
// FAST:   arith.select
// FAST-NOT: arith.divsi %{{.*}}, %{{.*}} : i64
// FAST:   arith.divsi %{{.*}}, %c12000_i32
func.func @sgd(%w: tensor<3x4xi32>, %g: tensor<3x4xi64>, %lr: i64) -> tensor<3x4xi32> {
  %n = intc.sgd_update %w, %g, %lr lr_amp 640 decay_inv 12000 : tensor<3x4xi32>, tensor<3x4xi64>
  return %n : tensor<3x4xi32>
}

// -----

// int16 weights (-weight-bits=16) saturate instead of wrapping.
// CHECK-LABEL: func.func @sgd16
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<3x4xi16>)
// CHECK:   %[[N:.*]] = arith.subi %{{.*}}, %{{.*}} : i64
// CHECK:   %[[LO:.*]] = arith.maxsi %[[N]], %c-32768_i64 : i64
// CHECK:   %[[HI:.*]] = arith.minsi %[[LO]], %c32767_i64 : i64
// CHECK:   arith.trunci %[[HI]] : i64 to i16
func.func @sgd16(%w: tensor<3x4xi16>, %g: tensor<3x4xi64>, %lr: i64) -> tensor<3x4xi16> {
  %n = intc.sgd_update %w, %g, %lr lr_amp 640 decay_inv 12000 : tensor<3x4xi16>, tensor<3x4xi64>
  return %n : tensor<3x4xi16>
}

// -----

// The loss gradient wraps into int8 like the reference (Q3).
// CHECK-LABEL: func.func @l2
// CHECK: %[[E:.*]] = arith.subi
// CHECK: %[[T:.*]] = arith.trunci %[[E]] : i32 to i8
// CHECK: arith.extsi %[[T]] : i8 to i32
func.func @l2(%p: tensor<2x3xi8>, %t: tensor<2x3xi8>) -> tensor<2x3xi32> {
  %e = intc.l2_grad %p, %t wrap8 : tensor<2x3xi8>, tensor<2x3xi8> -> tensor<2x3xi32>
  return %e : tensor<2x3xi32>
}

// -----

// Conv pads with zeros (a gather, so bufferization needs no strided copy)
// and correlates without flipping the kernel.
// CHECK-DAG: #[[XP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5, d3 + d6)>
// CHECK-LABEL: func.func @conv
// CHECK: %[[PAD:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x6x6xi8>)
// CHECK:   %[[H:.*]] = arith.subi %{{.*}}, %c1 : index
// CHECK:   %[[IN:.*]] = arith.cmpi ult, %[[H]], %c4 : index
// CHECK:   tensor.extract %arg0
// CHECK:   arith.select %{{.*}}, %{{.*}}, %c0_i8 : i8
// CHECK: linalg.generic {indexing_maps = [#[[XP]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[PAD]], %arg1
func.func @conv(%x: tensor<1x2x4x4xi8>, %w: tensor<3x2x3x3xi32>) -> tensor<1x3x4x4xi64> {
  %z = intc.conv2d %x, %w padding 1 : tensor<1x2x4x4xi8>, tensor<3x2x3x3xi32> -> tensor<1x3x4x4xi64>
  return %z : tensor<1x3x4x4xi64>
}

// -----

// Max pool: pad with the pad value, then one generic iteration per output
// scans its window in row-major order (two scf.for loops carrying the value
// and its window position, from the window's first element); a later
// element wins only if strictly larger, so the first maximum is kept. Then
// positions become plane indices.
// CHECK-LABEL: func.func @pool
// CHECK: %[[PAD:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x4x4xi8>)
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(
// CHECK: %[[FIRST:.*]] = tensor.extract %[[PAD]]
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[FIRST]], %{{.*}} = %c0_i32) -> (i8, i32)
// CHECK: scf.for {{.*}} -> (i8, i32)
// CHECK: tensor.extract %[[PAD]]
// CHECK: arith.cmpi sgt
// CHECK: linalg.generic {{.*}} ins(%[[R]]#1 : tensor<1x2x2x2xi32>)
// CHECK: arith.select %{{.*}}, %{{.*}}, %c-1_i32
func.func @pool(%x: tensor<1x2x2x4xi8>) -> (tensor<1x2x2x2xi8>, tensor<1x2x2x2xi32>) {
  %v, %i = intc.max_pool %x kernel [2, 2] padding [1, 0] pad_value 0 : tensor<1x2x2x4xi8> -> tensor<1x2x2x2xi8>, tensor<1x2x2x2xi32>
  return %v, %i : tensor<1x2x2x2xi8>, tensor<1x2x2x2xi32>
}

// -----

// Init draws from the counter-based RNG: key(seed, 0x100 + index), then
// mix64 on (key + (i + 1) * golden ratio), then a 32x32 -> 64 bit scaling.
// CHECK-LABEL: func.func @init
// CHECK-DAG: arith.constant -7046029254386353131 : i64
// CHECK-DAG: arith.constant -4658895280553007687 : i64
// CHECK-DAG: arith.constant -7723592293110705685 : i64
// CHECK: linalg.generic
// CHECK: linalg.index 0
// CHECK: arith.shrui
// CHECK: arith.muli %{{.*}}, %c21_i64
// CHECK: arith.subi %{{.*}}, %c10_i64
// CHECK: arith.trunci %{{.*}} : i64 to i32
func.func @init(%seed: i64) -> tensor<3x4xi32> {
  %w = intc.init_uniform %seed bound 10 tensor_index 2 : tensor<3x4xi32>
  return %w : tensor<3x4xi32>
}

// -----

// Dropout of a shard: element i of samples [%off, %off + 2) of a global
// batch of %gb (5 elements per sample) draws counter
// step·(gb·5) + off·5 + i, the counter of the same element in the global
// batch.
// CHECK-LABEL: func.func @dropout_shard
// CHECK-SAME: (%[[X:.*]]: tensor<2x5xi8>, %[[SEED:.*]]: i64, %[[STEP:.*]]: i64, %[[OFF:.*]]: i64, %[[GB:.*]]: i64)
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : i64
// CHECK: %[[GN:.*]] = arith.muli %[[GB]], %[[C5]] : i64
// CHECK: %[[SB:.*]] = arith.muli %[[STEP]], %[[GN]] : i64
// CHECK: %[[OB:.*]] = arith.muli %[[OFF]], %[[C5]] : i64
// CHECK: %[[BASE:.*]] = arith.addi %[[SB]], %[[OB]] : i64
// CHECK: linalg.generic
// CHECK: arith.addi %[[BASE]], %{{.*}} : i64
func.func @dropout_shard(%x: tensor<2x5xi8>, %seed: i64, %step: i64,
                         %off: i64, %gb: i64) -> tensor<2x5xi16> {
  %y = intc.dropout_apply %x, %seed, %step shard %off of %gb rate 10 stream 0 : tensor<2x5xi8> -> tensor<2x5xi16>
  return %y : tensor<2x5xi16>
}

// -----

// CHECK-LABEL: func.func @flatten
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0], [1, 2, 3]] : tensor<2x3x4x5xi8> into tensor<2x60xi8>
func.func @flatten(%x: tensor<2x3x4x5xi8>) -> tensor<2x60xi8> {
  %y = intc.flatten %x : tensor<2x3x4x5xi8> -> tensor<2x60xi8>
  return %y : tensor<2x60xi8>
}
