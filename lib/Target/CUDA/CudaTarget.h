//===- CudaTarget.h - The cuda target ---------------------------*- C++ -*-===//
//
// From verified models to host code plus one device image: intc-cuda-pipeline
// (GPU dialect -> NVVM -> PTX or cubin for options.cuda.chip), then the host
// side through the CPU target's LLVM path. The host functions take DEVICE
// pointers (bare, as on the cpu target), plus the arena when they have one
// (intc.arena_arg), and enqueue kernels on runtime/cuda's stream.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_CUDA_CUDATARGET_H
#define INTC_LIB_TARGET_CUDA_CUDATARGET_H

#include "lib/Pipeline/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir::intc::cuda {

/// Runs intc-cuda-pipeline on `module` in place, after adding the NVVM and
/// GPU translation interfaces to its context. Diagnostics go to the
/// context's handler.
LogicalResult lowerToGpuBinary(ModuleOp module, const CodegenOptions &options);

/// The device image the pipeline embedded (the module's gpu.binary): PTX
/// text for format=isa, else cubin/fatbin bytes.
FailureOr<std::string> getDeviceImage(ModuleOp module);

} // namespace mlir::intc::cuda

#endif // INTC_LIB_TARGET_CUDA_CUDATARGET_H
