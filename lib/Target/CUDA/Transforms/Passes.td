//===- Passes.td - Passes of the cuda target ---------------*- tablegen -*-===//

#ifndef INTC_TARGET_CUDA_PASSES_TD
#define INTC_TARGET_CUDA_PASSES_TD

include "mlir/Pass/PassBase.td"

def ArenaToArgument : Pass<"intc-arena-to-argument", "::mlir::ModuleOp"> {
  let summary = "Pass each function's planned arena in as its last argument";
  let description = [{
    `intc-plan-memory` places a function's temporaries in one arena, a private
    uninitialised `memref.global` read with `memref.get_global`. On the GPU
    every buffer a kernel touches must be device memory, which a host global
    is not, so this pass makes the arena the caller's: the function gets one
    more argument of the global's type (after the original ones), every
    `memref.get_global` of the arena becomes that argument, the function is
    marked `intc.arena_arg`, and the global is erased. The caller allocates
    `intc.arena_bytes` bytes of device memory once and passes them on every
    call.

    An arena used by two functions, a function whose signature changes and
    that is called, and a global with an initial value are errors.

    ```mlir
    memref.global "private" @m_predict_arena : memref<57600xi8>
    func.func @m_predict(%s: memref<85400xi32>, ...) {
      %a = memref.get_global @m_predict_arena : memref<57600xi8>
    // becomes
    func.func @m_predict(%s: memref<85400xi32>, ..., %a: memref<57600xi8>)
        attributes {intc.arena_arg}
    ```
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def UseGpuKernels : Pass<"intc-use-gpu-kernels", "::mlir::ModuleOp"> {
  let summary = "Call the runtime/cuda tensor-core kernels for matmul-like "
                "reductions";
  let description = [{
    The cuda analogue of `intc-use-microkernels`. After bufferization, every
    `linalg.generic` that `intc-lower-to-linalg` tagged as a linear, linear
    weight-gradient, conv2d or conv2d weight-gradient reduction
    (`intc.kernel`), whose buffers are contiguous row-major views with int8 or
    int16 activations, int32 weights or deltas and an int64 accumulator,
    becomes a call to the matching `runtime/cuda` launcher, e.g.
    `intc_cuda_linear_acc_i8`. The launchers enqueue exact int8 tensor-core
    kernels (`mma.sync.m16n8k32` on int8 limbs of the weights or deltas, int32
    chunks widened to int64, a checked int64 fallback; see
    runtime/cuda/intc_cuda_gemm.h) with the generic's accumulating semantics,
    so the result is bit-identical to the loops. Other generics stay loops
    and become generated kernels.

    Each buffer is passed as (base pointer, element offset), then the sizes,
    exactly as for the CPU kernels:

    ```mlir
    %base, %off, %sizes:2, %strides:2 = memref.extract_strided_metadata %x
    func.call @intc_cuda_linear_acc_i8(%xb, %xo, %wb, %wo, %zb, %zo, %c64, %c784, %c100)
      : (memref<i8>, i64, memref<i32>, i64, memref<i64>, i64, i64, i64, i64) -> ()
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def MapToGpu : Pass<"intc-map-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Run every loop nest and memory access of the step on the GPU";
  let description = [{
    After `convert-linalg-to-parallel-loops`, turns the host functions into
    launch sequences, so that the host code only computes sizes and launches
    while every load and store happens on the device:

    1. Each outermost `scf.parallel` becomes a `gpu.launch` over its whole
       iteration space flattened to one dimension: `threads` threads per
       block, ceil(N / threads) blocks, and in the body the linear id is
       bounds-checked and delinearised into the loop's induction variables
       (any number of dimensions, no grid-size limits in y and z). The
       loop's body, including its sequential reduction loops, is the
       kernel's body.
    2. Any other top-level op that reads or writes memory (a loop nest with
       no parallel dimension, a stray load or store) is wrapped in a
       one-thread `gpu.launch`, provided its results are not used on the
       host; otherwise the pass fails at that op.
    3. A `memref.alloc` left on the host (not placed in the arena) is an
       error: kernels cannot use host memory.

    ```mlir
    scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c100) step (%c1, %c1) { body }
    // becomes
    gpu.launch blocks(%bx, ...) in (%gx = %c25, ...) threads(%tx, ...) in (%nt = %c256, ...) {
      %id = bx * 256 + tx ; scf.if %id < 6400 { %i = %id / 100 ; %j = %id % 100 ; body }
      gpu.terminator
    }
    ```
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"256",
           "Threads per block of the generated kernels">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def MergeGpuModules : Pass<"intc-merge-gpu-modules", "::mlir::ModuleOp"> {
  let summary = "Put every outlined kernel into one gpu.module";
  let description = [{
    `gpu-kernel-outlining` creates one `gpu.module` per kernel. This pass
    moves every kernel (and any other symbol) of those modules into one
    `gpu.module` named `name` and retargets the `gpu.launch_func` ops, so a
    model compiles to a single PTX/cubin image, loaded once.

    ```mlir
    gpu.module @f_kernel { gpu.func @f_kernel(...) kernel }
    gpu.module @f_kernel_0 { gpu.func @f_kernel_0(...) kernel }
    gpu.launch_func @f_kernel_0::@f_kernel_0 ...
    // becomes
    gpu.module @intc_kernels { gpu.func @f_kernel ... gpu.func @f_kernel_0 ... }
    gpu.launch_func @intc_kernels::@f_kernel_0 ...
    ```
  }];
  let options = [
    Option<"name", "name", "std::string", /*default=*/"\"intc_kernels\"",
           "Name of the merged gpu.module">
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def GpuLaunchToLoops : Pass<"intc-gpu-launch-to-loops", "::mlir::ModuleOp"> {
  let summary = "Run gpu.launch bodies as host loops (GPU-less testing)";
  let description = [{
    For testing the cuda target on machines without a GPU: every
    `gpu.launch` whose body uses no barriers, shuffles or workgroup memory
    (true of everything `intc-map-to-gpu` makes) becomes loops over its
    blocks and threads that run the body on the host, with `gpu.block_id`,
    `gpu.thread_id`, `gpu.grid_dim` and `gpu.block_dim` replaced by the loop
    indices and the launch sizes. Run right after `intc-map-to-gpu`, the CPU
    lowering then executes exactly the kernels' code, thread by thread, so
    `intc check -target=cuda-host` compares the cuda target's lowering with
    runtime/c bit for bit (NVVM code generation and the driver glue excepted).

    ```mlir
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c25, ...) threads(%tx, ...) in (%nt = %c256, ...) {
      body ; gpu.terminator }
    // becomes
    scf.for %bx = %c0 to %c25 step %c1 { scf.for %tx = %c0 to %c256 step %c1 { body } }
    ```
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

#endif // INTC_TARGET_CUDA_PASSES_TD
