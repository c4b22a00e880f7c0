// RUN: intc-opt %s -split-input-file -verify-diagnostics -intc-map-to-gpu -cse | FileCheck %s
// RUN: intc-opt %s -split-input-file -verify-diagnostics -intc-map-to-gpu=threads=64 -cse | FileCheck %s --check-prefix=T64

// A 3-D parallel loop (6 x 10 x 7 = 420 iterations) becomes one launch of
// 2 blocks of 256 threads; each thread checks its id against 420 and
// recovers (i, j, k) from it, the last dimension fastest.
// CHECK-LABEL: func.func @nest(
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C256:.*]] = arith.constant 256 : index
// CHECK: gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C2]], %{{.*}} = %[[C1]], %{{.*}} = %[[C1]]) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%[[NT:.*]] = %[[C256]], %{{.*}} = %[[C1]], %{{.*}} = %[[C1]])
// CHECK: %[[MUL:.*]] = arith.muli %[[BX]], %[[NT]]
// CHECK: %[[ID:.*]] = arith.addi %[[MUL]], %[[TX]]
// CHECK: %[[IN:.*]] = arith.cmpi ult, %[[ID]], %{{.*}}
// CHECK: scf.if %[[IN]] {
// CHECK: %[[K:.*]] = arith.remui %[[ID]], %{{.*}}
// CHECK: %[[R:.*]] = arith.divui %[[ID]], %{{.*}}
// CHECK: %[[J:.*]] = arith.remui %[[R]], %{{.*}}
// CHECK: %[[I:.*]] = arith.divui %[[R]], %{{.*}}
// CHECK: memref.load %arg0[%{{.*}}, %{{.*}}, %{{.*}}]
// CHECK: scf.for
// CHECK: memref.store
// CHECK: gpu.terminator
// CHECK-NOT: scf.parallel
// T64-LABEL: func.func @nest(
// T64: %[[C7:.*]] = arith.constant 7 : index
// T64: gpu.launch blocks({{.*}}) in (%{{.*}} = %[[C7]],
func.func @nest(%x: memref<6x10x7xi32>, %y: memref<6x10x7xi64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c6 = arith.constant 6 : index
  %c7 = arith.constant 7 : index
  %c10 = arith.constant 10 : index
  scf.parallel (%i, %j, %k) = (%c0, %c0, %c0) to (%c6, %c10, %c7) step (%c1, %c1, %c1) {
    %v = memref.load %x[%i, %j, %k] : memref<6x10x7xi32>
    %w = arith.extsi %v : i32 to i64
    %s = scf.for %r = %c0 to %c3 step %c1 iter_args(%acc = %w) -> i64 {
      %a = arith.addi %acc, %w : i64
      scf.yield %a : i64
    }
    memref.store %s, %y[%i, %j, %k] : memref<6x10x7xi64>
    scf.reduce
  }
  return
}

// -----

// A small loop gets one block of exactly its size; a stray store runs in a
// one-thread launch; a call (a runtime/cuda launcher) stays on the host.
// CHECK-LABEL: func.func @small(
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : index
// CHECK: gpu.launch blocks(%{{.*}}) in (%{{.*}} = %[[C1]], %{{.*}} = %[[C1]], %{{.*}} = %[[C1]]) threads(%{{.*}}) in (%{{.*}} = %[[C5]],
// CHECK: gpu.launch blocks(%{{.*}}) in (%{{.*}} = %[[C1]], %{{.*}} = %[[C1]], %{{.*}} = %[[C1]]) threads(%{{.*}}) in (%{{.*}} = %[[C1]],
// CHECK-NEXT: memref.store
// CHECK: gpu.terminator
// CHECK: call @launcher
func.func private @launcher(memref<i8>, i64)
func.func @small(%x: memref<5xi8>, %p: memref<i8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %z = arith.constant 0 : i8
  %off = arith.constant 0 : i64
  scf.parallel (%i) = (%c0) to (%c5) step (%c1) {
    memref.store %z, %x[%i] : memref<5xi8>
    scf.reduce
  }
  memref.store %z, %p[] : memref<i8>
  func.call @launcher(%p, %off) : (memref<i8>, i64) -> ()
  return
}

// -----

func.func @host_alloc() {
  // expected-error @+1 {{is a host allocation, which GPU kernels cannot use}}
  %a = memref.alloc() : memref<4xi8>
  return
}

// -----

func.func @host_read(%x: memref<4xi32>) -> i32 {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{touches memory and its results are used on the host}}
  %v = memref.load %x[%c0] : memref<4xi32>
  return %v : i32
}
