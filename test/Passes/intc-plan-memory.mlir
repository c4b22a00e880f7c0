// RUN: intc-opt %s -intc-plan-memory | FileCheck %s

// Three static buffers: %a (64 B) and %b (100 B) live together, %c (64 B)
// is allocated after %a's last use and takes its place. Largest first, at
// 64-byte-aligned offsets: %b at 0, %a at 128, %c at 128 again; the arena
// is 192 bytes, recorded on the function. The dynamic %d stays an alloc.
// CHECK: memref.global "private" @step_arena : memref<192xi8> {alignment = 64 : i64}
// CHECK-LABEL: func.func @step(
// CHECK-SAME: attributes {intc.arena_bytes = 192 : i64}
// CHECK: %[[ARENA:.*]] = memref.get_global @step_arena : memref<192xi8>
// CHECK: %[[OA:.*]] = arith.constant 128 : index
// CHECK: %[[A:.*]] = memref.view %[[ARENA]][%[[OA]]][] : memref<192xi8> to memref<16xi32>
// CHECK: %[[OB:.*]] = arith.constant 0 : index
// CHECK: %[[B:.*]] = memref.view %[[ARENA]][%[[OB]]][] : memref<192xi8> to memref<100xi8>
// CHECK: memref.load %[[A]]
// CHECK: %[[OC:.*]] = arith.constant 128 : index
// CHECK: %[[C:.*]] = memref.view %[[ARENA]][%[[OC]]][] : memref<192xi8> to memref<8xi64>
// CHECK: memref.load %[[B]]
// CHECK: memref.load %[[C]]
// CHECK-NOT: memref.dealloc %[[A]]
// CHECK: %[[D:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// CHECK: memref.dealloc %[[D]]
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @step(%out: memref<16xi32>, %n: index) {
  %c0 = arith.constant 0 : index
  %v = arith.constant 7 : i32
  %a = memref.alloc() : memref<16xi32>
  %b = memref.alloc() : memref<100xi8>
  memref.store %v, %a[%c0] : memref<16xi32>
  %x = memref.load %a[%c0] : memref<16xi32>
  memref.dealloc %a : memref<16xi32>
  %c = memref.alloc() : memref<8xi64>
  %y = memref.load %b[%c0] : memref<100xi8>
  %z = memref.load %c[%c0] : memref<8xi64>
  memref.store %x, %out[%c0] : memref<16xi32>
  memref.dealloc %b : memref<100xi8>
  memref.dealloc %c : memref<8xi64>
  %d = memref.alloc(%n) : memref<?xi32>
  memref.dealloc %d : memref<?xi32>
  return
}

// A function without temporaries gets no arena.
// CHECK-NOT: @none_arena
// CHECK-LABEL: func.func @none(
// CHECK-NOT: intc.arena_bytes
func.func @none(%out: memref<4xi32>) {
  return
}
