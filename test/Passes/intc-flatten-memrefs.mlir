// RUN: intc-opt %s -split-input-file -intc-flatten-memrefs -verify-diagnostics | FileCheck %s

// Views of the state fold into the index of each access; arguments become
// 1-D; the arena becomes one argument per element type it is viewed as, in
// order of width, and the arena global disappears.

// CHECK-NOT: memref.global
// CHECK-LABEL: func.func @step(
// CHECK-SAME: %[[STATE:.*]]: memref<120xi32>, %[[X:.*]]: memref<24xi8>, %[[I:.*]]: index, %[[J:.*]]: index, %[[A8:.*]]: memref<256xi8>, %[[A64:.*]]: memref<32xi64>)
// CHECK-SAME: intc.arena_args = [i8, i64]
memref.global "private" @step_arena : memref<256xi8> {alignment = 64 : i64}
func.func @step(%state: memref<120xi32>, %x: memref<2x3x4xi8>, %i: index, %j: index) attributes {intc.arena_bytes = 256 : i64} {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %w = memref.reinterpret_cast %state to offset: [100], sizes: [2, 10], strides: [10, 1] : memref<120xi32> to memref<2x10xi32, strided<[10, 1], offset: 100>>
  // CHECK: %[[R:.*]] = arith.muli %[[I]], %c10
  // CHECK: %[[R1:.*]] = arith.addi %[[R]], %[[J]]
  // CHECK: %[[R2:.*]] = arith.addi %[[R1]], %c100
  // CHECK: memref.load %[[STATE]][%[[R2]]] : memref<120xi32>
  %v = memref.load %w[%i, %j] : memref<2x10xi32, strided<[10, 1], offset: 100>>
  %xs = memref.collapse_shape %x [[0], [1, 2]] : memref<2x3x4xi8> into memref<2x12xi8>
  // CHECK: %[[S:.*]] = arith.muli %[[I]], %c12
  // CHECK: %[[S1:.*]] = arith.addi %[[S]], %[[J]]
  // CHECK: %[[XV:.*]] = memref.load %[[X]][%[[S1]]] : memref<24xi8>
  %xv = memref.load %xs[%i, %j] : memref<2x12xi8>
  %arena = memref.get_global @step_arena : memref<256xi8>
  %a = memref.view %arena[%c0][] : memref<256xi8> to memref<4x2xi64>
  %b = memref.view %arena[%c64][] : memref<256xi8> to memref<8xi8>
  // The i64 view at byte 0, row stride 2.
  // CHECK: %[[T:.*]] = arith.muli %[[J]], %c2
  // CHECK: %[[T1:.*]] = arith.addi %[[T]], %c0
  // CHECK: memref.store %{{.*}}, %[[A64]][%[[T1]]] : memref<32xi64>
  %e = arith.extsi %v : i32 to i64
  memref.store %e, %a[%j, %c0] : memref<4x2xi64>
  // The i8 view at byte 64.
  // CHECK: %[[U:.*]] = arith.addi %[[I]], %c64
  // CHECK: memref.store %[[XV]], %[[A8]][%[[U]]] : memref<256xi8>
  memref.store %xv, %b[%i] : memref<8xi8>
  // CHECK-NOT: memref.view
  // CHECK-NOT: memref.get_global
  return
}

// -----

// Subviews and expand_shape keep the base pointer; their static layout
// gives the offset and strides.

// CHECK-LABEL: func.func @subview(
// CHECK-SAME: %[[M:.*]]: memref<64xi32>
func.func @subview(%m: memref<8x8xi32>, %i: index) -> i32 {
  %s = memref.subview %m[2, 3] [4, 4] [1, 1] : memref<8x8xi32> to memref<4x4xi32, strided<[8, 1], offset: 19>>
  %e = memref.expand_shape %s [[0, 1], [2]] output_shape [2, 2, 4] : memref<4x4xi32, strided<[8, 1], offset: 19>> into memref<2x2x4xi32, strided<[16, 8, 1], offset: 19>>
  // CHECK: %[[K:.*]] = arith.muli %{{.*}}, %c16
  // CHECK: %[[L:.*]] = arith.muli %{{.*}}, %c8
  // CHECK: %[[K1:.*]] = arith.addi %[[K]], %[[L]]
  // CHECK: %[[K2:.*]] = arith.addi %[[K1]], %{{.*}}
  // CHECK: %[[K3:.*]] = arith.addi %[[K2]], %c19
  // CHECK: memref.load %[[M]][%[[K3]]] : memref<64xi32>
  %v = memref.load %e[%i, %i, %i] : memref<2x2x4xi32, strided<[16, 8, 1], offset: 19>>
  return %v : i32
}

// -----

// A tile of a view at a loop index (what intc-fuse leaves after
// bufferization): the dynamic offset is computed after the subview from the
// source's offset and strides, and subviews of it add theirs.

// CHECK-LABEL: func.func @tiles(
// CHECK-SAME: %[[S:.*]]: memref<120xi32>
func.func @tiles(%state: memref<120xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c10 = arith.constant 10 : index
  %w = memref.reinterpret_cast %state to offset: [100], sizes: [2, 10], strides: [10, 1] : memref<120xi32> to memref<2x10xi32, strided<[10, 1], offset: 100>>
  // CHECK: scf.for %[[I:.*]] =
  scf.for %i = %c0 to %c2 step %c1 {
    // CHECK: %[[R:.*]] = arith.muli %[[I]], %c10
    // CHECK: %[[O:.*]] = arith.addi %[[R]], %c100
    %t = memref.subview %w[%i, 0] [1, 10] [1, 1] : memref<2x10xi32, strided<[10, 1], offset: 100>> to memref<1x10xi32, strided<[10, 1], offset: ?>>
    // CHECK: %[[C:.*]] = arith.addi %[[O]], %c4
    %u = memref.subview %t[0, 4] [1, 2] [1, 1] : memref<1x10xi32, strided<[10, 1], offset: ?>> to memref<2xi32, strided<[1], offset: ?>>
    // CHECK: %[[K:.*]] = arith.addi %c1{{.*}}, %[[C]]
    // CHECK: memref.store %{{.*}}, %[[S]][%[[K]]] : memref<120xi32>
    %v = arith.constant 7 : i32
    memref.store %v, %u[%c1] : memref<2xi32, strided<[1], offset: ?>>
  }
  return
}

// -----

// The C target has no heap: an allocation the planner did not place is an
// error at that op.
func.func @heap(%i: index) {
  // expected-error @+1 {{'memref.alloc' op is not supported by the C target (no heap, views with static strides only)}}
  %a = memref.alloc(%i) : memref<?xi32>
  %c0 = arith.constant 0 : index
  %v = memref.load %a[%c0] : memref<?xi32>
  return
}
