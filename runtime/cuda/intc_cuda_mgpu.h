//===- intc_cuda_mgpu.h - MLIR's GPU runtime entry points -------*- C++ -*-===//
//
// The `mgpu*` functions that MLIR's gpu-to-llvm lowering calls, implemented
// on runtime/cuda (intc_cuda_mgpu.cpp). Declared for the JIT, which hands
// their addresses to the generated code.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_CUDA_INTC_CUDA_MGPU_H
#define INTC_RUNTIME_CUDA_INTC_CUDA_MGPU_H

#include <cuda.h>

#include <cstddef>
#include <cstdint>

extern "C" {
CUmodule mgpuModuleLoad(void *data, size_t size);
CUmodule mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(CUmodule module);
CUfunction mgpuModuleGetFunction(CUmodule module, const char *name);
void mgpuLaunchKernel(CUfunction function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, CUstream stream,
                      void **params, void **extra, size_t paramsCount);
CUstream mgpuStreamCreate();
void mgpuStreamDestroy(CUstream stream);
void mgpuStreamSynchronize(CUstream stream);
void mgpuSetDefaultDevice(int32_t device);
void *mgpuMemAlloc(uint64_t bytes, CUstream stream, bool hostShared);
void mgpuMemFree(void *ptr, CUstream stream);
void mgpuMemcpy(void *dst, void *src, size_t bytes, CUstream stream);
void mgpuMemset32(void *dst, unsigned int value, size_t count, CUstream stream);
}

#endif // INTC_RUNTIME_CUDA_INTC_CUDA_MGPU_H
