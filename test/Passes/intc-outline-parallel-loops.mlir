// RUN: intc-opt %s -intc-outline-parallel-loops=min-work=1024 -split-input-file | FileCheck %s
// RUN: intc-opt %s -intc-outline-parallel-loops -split-input-file | FileCheck %s --check-prefix=DEFAULT

// An element-wise loop over 64x100 elements: moved into @rescale_par0 over
// a range of its widest dimension (100; the store indexes with both %i and
// %j, so either may be split), called once over the whole range [0, 100).
// Constants are cloned, the scalar passed, the memrefs passed as base
// buffers and rebuilt with their static layout.
// CHECK-LABEL: func.func @rescale(
// CHECK-SAME:    %[[Z:.*]]: memref<64x100xi64>, %[[A:.*]]: memref<64x100xi8>, %[[S:.*]]: i64)
// CHECK:         %[[ZB:.*]], %{{.*}}, %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %[[Z]]
// CHECK-NEXT:    %[[AB:.*]], %{{.*}}, %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %[[A]]
// CHECK-NEXT:    call @rescale_par0(%c0{{.*}}, %c100{{.*}}, %[[ZB]], %[[AB]], %[[S]]) : (index, index, memref<i64>, memref<i8>, i64) -> ()
// CHECK-NOT:     scf.parallel
// CHECK:         return
// CHECK:       func.func private @rescale_par0(%[[LO:.*]]: index, %[[HI:.*]]: index, %[[ZB2:.*]]: memref<i64>, %[[AB2:.*]]: memref<i8>, %[[S2:.*]]: i64) attributes {intc.parallel_body}
// CHECK-DAG:     %[[Z2:.*]] = memref.reinterpret_cast %[[ZB2]] to offset: [0], sizes: [64, 100], strides: [100, 1] : memref<i64> to memref<64x100xi64>
// CHECK-DAG:     %[[A2:.*]] = memref.reinterpret_cast %[[AB2]] to offset: [0], sizes: [64, 100], strides: [100, 1] : memref<i8> to memref<64x100xi8>
// CHECK:         %[[M0:.*]] = arith.muli %[[LO]], %{{.*}} : index
// CHECK:         %[[LB:.*]] = arith.addi %{{.*}}, %[[M0]] : index
// CHECK:         %[[M1:.*]] = arith.muli %[[HI]], %{{.*}} : index
// CHECK:         %[[UB:.*]] = arith.addi %{{.*}}, %[[M1]] : index
// CHECK:         scf.parallel (%[[I:.*]], %[[J:.*]]) = (%c0{{.*}}, %[[LB]]) to (%c64{{.*}}, %[[UB]])
// CHECK:           memref.load %[[Z2]][%[[I]], %[[J]]]
// CHECK:           arith.shrsi %{{.*}}, %[[S2]]
// CHECK:           memref.store %{{.*}}, %[[A2]][%[[I]], %[[J]]]
// CHECK:         return
// The default min-work (262144) keeps a 6400-element loop of 4 operations.
// DEFAULT-LABEL: func.func @rescale(
// DEFAULT:         scf.parallel
// DEFAULT-NOT:   func.func private @rescale_par0
func.func @rescale(%z: memref<64x100xi64>, %a: memref<64x100xi8>, %s: i64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c100 = arith.constant 100 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c100) step (%c1, %c1) {
    %v = memref.load %z[%i, %j] : memref<64x100xi64>
    %r = arith.shrsi %v, %s : i64
    %t = arith.trunci %r : i64 to i8
    memref.store %t, %a[%i, %j] : memref<64x100xi8>
  }
  return
}

// -----

// Steps and lower bounds carry over: iterations [lo, hi) of dimension 0 are
// 8 + 2 * lo to 8 + 2 * hi (ceil((200 - 8) / 2) = 96 iterations).
// CHECK-LABEL: func.func @strided(
// CHECK:         call @strided_par0(%{{.*}}, %c96{{.*}}, %{{.*}})
// CHECK:       func.func private @strided_par0(%[[LO:.*]]: index, %[[HI:.*]]: index,
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK:         %[[M0:.*]] = arith.muli %[[LO]], %[[C2]]
// CHECK:         %[[LB:.*]] = arith.addi %[[C8]], %[[M0]]
// CHECK:         %[[M1:.*]] = arith.muli %[[HI]], %[[C2]]
// CHECK:         %[[UB:.*]] = arith.addi %[[C8]], %[[M1]]
// CHECK:         scf.parallel (%{{.*}}) = (%[[LB]]) to (%[[UB]]) step (%[[C2]])
func.func @strided(%a: memref<200x64xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c200 = arith.constant 200 : index
  %one = arith.constant 1 : i32
  scf.parallel (%i) = (%c8) to (%c200) step (%c2) {
    scf.for %j = %c0 to %c64 step %c1 {
      %v = memref.load %a[%i, %j] : memref<200x64xi32>
      %w = arith.addi %v, %one : i32
      memref.store %w, %a[%i, %j] : memref<200x64xi32>
    }
  }
  return
}

// -----

