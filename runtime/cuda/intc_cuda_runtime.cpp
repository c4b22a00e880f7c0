//===- intc_cuda_runtime.cpp - Device, stream, memory and modules ---------===//

#include "runtime/cuda/intc_cuda_runtime.h"
#include "runtime/cuda/intc_cuda_context.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

namespace intc_cuda {

namespace {
struct State {
  std::mutex mutex;
  bool ready = false;
  std::string error;
  const Driver *driver = nullptr;
  CUdevice device = 0;
  CUcontext context = nullptr;
  CUstream stream = nullptr;
  char name[256] = {0};
  char pciBusId[64] = {0};
  unsigned char uuid[16] = {0};
  int sm = 0, multiprocessors = 0, ordinal = 0;
  int preferred = -1; ///< intc_cuda_prefer_device; -1: none
  bool syncEveryLaunch = false;
  std::map<const void *, CUmodule> modules;
};

State &state() {
  static State s;
  return s;
}

/// Initialises the runtime once; false (and s.error) if no device works.
bool initialize(State &s) {
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.ready)
    return true;
  if (!s.error.empty())
    return false;
  std::string error;
  const Driver *d = loadDriver(error);
  if (!d) {
    s.error = "no CUDA device: " + error;
    return false;
  }
  auto fail = [&](const char *what, CUresult r) {
    s.error =
        std::string("no CUDA device: ") + what + " failed: " + describe(*d, r);
    return false;
  };
  CUresult r = d->cuInit_(0);
  if (r != CUDA_SUCCESS)
    return fail("cuInit", r);
  int count = 0;
  if ((r = d->cuDeviceGetCount_(&count)) != CUDA_SUCCESS)
    return fail("cuDeviceGetCount", r);
  int ordinal = s.preferred >= 0 ? s.preferred : 0;
  if (const char *env = std::getenv("INTC_CUDA_DEVICE"))
    ordinal = std::atoi(env);
  if (ordinal < 0 || ordinal >= count) {
    s.error = "no CUDA device: device " + std::to_string(ordinal) +
              " requested, " + std::to_string(count) + " present";
    return false;
  }
  if ((r = d->cuDeviceGet_(&s.device, ordinal)) != CUDA_SUCCESS)
    return fail("cuDeviceGet", r);
  if ((r = d->cuDevicePrimaryCtxRetain_(&s.context, s.device)) != CUDA_SUCCESS)
    return fail("cuDevicePrimaryCtxRetain", r);
  if ((r = d->cuCtxSetCurrent_(s.context)) != CUDA_SUCCESS)
    return fail("cuCtxSetCurrent", r);
  if ((r = d->cuStreamCreate_(&s.stream, CU_STREAM_NON_BLOCKING)) !=
      CUDA_SUCCESS)
    return fail("cuStreamCreate", r);
  d->cuDeviceGetName_(s.name, sizeof(s.name) - 1, s.device);
  s.ordinal = ordinal;
  CUuuid uuid;
  if (d->cuDeviceGetUuid_(&uuid, s.device) == CUDA_SUCCESS)
    std::memcpy(s.uuid, uuid.bytes, sizeof(s.uuid));
  if (d->cuDeviceGetPCIBusId_(s.pciBusId, sizeof(s.pciBusId) - 1, s.device) !=
      CUDA_SUCCESS)
    std::strcpy(s.pciBusId, "?");
  int major = 0, minor = 0;
  d->cuDeviceGetAttribute_(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                           s.device);
  d->cuDeviceGetAttribute_(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                           s.device);
  d->cuDeviceGetAttribute_(&s.multiprocessors,
                           CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, s.device);
  s.sm = 10 * major + minor;
  const char *sync = std::getenv("INTC_CUDA_SYNC");
  s.syncEveryLaunch = sync && std::strcmp(sync, "0") != 0;
  s.driver = d;
  s.ready = true;
  return true;
}
} // namespace

const Driver &driver() {
  State &s = state();
  if (!initialize(s)) {
    std::fprintf(stderr, "intc cuda: %s\n", s.error.c_str());
    std::abort();
  }
  // Calls may come from any thread: make the context current on this one.
  s.driver->cuCtxSetCurrent_(s.context);
  return *s.driver;
}

void check(CUresult result, const char *what) {
  if (result == CUDA_SUCCESS)
    return;
  std::fprintf(stderr, "intc cuda: %s failed: %s\n", what,
               describe(*state().driver, result).c_str());
  std::abort();
}

