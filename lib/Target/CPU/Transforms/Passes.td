//===- Passes.td - Passes of the CPU target ----------------*- tablegen -*-===//

#ifndef INTC_TARGET_CPU_PASSES_TD
#define INTC_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def OutlineParallelLoops : Pass<"intc-outline-parallel-loops",
                                "::mlir::ModuleOp"> {
  let summary = "Move large parallel loops into functions over a range, "
                "for the thread pool";
  let description = [{
    The matmul-like reductions run on the `runtime/cpu` thread pool inside
    their microkernels; everything else of a training step (rescale and
    activation, the loss, the SGD updates, pooling and its backward, the
    dropout masks) is loops that `convert-linalg-to-parallel-loops` made
    into `scf.parallel`. This pass gives each large one to the pool too.

    Every outermost `scf.parallel` without results whose bounds are
    constants and whose estimated work (iterations times the operations of
    the body, nested loops counted with their trip counts) reaches
    `min-work` is moved into a new private function
    `@<function>_par<N>(%lo: index, %hi: index, ...)` that runs the
    iterations `[lo, hi)` of one dimension (the widest one that may be
    split) and the whole range of the others. The loop is replaced by a
    call of that function over the whole range, so the program means
    exactly what it meant before; `intc-lower-parallel-calls` later turns
    the call into `intc_cpu_parallel_for`, which cuts the range into one
    slice per thread.

    A dimension may be split only if every store in the loop indexes its
    memref with that dimension's induction variable itself (stores to an
    alloca of the body excepted: it is the iteration's own): the slices
    then write disjoint elements, and the result is the same, bit for bit,
    for any number of threads. Loops that call functions, or whose stores
    do not index that way, stay where they are.

    The values the loop uses from outside become arguments: integers and
    indices as they are, constants are cloned, and each memref as its base
    buffer (a 0-d memref, one bare pointer after `convert-func-to-llvm`)
    plus the dynamic parts of its offset, sizes and strides, rebuilt with
    `memref.reinterpret_cast` inside.

    ```mlir
    scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c100) step (%c1, %c1) {
      %v = memref.load %z[%i, %j] : memref<64x100xi64>
      ...
      memref.store %r, %a[%i, %j] : memref<64x100xi8>
    }
    // becomes
    func.call @m_train_step_par0(%c0, %c64, %zb, %ab)
        : (index, index, memref<i64>, memref<i8>) -> ()
    func.func private @m_train_step_par0(%lo: index, %hi: index,
        %zb: memref<i64>, %ab: memref<i8>) attributes {intc.parallel_body} {
      %z = memref.reinterpret_cast %zb to offset: [0], sizes: [64, 100],
             strides: [100, 1] : memref<i64> to memref<64x100xi64>
      ...
      scf.parallel (%i, %j) = (%lo, %c0) to (%hi, %c100) step (%c1, %c1) {...}
    }
    ```
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"262144",
           "Smallest estimated work (iterations x body operations) that is "
           "worth a dispatch to the thread pool">
  ];
  let statistics = [
    Statistic<"numOutlined", "outlined", "Loops given to the thread pool">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def LowerParallelCalls : Pass<"intc-lower-parallel-calls",
                              "::mlir::ModuleOp"> {
  let summary = "Turn calls of outlined parallel loops into "
                "intc_cpu_parallel_for";
  let description = [{
    Runs on the LLVM dialect, after `convert-func-to-llvm`, where the
    functions that `intc-outline-parallel-loops` made (marked
    `intc.parallel_body`) take `(i64 lo, i64 hi, ...)` with every memref a
    bare pointer. For each such function `@f` it adds a trampoline
    `@f_slice(ptr ctx, i64 lo, i64 hi)` that loads the other arguments from
    the struct at `ctx` and calls `@f`, and replaces every call
    `@f(lo, hi, args...)` with a stack struct holding `args` and

    ```mlir
    llvm.call @intc_cpu_parallel_for(@f_slice, %ctx, %lo, %hi)
        : (!llvm.ptr, !llvm.ptr, i64, i64) -> ()
    ```

    `intc_cpu_parallel_for` (`runtime/cpu`) runs one slice of `[lo, hi)`
    per thread of the pool and returns when all are done. Both functions
    become internal: they are not part of the model's ABI.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // INTC_TARGET_CPU_PASSES_TD
