// RUN: intc-opt %s -intc-lower-parallel-calls | FileCheck %s

// The call of an outlined loop (intc-outline-parallel-loops, after
// convert-func-to-llvm with bare pointers) becomes a call of the runtime:
// the arguments after (lo, hi) go into a stack struct, allocated once in
// the entry block, and @step_par0_slice unpacks them for each slice.
// CHECK:       llvm.func @step(%[[X:.*]]: !llvm.ptr, %[[S:.*]]: i32) {
// CHECK-NEXT:    %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-NEXT:    %[[CTX:.*]] = llvm.alloca %[[ONE]] x !llvm.struct<(ptr, i32)> : (i64) -> !llvm.ptr
// CHECK:         %[[HI:.*]] = llvm.mlir.constant(64 : index) : i64
// CHECK:         %[[LO:.*]] = llvm.mlir.constant(0 : index) : i64
// CHECK:         llvm.br ^bb1
// CHECK:       ^bb1:
// CHECK-NEXT:    %[[F0:.*]] = llvm.getelementptr %[[CTX]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i32)>
// CHECK-NEXT:    llvm.store %[[X]], %[[F0]] : !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[F1:.*]] = llvm.getelementptr %[[CTX]][0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i32)>
// CHECK-NEXT:    llvm.store %[[S]], %[[F1]] : i32, !llvm.ptr
// CHECK-NEXT:    %[[FN:.*]] = llvm.mlir.addressof @step_par0_slice : !llvm.ptr
// CHECK-NEXT:    llvm.call @intc_cpu_parallel_for(%[[FN]], %[[CTX]], %[[LO]], %[[HI]]) : (!llvm.ptr, !llvm.ptr, i64, i64) -> ()
// CHECK-NOT:     llvm.call @step_par0(
// CHECK:         llvm.return
llvm.func @step(%x: !llvm.ptr, %s: i32) {
  %hi = llvm.mlir.constant(64 : index) : i64
  %lo = llvm.mlir.constant(0 : index) : i64
  llvm.br ^bb1
^bb1:
  llvm.call @step_par0(%lo, %hi, %x, %s) : (i64, i64, !llvm.ptr, i32) -> ()
  llvm.return
}

// The body becomes internal; the slice loads each argument and calls it.
// CHECK:       llvm.func internal @step_par0(%{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr, %{{.*}}: i32) attributes {intc.parallel_body
// CHECK:       llvm.func internal @step_par0_slice(%[[C:.*]]: !llvm.ptr, %[[L:.*]]: i64, %[[H:.*]]: i64) {
// CHECK-NEXT:    %[[P0:.*]] = llvm.getelementptr %[[C]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i32)>
// CHECK-NEXT:    %[[A0:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[P1:.*]] = llvm.getelementptr %[[C]][0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i32)>
// CHECK-NEXT:    %[[A1:.*]] = llvm.load %[[P1]] : !llvm.ptr -> i32
// CHECK-NEXT:    llvm.call @step_par0(%[[L]], %[[H]], %[[A0]], %[[A1]]) : (i64, i64, !llvm.ptr, i32) -> ()
// CHECK-NEXT:    llvm.return
llvm.func @step_par0(%lo: i64, %hi: i64, %x: !llvm.ptr, %s: i32) attributes {intc.parallel_body, sym_visibility = "private"} {
  llvm.return
}

// The runtime function is declared once.
// CHECK:       llvm.func @intc_cpu_parallel_for(!llvm.ptr, !llvm.ptr, i64, i64)
// CHECK-NOT:   llvm.func @intc_cpu_parallel_for
