//===- intc_cuda_driver.cpp - The CUDA driver API, loaded at run time -----===//

#include "runtime/cuda/intc_cuda_driver.h"

#include <dlfcn.h>

#include <mutex>

namespace intc_cuda {

#define INTC_CUDA_STR2(x) #x
#define INTC_CUDA_STR(x) INTC_CUDA_STR2(x)

const Driver *loadDriver(std::string &error) {
  static Driver driver;
  static std::string loadError;
  static bool loaded = false;
  static std::once_flag once;
  std::call_once(once, [] {
    void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
      lib = dlopen("libcuda.so", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      const char *why = dlerror();
      loadError =
          std::string("cannot load the NVIDIA driver (libcuda.so.1): ") +
          (why ? why : "not found");
      return;
    }
    // The macros of <cuda.h> map each name to its current version
    // (cuMemAlloc -> cuMemAlloc_v2); INTC_CUDA_STR expands them.
#define INTC_CUDA_RESOLVE(fn)                                                  \
  driver.fn##_ =                                                               \
      reinterpret_cast<decltype(&::fn)>(dlsym(lib, INTC_CUDA_STR(fn)));        \
  if (!driver.fn##_) {                                                         \
    loadError = "the NVIDIA driver has no " INTC_CUDA_STR(fn);                 \
    return;                                                                    \
  }
    INTC_CUDA_DRIVER_FUNCTIONS(INTC_CUDA_RESOLVE)
#undef INTC_CUDA_RESOLVE
    loaded = true;
  });
  if (!loaded) {
    error = loadError;
    return nullptr;
  }
  return &driver;
}

std::string describe(const Driver &driver, CUresult result) {
  const char *name = nullptr, *text = nullptr;
  driver.cuGetErrorName_(result, &name);
  driver.cuGetErrorString_(result, &text);
  return std::string(name ? name : "CUDA_ERROR_?") + ": " +
         (text ? text : "unknown error");
}

} // namespace intc_cuda
