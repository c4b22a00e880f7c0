//===- CudaHostRunner.h - The cuda lowering, run on the host ----*- C++ -*-===//
//
// `intc check -target=cuda-host`: the model through the cuda target's
// lowering (buildCudaHostPipeline: the same kernels, bufferization, arena
// argument and tensor-core launcher calls), with each gpu.launch run as host
// loops and the launchers mapped to the runtime/cpu kernels of the same
// signature. It tests everything of the cuda target but the NVVM code
// generation, the tensor-core kernels (see runtime/cuda's emulation tests)
// and the driver glue, on any machine. Under mpirun it keeps its gradients in
// its "device" memory (host memory here) and sums them by host staging, the
// cuda runner's path on a machine where NCCL cannot be used.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_CUDA_CUDAHOSTRUNNER_H
#define INTC_LIB_TARGET_CUDA_CUDAHOSTRUNNER_H

#include "lib/Pipeline/Pipelines.h"
#include "lib/Target/CPU/HostJit.h"
#include "runtime/host/ModelRunner.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace mlir::intc::cuda {

/// Lowers `module` with buildCudaHostPipeline and compiles it for this CPU.
llvm::Expected<cpu::HostCode> compileCudaHost(ModuleOp module,
                                              const CodegenOptions &options);

/// Links `code` (compileCudaHost of model @`modelName`, of `numWeights`
/// weights, for `batch`).
llvm::Expected<std::unique_ptr<::intc::host::ModelRunner>>
createCudaHostRunner(const cpu::HostCode &code, llvm::StringRef modelName,
                     int64_t batch, int64_t numWeights);

} // namespace mlir::intc::cuda

#endif // INTC_LIB_TARGET_CUDA_CUDAHOSTRUNNER_H