// A view with a dynamic offset (a tile at a loop index) is passed with that
// offset, and rebuilt with it.
// CHECK-LABEL: func.func @tile(
// CHECK:         %[[V:.*]] = memref.subview
// CHECK:         %[[B:.*]], %[[OFF:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %[[V]]
// CHECK:         call @tile_par0(%{{.*}}, %{{.*}}, %[[B]], %[[OFF]]) : (index, index, memref<i16>, index) -> ()
// CHECK:       func.func private @tile_par0(%{{.*}}: index, %{{.*}}: index, %[[B2:.*]]: memref<i16>, %[[OFF2:.*]]: index)
// CHECK:         memref.reinterpret_cast %[[B2]] to offset: [%[[OFF2]]], sizes: [32, 256], strides: [256, 1] : memref<i16> to memref<32x256xi16, strided<[256, 1], offset: ?>>
func.func @tile(%a: memref<128x256xi16>, %row: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c256 = arith.constant 256 : index
  %zero = arith.constant 0 : i16
  %v = memref.subview %a[%row, 0] [32, 256] [1, 1] : memref<128x256xi16> to memref<32x256xi16, strided<[256, 1], offset: ?>>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c32, %c256) step (%c1, %c1) {
    memref.store %zero, %v[%i, %j] : memref<32x256xi16, strided<[256, 1], offset: ?>>
  }
  return
}

// -----

// Slices must write disjoint elements. The store indexes the output with %i
// only, so dimension 0 is split even though dimension 1 is wider (one
// thread runs all of a row's %j).
// CHECK-LABEL: func.func @rows(
// CHECK:         call @rows_par0(%{{.*}}, %c16{{.*}}, %{{.*}}, %{{.*}})
func.func @rows(%x: memref<16x4096xi32>, %y: memref<16xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c4096 = arith.constant 4096 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c16, %c4096) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<16x4096xi32>
    %w = arith.addi %v, %v : i32
    memref.store %w, %y[%i] : memref<16xi32>
  }
  return
}

// -----

// No dimension indexes every store: slices could write the same element.
// CHECK-LABEL: func.func @scatter(
// CHECK:         scf.parallel
// CHECK-NOT:   func.func private @scatter_par0
func.func @scatter(%x: memref<64x64xi32>, %idx: memref<64x64xindex>, %y: memref<4096xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c64) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<64x64xi32>
    %k = memref.load %idx[%i, %j] : memref<64x64xindex>
    memref.store %v, %y[%k] : memref<4096xi32>
  }
  return
}

// -----

// A loop that calls a function stays: the callee may do anything.
// CHECK-LABEL: func.func @calls(
// CHECK:         scf.parallel
// CHECK:           func.call @hook
// CHECK-NOT:   func.func private @calls_par0
func.func private @hook(i64)
func.func @calls(%x: memref<64x64xi64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c64) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<64x64xi64>
    func.call @hook(%v) : (i64) -> ()
    memref.store %v, %x[%i, %j] : memref<64x64xi64>
  }
  return
}

// -----

// Bounds that are not constants: the work cannot be sized, the loop stays.
// CHECK-LABEL: func.func @dynamic(
// CHECK:         scf.parallel
// CHECK-NOT:   func.func private @dynamic_par0
func.func @dynamic(%x: memref<?xi64>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %x[%i] : memref<?xi64>
    memref.store %v, %x[%i] : memref<?xi64>
  }
  return
}

// -----

// Several loops of one function: numbered in order, each after the last.
// CHECK-LABEL: func.func @two(
// CHECK:         call @two_par0(
// CHECK:         call @two_par1(
// CHECK:       func.func private @two_par0(
// CHECK:       func.func private @two_par1(
func.func @two(%x: memref<128x64xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %k = arith.constant 3 : i32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c128, %c64) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<128x64xi32>
    %w = arith.muli %v, %k : i32
    memref.store %w, %x[%i, %j] : memref<128x64xi32>
  }
  scf.parallel (%i, %j) = (%c0, %c0) to (%c128, %c64) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<128x64xi32>
    %w = arith.addi %v, %k : i32
    memref.store %w, %x[%i, %j] : memref<128x64xi32>
  }
  return
}

// -----

// Stores to an alloca of the body are the iteration's own and do not count;
// stores through a view made inside the body may alias other iterations'
// memory, so they must index with the dimension like any other.
// CHECK-LABEL: func.func @scratch(
// CHECK:         call @scratch_par0(
// CHECK-LABEL: func.func @view_inside(
// CHECK:         scf.parallel
// CHECK-NOT:   func.func private @view_inside_par0
func.func @scratch(%x: memref<512x64xi32>, %y: memref<512xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c512 = arith.constant 512 : index
  scf.parallel (%i) = (%c0) to (%c512) step (%c1) {
    %t = memref.alloca() : memref<1xi32>
    %zero = arith.constant 0 : i32
    memref.store %zero, %t[%c0] : memref<1xi32>
    scf.for %j = %c0 to %c64 step %c1 {
      %v = memref.load %x[%i, %j] : memref<512x64xi32>
      %a = memref.load %t[%c0] : memref<1xi32>
      %s = arith.addi %a, %v : i32
      memref.store %s, %t[%c0] : memref<1xi32>
    }
    %r = memref.load %t[%c0] : memref<1xi32>
    memref.store %r, %y[%i] : memref<512xi32>
  }
  return
}
func.func @view_inside(%x: memref<512x64xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c512 = arith.constant 512 : index
  %one = arith.constant 1 : i32
  scf.parallel (%i) = (%c0) to (%c512) step (%c1) {
    %row = memref.subview %x[%i, 0] [1, 64] [1, 1] : memref<512x64xi32> to memref<64xi32, strided<[1], offset: ?>>
    scf.for %j = %c0 to %c64 step %c1 {
      %v = memref.load %row[%j] : memref<64xi32, strided<[1], offset: ?>>
      %w = arith.addi %v, %one : i32
      memref.store %w, %row[%j] : memref<64xi32, strided<[1], offset: ?>>
    }
  }
  return
}
