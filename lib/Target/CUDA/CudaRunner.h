//===- CudaRunner.h - Run a model on an NVIDIA GPU --------------*- C++ -*-===//
//
// `intc train/check -target=cuda`: the model lowered by lowerToGpuBinary; its
// host code compiled for this CPU (HostJit.h: fresh or from the compile
// cache; the device image is a constant in it) and linked here (it launches the
// kernels through runtime/cuda), device buffers for the state, a batch, the
// logits and the arenas. The state stays on the device between calls (syncState
// copies it back); x and labels go up and the logits come down on every call.
//
// Under mpirun (data-parallel training) each rank takes its own GPU where
// there are enough (selectCudaDevice) and the gradients stay on the device:
// the ranks sum them with NCCL when every rank has a GPU of its own, else
// through host memory and MPI (createCudaReducer, DeviceReducer.h).
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_CUDA_CUDARUNNER_H
#define INTC_LIB_TARGET_CUDA_CUDARUNNER_H

#include "lib/Target/CPU/HostJit.h"
#include "runtime/host/Communicator.h"
#include "runtime/host/DeviceReducer.h"
#include "runtime/host/ModelRunner.h"

#include "llvm/Support/Error.h"

#include <memory>

namespace mlir::intc::cuda {

/// The sizes of a compiled model's buffers.
struct RunnerShape {
  int64_t batch = 0, numWeights = 0, imageBytes = 0, numClasses = 0;
};

/// Success when a CUDA device can run models; "no CUDA device: ..." (the
/// driver, a device or the CUDA toolkit at build time is missing) otherwise.
llvm::Error checkCudaDevice();

/// Under mpirun, before any other use of the GPU: selects device L mod D
/// for the rank of node-local index L (nodeLocalRank) among the D devices
/// it sees (INTC_CUDA_DEVICE, then CUDA_VISIBLE_DEVICES, still apply), and
/// initialises it. Collective. Fails with "no CUDA device: ..." like
/// checkCudaDevice.
llvm::Error selectCudaDevice(::intc::host::Communicator &comm);

/// The reducer of the gradient buffers of a job's GPUs (collective): NCCL
/// when intc has it, it loads and every rank has its own GPU (and
/// INTC_NCCL is not 0); host staging through `comm` otherwise. Its
/// description says which and why.
llvm::Expected<std::unique_ptr<::intc::host::DeviceReducer>>
createCudaReducer(::intc::host::Communicator &comm);

/// Creates the runner for `code` (model @`modelName`, lowered by
/// lowerToGpuBinary and compiled by compileHostCode). Fails with "no CUDA
/// device: ..." when the driver or a device is missing, and when intc was built
/// without the CUDA toolkit.
llvm::Expected<std::unique_ptr<::intc::host::ModelRunner>>
createCudaRunner(const cpu::HostCode &code, llvm::StringRef modelName,
                 const RunnerShape &shape);

} // namespace mlir::intc::cuda

#endif // INTC_LIB_TARGET_CUDA_CUDARUNNER_H
