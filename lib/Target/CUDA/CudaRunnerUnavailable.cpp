//===- CudaRunnerUnavailable.cpp - intc built without the CUDA toolkit ----===//

#include "lib/Target/CUDA/CudaRunner.h"

llvm::Error mlir::intc::cuda::checkCudaDevice() {
  return llvm::createStringError(
      "no CUDA device: intc was built without the CUDA toolkit (runtime/cuda "
      "needs cuda.h and nvcc); the cuda target can only compile");
}

llvm::Expected<std::unique_ptr<::intc::host::ModelRunner>>
mlir::intc::cuda::createCudaRunner(const cpu::HostCode &, llvm::StringRef,
                                   const RunnerShape &) {
  return checkCudaDevice();
}

llvm::Error mlir::intc::cuda::selectCudaDevice(::intc::host::Communicator &) {
  return llvm::createStringError(
      llvm::Twine("-target=cuda needs a GPU on every rank: ") +
      llvm::toString(checkCudaDevice()));
}

llvm::Expected<std::unique_ptr<::intc::host::DeviceReducer>>
mlir::intc::cuda::createCudaReducer(::intc::host::Communicator &) {
  return checkCudaDevice();
}
