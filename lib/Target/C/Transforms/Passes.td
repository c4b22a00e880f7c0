//===- Passes.td - Passes of the C target ------------------*- tablegen -*-===//

#ifndef INTC_TARGET_C_PASSES_TD
#define INTC_TARGET_C_PASSES_TD

include "mlir/Pass/PassBase.td"

def FlattenMemRefs : Pass<"intc-flatten-memrefs", "::mlir::ModuleOp"> {
  let summary = "Turn every memref access into a 1-D access to a function "
                "argument (for EmitC)";
  let description = [{
    MLIR's memref-to-emitc conversion only handles loads and stores on
    static, identity-layout memrefs; it has no lowering for the views that
    bufferization and `intc-plan-memory` create (`memref.reinterpret_cast`
    into the state, `memref.view` into the arena, `memref.subview`,
    `memref.collapse_shape`, `memref.expand_shape`, `memref.cast`). This pass
    removes them so that `-convert-to-emitc` can take the whole function:

    * every memref argument becomes a 1-D memref of its element count (a C
      array parameter, i.e. a pointer);
    * the function's arena (the `memref.global` that `intc-plan-memory`
      made, viewed with `memref.view`) becomes one extra 1-D argument per
      element type the function views it as, appended after the original
      arguments, and the function gets `intc.arena_args` (the list of those
      element types) so the caller can pass the same byte buffer under each
      type; the arena global itself is removed;
    * every `memref.load` / `memref.store` goes to the root argument with the
      index `offset + sum(index_i * stride_i)` computed in `index`
      arithmetic from the strided layout of the view it used.

    Strides must be static; offsets may be dynamic (the tiles that
    `intc-fuse` makes are subviews at a loop index): the offset is then
    computed once, right after the view, from its source's offset and
    strides. Anything else that touches a memref (allocations the planner
    could not place, copies, calls) is an error at that op, because the C
    target has no heap.

    ```mlir
    %w = memref.reinterpret_cast %state to offset: [78400], sizes: [10, 100],
           strides: [100, 1] : memref<85400xi32> to memref<10x100xi32, ...>
    %v = memref.load %w[%i, %j]
    // becomes
    %k = arith.addi(arith.muli %i, 100), %j ; %k2 = arith.addi %k, 78400
    %v = memref.load %state[%k2] : memref<85400xi32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def WidenIndexDivision : Pass<"intc-widen-index-division",
                              "::mlir::ModuleOp"> {
  let summary = "Divide `index` values in i64 (for EmitC)";
  let description = [{
    EmitC spells `index` as `size_t`, an unsigned type. MLIR 22's
    arith-to-emitc turns `arith.divsi` / `arith.remsi` on `index` into a
    `size_t` division, which is wrong for a negative operand, and has no
    lowering at all for `arith.divui` / `arith.remui` on `index` (the
    max-pool backward splits a flat argmax with them). This pass performs
    each of them in i64, which has the exact signed or unsigned semantics in
    C (`int64_t` / `uint64_t` after arith-to-emitc):

    ```mlir
    %q = arith.divui %i, %c6 : index
    // becomes
    %i64 = arith.index_castui %i : index to i64
    %q64 = arith.divui %i64, %c6_i64 : i64
    %q = arith.index_castui %q64 : i64 to index
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

#endif // INTC_TARGET_C_PASSES_TD