CUstream stream() {
  driver();
  return state().stream;
}

void afterLaunch(const char *what) {
  State &s = state();
  if (s.syncEveryLaunch)
    check(s.driver->cuStreamSynchronize_(s.stream), what);
}

} // namespace intc_cuda

using namespace intc_cuda;

extern "C" {

int intc_cuda_init(char *err, size_t err_len) {
  State &s = state();
  if (initialize(s))
    return 0;
  if (err && err_len) {
    std::strncpy(err, s.error.c_str(), err_len - 1);
    err[err_len - 1] = '\0';
  }
  return -1;
}

int intc_cuda_device_count(char *err, size_t err_len) {
  auto report = [&](const std::string &why) {
    if (err && err_len) {
      std::strncpy(err, ("no CUDA device: " + why).c_str(), err_len - 1);
      err[err_len - 1] = '\0';
    }
    return -1;
  };
  std::string error;
  const Driver *d = loadDriver(error);
  if (!d)
    return report(error);
  CUresult r = d->cuInit_(0);
  if (r != CUDA_SUCCESS)
    return report("cuInit failed: " + describe(*d, r));
  int count = 0;
  if ((r = d->cuDeviceGetCount_(&count)) != CUDA_SUCCESS)
    return report("cuDeviceGetCount failed: " + describe(*d, r));
  return count;
}

int intc_cuda_prefer_device(int ordinal) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.ready)
    return -1;
  s.preferred = ordinal;
  return 0;
}

const char *intc_cuda_device_name(void) { return state().name; }
int intc_cuda_device_ordinal(void) { return state().ordinal; }
void intc_cuda_device_uuid(unsigned char uuid[16]) {
  std::memcpy(uuid, state().uuid, sizeof(state().uuid));
}
const char *intc_cuda_device_pci_bus_id(void) { return state().pciBusId; }
int intc_cuda_device_sm(void) { return state().sm; }
int intc_cuda_device_multiprocessors(void) { return state().multiprocessors; }

void *intc_cuda_stream(void) { return stream(); }

void intc_cuda_synchronize(void) {
  check(driver().cuStreamSynchronize_(stream()), "cuStreamSynchronize");
}

void *intc_cuda_alloc(size_t bytes) {
  CUdeviceptr p = 0;
  check(driver().cuMemAlloc_(&p, bytes ? bytes : 1), "cuMemAlloc");
  return reinterpret_cast<void *>(p);
}

void intc_cuda_free(void *device) {
  if (device)
    check(driver().cuMemFree_(reinterpret_cast<CUdeviceptr>(device)),
          "cuMemFree");
}

void intc_cuda_upload(void *device, const void *host, size_t bytes) {
  if (bytes)
    check(driver().cuMemcpyHtoDAsync_(reinterpret_cast<CUdeviceptr>(device),
                                      host, bytes, stream()),
          "cuMemcpyHtoDAsync");
}

void intc_cuda_download(void *host, const void *device, size_t bytes) {
  if (bytes)
    check(driver().cuMemcpyDtoHAsync_(
              host, reinterpret_cast<CUdeviceptr>(device), bytes, stream()),
          "cuMemcpyDtoHAsync");
  intc_cuda_synchronize();
}

void intc_cuda_zero(void *device, size_t bytes) {
  if (bytes)
    check(driver().cuMemsetD8Async_(reinterpret_cast<CUdeviceptr>(device), 0,
                                    bytes, stream()),
          "cuMemsetD8Async");
}

void *intc_cuda_load_module(const void *image) {
  const Driver &d = driver();
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  auto it = s.modules.find(image);
  if (it != s.modules.end())
    return it->second;
  // PTX is JIT-compiled by the driver; keep its log for the error message.
  char log[8192] = {0};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log) - 1)};
  CUmodule module = nullptr;
  CUresult r = d.cuModuleLoadDataEx_(&module, image, 2, options, values);
  if (r != CUDA_SUCCESS) {
    std::fprintf(stderr, "intc cuda: cuModuleLoadDataEx failed: %s\n%s\n",
                 describe(d, r).c_str(), log);
    std::abort();
  }
  s.modules.emplace(image, module);
  return module;
}

void intc_cuda_release_modules(void) {
  State &s = state();
  if (!s.ready)
    return;
  intc_cuda_synchronize();
  std::lock_guard<std::mutex> lock(s.mutex);
  for (auto &entry : s.modules)
    s.driver->cuModuleUnload_(entry.second);
  s.modules.clear();
}

} // extern "C"
