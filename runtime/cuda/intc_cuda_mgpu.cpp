//===- intc_cuda_mgpu.cpp - MLIR's GPU runtime entry points ---------------===//
//
// gpu-to-llvm and the gpu.binary translation make the host code call the
// `mgpu*` functions of MLIR's CUDA runtime wrappers (libmlir_cuda_runtime,
// which Debian's MLIR 22 does not ship). These are the same entry points on
// top of intc_cuda_runtime:
// - every stream is the runtime's one stream: mgpuStreamCreate returns it,
//   mgpuStreamDestroy keeps it, and mgpuStreamSynchronize (emitted after each
//   launch) returns at once, as launches on one stream run in order and the
//   host code never reads device memory (intc_cuda_synchronize waits;
//   INTC_CUDA_SYNC=1 waits after every launch);
// - a module "handle" is its image: the host code loads its modules in a
//   global constructor, which runs when a program starts, GPU or not, so
//   nothing touches the driver there; the image is loaded (once, then
//   cached) by the first mgpuModuleGetFunction, i.e. the first launch.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/intc_cuda_mgpu.h"
#include "runtime/cuda/intc_cuda_context.h"
#include "runtime/cuda/intc_cuda_runtime.h"

#include <cstdint>

using namespace intc_cuda;

extern "C" {

CUmodule mgpuModuleLoad(void *data, size_t /*size*/) {
  return static_cast<CUmodule>(data);
}

CUmodule mgpuModuleLoadJIT(void *data, int /*optLevel*/) {
  return static_cast<CUmodule>(data);
}

void mgpuModuleUnload(CUmodule /*module*/) {}

CUfunction mgpuModuleGetFunction(CUmodule image, const char *name) {
  const Driver &d = driver();
  CUmodule module = static_cast<CUmodule>(intc_cuda_load_module(image));
  CUfunction function = nullptr;
  check(d.cuModuleGetFunction_(&function, module, name), "cuModuleGetFunction");
  return function;
}

void mgpuLaunchKernel(CUfunction function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, CUstream stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  check(driver().cuLaunchKernel_(function, gridX, gridY, gridZ, blockX, blockY,
                                 blockZ, smem, stream, params, extra),
        "cuLaunchKernel");
  afterLaunch("a generated kernel");
}

CUstream mgpuStreamCreate() { return stream(); }

void mgpuStreamDestroy(CUstream s) {
  if (s != stream())
    check(driver().cuStreamDestroy_(s), "cuStreamDestroy");
}

void mgpuStreamSynchronize(CUstream s) {
  if (s != stream())
    check(driver().cuStreamSynchronize_(s), "cuStreamSynchronize");
}

void mgpuSetDefaultDevice(int32_t /*device*/) {}

void *mgpuMemAlloc(uint64_t bytes, CUstream /*stream*/, bool /*hostShared*/) {
  return intc_cuda_alloc(bytes);
}

void mgpuMemFree(void *ptr, CUstream /*stream*/) {
  intc_cuda_synchronize();
  intc_cuda_free(ptr);
}

void mgpuMemcpy(void *dst, void *src, size_t bytes, CUstream s) {
  check(driver().cuMemcpyAsync_(reinterpret_cast<CUdeviceptr>(dst),
                                reinterpret_cast<CUdeviceptr>(src), bytes, s),
        "cuMemcpyAsync");
}

void mgpuMemset32(void *dst, unsigned int value, size_t count, CUstream s) {
  check(driver().cuMemsetD32Async_(reinterpret_cast<CUdeviceptr>(dst), value,
                                   count, s),
        "cuMemsetD32Async");
}

} // extern "C"
