//===- intc_cuda_driver.h - The CUDA driver API, loaded at run time -*- C++
//-*-//
//
// intc and the programs that link runtime/cuda must start on machines without
// an NVIDIA driver, so libcuda is opened with dlopen on first use instead of
// being linked. Every entry point the runtime uses is one function pointer
// here, with the prototype of <cuda.h> (CUDA 12+ names: cuMemAlloc is
// cuMemAlloc_v2, ...).
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_CUDA_INTC_CUDA_DRIVER_H
#define INTC_RUNTIME_CUDA_INTC_CUDA_DRIVER_H

#include <cuda.h>

#include <string>

namespace intc_cuda {

#define INTC_CUDA_DRIVER_FUNCTIONS(X)                                          \
  X(cuInit)                                                                    \
  X(cuDriverGetVersion)                                                        \
  X(cuGetErrorName)                                                            \
  X(cuGetErrorString)                                                          \
  X(cuDeviceGet)                                                               \
  X(cuDeviceGetCount)                                                          \
  X(cuDeviceGetName)                                                           \
  X(cuDeviceGetAttribute)                                                      \
  X(cuDeviceGetUuid)                                                           \
  X(cuDeviceGetPCIBusId)                                                       \
  X(cuDevicePrimaryCtxRetain)                                                  \
  X(cuCtxSetCurrent)                                                           \
  X(cuModuleLoadData)                                                          \
  X(cuModuleLoadDataEx)                                                        \
  X(cuModuleGetFunction)                                                       \
  X(cuModuleGetGlobal)                                                         \
  X(cuModuleUnload)                                                            \
  X(cuLaunchKernel)                                                            \
  X(cuMemAlloc)                                                                \
  X(cuMemFree)                                                                 \
  X(cuMemcpyHtoDAsync)                                                         \
  X(cuMemcpyDtoHAsync)                                                         \
  X(cuMemcpyAsync)                                                             \
  X(cuMemsetD8Async)                                                           \
  X(cuMemsetD32Async)                                                          \
  X(cuMemHostRegister)                                                         \
  X(cuMemHostUnregister)                                                       \
  X(cuStreamCreate)                                                            \
  X(cuStreamSynchronize)                                                       \
  X(cuStreamDestroy)

/// The loaded entry points (member cuX_ for driver function cuX).
struct Driver {
#define INTC_CUDA_DECLARE(fn) decltype(&::fn) fn##_ = nullptr;
  INTC_CUDA_DRIVER_FUNCTIONS(INTC_CUDA_DECLARE)
#undef INTC_CUDA_DECLARE
};

/// Opens libcuda.so.1 (once) and resolves every entry point. Returns null
/// and sets `error` when the library or a symbol is missing.
const Driver *loadDriver(std::string &error);

/// "CUDA_ERROR_X: description" for a driver result.
std::string describe(const Driver &driver, CUresult result);

} // namespace intc_cuda

#endif // INTC_RUNTIME_CUDA_INTC_CUDA_DRIVER_H
