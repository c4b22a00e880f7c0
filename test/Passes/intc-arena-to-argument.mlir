// RUN: intc-opt %s -split-input-file -verify-diagnostics -intc-arena-to-argument | FileCheck %s

// The arena global becomes the function's last argument; its views read it.
// CHECK-NOT: memref.global
// CHECK-LABEL: func.func @step(
// CHECK-SAME: %{{.*}}: memref<4xi32>, %{{.*}}: i64, %[[ARENA:.*]]: memref<256xi8>)
// CHECK-SAME: intc.arena_arg
// CHECK-NOT: memref.get_global
// CHECK: memref.view %[[ARENA]][%{{.*}}][] : memref<256xi8> to memref<16xi64>
// CHECK: memref.view %[[ARENA]][%{{.*}}][] : memref<256xi8> to memref<4xi32>
// A function without an arena keeps its signature.
// CHECK-LABEL: func.func @init(%{{.*}}: memref<4xi32>)
// CHECK-NOT: intc.arena_arg
memref.global "private" @step_arena : memref<256xi8> {alignment = 64 : i64}
func.func @step(%s: memref<4xi32>, %k: i64) attributes {intc.arena_bytes = 256 : i64} {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  %a = memref.get_global @step_arena : memref<256xi8>
  %z = memref.view %a[%c0][] : memref<256xi8> to memref<16xi64>
  %b = memref.get_global @step_arena : memref<256xi8>
  %y = memref.view %b[%c128][] : memref<256xi8> to memref<4xi32>
  return
}
func.func @init(%s: memref<4xi32>) {
  return
}

// -----

memref.global "private" constant @table : memref<2xi32> = dense<[1, 2]>
func.func @f() {
  // expected-error @+1 {{reads a global with an initial value}}
  %t = memref.get_global @table : memref<2xi32>
  return
}

// -----

// expected-error @+1 {{is used by several functions}}
memref.global "private" @shared_arena : memref<64xi8>
func.func @a() {
  %x = memref.get_global @shared_arena : memref<64xi8>
  return
}
func.func @b() {
  %x = memref.get_global @shared_arena : memref<64xi8>
  return
}

// -----

memref.global "private" @callee_arena : memref<64xi8>
// expected-error @+1 {{is called, so its arena cannot become an argument}}
func.func @callee() {
  %x = memref.get_global @callee_arena : memref<64xi8>
  return
}
func.func @caller() {
  func.call @callee() : () -> ()
  return
}
