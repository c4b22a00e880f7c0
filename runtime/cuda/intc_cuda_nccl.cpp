//===- intc_cuda_nccl.cpp - NCCL, loaded at run time ----------------------===//
//
// Built when CMake found nccl.h (INTC_NCCL). The library is opened on first
// use: by its soname through the loader's search path, else at the path
// CMake found (INTC_NCCL_LIBRARY).
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/intc_cuda_nccl.h"
#include "runtime/cuda/intc_cuda_runtime.h"

#include <nccl.h>

#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>

static_assert(INTC_NCCL_ID_BYTES == NCCL_UNIQUE_ID_BYTES,
              "intc_cuda_nccl.h and nccl.h disagree on the unique id size");

namespace {

#define INTC_NCCL_FUNCTIONS(X)                                                 \
  X(ncclGetVersion)                                                            \
  X(ncclGetErrorString)                                                        \
  X(ncclGetUniqueId)                                                           \
  X(ncclCommInitRank)                                                          \
  X(ncclAllReduce)                                                             \
  X(ncclCommDestroy)

struct Nccl {
#define INTC_NCCL_DECLARE(fn) decltype(&::fn) fn##_ = nullptr;
  INTC_NCCL_FUNCTIONS(INTC_NCCL_DECLARE)
#undef INTC_NCCL_DECLARE
  std::string version;
};

/// The loaded library, or null and `error`.
const Nccl *loadNccl(std::string &error) {
  static Nccl nccl;
  static std::string loadError;
  static bool loaded = false;
  static std::once_flag once;
  std::call_once(once, [] {
    void *lib = dlopen("libnccl.so.2", RTLD_NOW | RTLD_LOCAL);
#ifdef INTC_NCCL_LIBRARY
    if (!lib)
      lib = dlopen(INTC_NCCL_LIBRARY, RTLD_NOW | RTLD_LOCAL);
#endif
    if (!lib) {
      const char *why = dlerror();
      loadError =
          std::string("cannot load libnccl.so.2: ") + (why ? why : "not found");
      return;
    }
#define INTC_NCCL_RESOLVE(fn)                                                  \
  nccl.fn##_ = reinterpret_cast<decltype(&::fn)>(dlsym(lib, #fn));             \
  if (!nccl.fn##_) {                                                           \
    loadError = "libnccl.so.2 has no " #fn;                                    \
    return;                                                                    \
  }
    INTC_NCCL_FUNCTIONS(INTC_NCCL_RESOLVE)
#undef INTC_NCCL_RESOLVE
    int code = 0;
    nccl.ncclGetVersion_(&code);
    // NCCL_VERSION(X, Y, Z) is X * 10000 + Y * 100 + Z since 2.9.
    nccl.version = std::to_string(code / 10000) + "." +
                   std::to_string(code / 100 % 100) + "." +
                   std::to_string(code % 100);
    loaded = true;
  });
  if (!loaded) {
    error = loadError;
    return nullptr;
  }
  return &nccl;
}

int report(char *err, size_t err_len, const std::string &message) {
  if (err && err_len) {
    std::strncpy(err, message.c_str(), err_len - 1);
    err[err_len - 1] = '\0';
  }
  return -1;
}

/// -1 and "<what> failed: <NCCL's reason>" unless `result` is success.
int check(const Nccl &nccl, ncclResult_t result, const char *what, char *err,
          size_t err_len) {
  if (result == ncclSuccess)
    return 0;
  return report(err, err_len,
                std::string(what) +
                    " failed: " + nccl.ncclGetErrorString_(result));
}

} // namespace

extern "C" {

int intc_nccl_built(void) { return 1; }

int intc_nccl_load(char *version, size_t version_len, char *err,
                   size_t err_len) {
  std::string error;
  const Nccl *nccl = loadNccl(error);
  if (!nccl)
    return report(err, err_len, error);
  if (version && version_len) {
    std::strncpy(version, nccl->version.c_str(), version_len - 1);
    version[version_len - 1] = '\0';
  }
  return 0;
}

int intc_nccl_unique_id(unsigned char id[INTC_NCCL_ID_BYTES], char *err,
                        size_t err_len) {
  std::string error;
  const Nccl *nccl = loadNccl(error);
  if (!nccl)
    return report(err, err_len, error);
  ncclUniqueId unique;
  if (check(*nccl, nccl->ncclGetUniqueId_(&unique), "ncclGetUniqueId", err,
            err_len))
    return -1;
  std::memcpy(id, unique.internal, INTC_NCCL_ID_BYTES);
  return 0;
}

void *intc_nccl_comm_init(int nranks,
                          const unsigned char id[INTC_NCCL_ID_BYTES], int rank,
                          char *err, size_t err_len) {
  std::string error;
  const Nccl *nccl = loadNccl(error);
  if (!nccl) {
    report(err, err_len, error);
    return nullptr;
  }
  // NCCL uses the device of the context current on this thread: the
  // runtime's (intc_cuda_stream makes it current).
  (void)intc_cuda_stream();
  ncclUniqueId unique;
  std::memcpy(unique.internal, id, INTC_NCCL_ID_BYTES);
  ncclComm_t comm = nullptr;
  if (check(*nccl, nccl->ncclCommInitRank_(&comm, nranks, unique, rank),
            "ncclCommInitRank", err, err_len))
    return nullptr;
  return comm;
}

int intc_nccl_all_reduce_sum_i64(void *comm, int64_t *values, size_t count,
                                 char *err, size_t err_len) {
  std::string error;
  const Nccl *nccl = loadNccl(error);
  if (!nccl)
    return report(err, err_len, error);
  cudaStream_t stream = static_cast<cudaStream_t>(intc_cuda_stream());
  return check(*nccl,
               nccl->ncclAllReduce_(values, values, count, ncclInt64, ncclSum,
                                    static_cast<ncclComm_t>(comm), stream),
               "ncclAllReduce", err, err_len);
}

void intc_nccl_comm_destroy(void *comm) {
  std::string error;
  const Nccl *nccl = loadNccl(error);
  if (!nccl || !comm)
    return;
  intc_cuda_synchronize();
  nccl->ncclCommDestroy_(static_cast<ncclComm_t>(comm));
}

} // extern "C"
