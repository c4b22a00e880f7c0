// RUN: intc-opt %s -intc-widen-index-division | FileCheck %s

// Index division and remainder happen in i64 with the op's signedness, so
// that EmitC's size_t cannot change their meaning; other types are left
// alone.

// CHECK-LABEL: func.func @index_division(
// CHECK-SAME: %[[A:.*]]: index, %[[B:.*]]: index
func.func @index_division(%a: index, %b: index) -> (index, index, index, index) {
  // CHECK: %[[A64:.*]] = arith.index_castui %[[A]] : index to i64
  // CHECK: %[[B64:.*]] = arith.index_castui %[[B]] : index to i64
  // CHECK: %[[Q:.*]] = arith.divui %[[A64]], %[[B64]] : i64
  // CHECK: %[[QI:.*]] = arith.index_castui %[[Q]] : i64 to index
  %0 = arith.divui %a, %b : index
  // CHECK: arith.remui %{{.*}}, %{{.*}} : i64
  %1 = arith.remui %a, %b : index
  // CHECK: %[[SA:.*]] = arith.index_cast %[[A]] : index to i64
  // CHECK: %[[SB:.*]] = arith.index_cast %[[B]] : index to i64
  // CHECK: arith.divsi %[[SA]], %[[SB]] : i64
  %2 = arith.divsi %a, %b : index
  // CHECK: arith.remsi %{{.*}}, %{{.*}} : i64
  %3 = arith.remsi %a, %b : index
  // CHECK-NOT: arith.{{(div|rem)[su]i}} {{.*}} : index
  return %0, %1, %2, %3 : index, index, index, index
}

// CHECK-LABEL: func.func @integers(
func.func @integers(%a: i32, %b: i32) -> i32 {
  // CHECK: arith.divui %{{.*}}, %{{.*}} : i32
  %0 = arith.divui %a, %b : i32
  return %0 : i32
}
