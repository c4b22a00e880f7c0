//===- intc_cuda_no_nccl.cpp - intc built without NCCL --------------------===//
//
// INTC_NCCL=OFF, or no nccl.h next to the CUDA toolkit: every function
// says so, and data-parallel training on GPUs sums through host memory.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/intc_cuda_nccl.h"

#include <cstring>

namespace {
const char kWhy[] = "intc was built without NCCL (INTC_NCCL=OFF or nccl.h "
                    "not found next to the CUDA toolkit)";

int report(char *err, size_t err_len) {
  if (err && err_len) {
    std::strncpy(err, kWhy, err_len - 1);
    err[err_len - 1] = '\0';
  }
  return -1;
}
} // namespace

extern "C" {

int intc_nccl_built(void) { return 0; }

int intc_nccl_load(char *, size_t, char *err, size_t err_len) {
  return report(err, err_len);
}

int intc_nccl_unique_id(unsigned char *, char *err, size_t err_len) {
  return report(err, err_len);
}

void *intc_nccl_comm_init(int, const unsigned char *, int, char *err,
                          size_t err_len) {
  report(err, err_len);
  return nullptr;
}

int intc_nccl_all_reduce_sum_i64(void *, int64_t *, size_t, char *err,
                                 size_t err_len) {
  return report(err, err_len);
}

void intc_nccl_comm_destroy(void *) {}

} // extern "C"
