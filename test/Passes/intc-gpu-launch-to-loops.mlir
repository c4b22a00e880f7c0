// RUN: intc-opt %s -split-input-file -verify-diagnostics -intc-gpu-launch-to-loops | FileCheck %s

// A launch becomes loops over blocks then threads (z, y, x each), the ids
// become the induction variables and the sizes the launch's operands.
// CHECK-LABEL: func.func @launch(
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: scf.for %{{.*}} = %[[C0]] to %[[C1]]
// CHECK: scf.for %{{.*}} = %[[C0]] to %[[C1]]
// CHECK: scf.for %[[BX:.*]] = %[[C0]] to %[[C3]]
// CHECK: scf.for %{{.*}} = %[[C0]] to %[[C1]]
// CHECK: scf.for %{{.*}} = %[[C0]] to %[[C1]]
// CHECK: scf.for %[[TX:.*]] = %[[C0]] to %[[C32]]
// CHECK: %[[M:.*]] = arith.muli %[[BX]], %[[C32]]
// CHECK: %[[ID:.*]] = arith.addi %[[M]], %[[TX]]
// CHECK: memref.store %{{.*}}, %arg0[%[[ID]]]
// CHECK-NOT: gpu.
func.func @launch(%x: memref<96xi32>) {
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c32 = arith.constant 32 : index
  %v = arith.constant 7 : i32
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c3, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%nx = %c32, %ny = %c1, %nz = %c1) {
    %m = arith.muli %bx, %nx : index
    %id = arith.addi %m, %tx : index
    memref.store %v, %x[%id] : memref<96xi32>
    gpu.terminator
  }
  return
}

// -----

func.func @barrier() {
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{synchronises threads; cannot emulate it}}
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%nx = %c1, %ny = %c1, %nz = %c1) {
    gpu.barrier
    gpu.terminator
  }
  return
}
