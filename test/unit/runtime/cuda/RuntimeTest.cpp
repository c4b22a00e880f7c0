//===- RuntimeTest.cpp - runtime/cuda without (or with) a GPU -------------===//
//
// The runtime loads the driver at run time: on a machine without one it
// must report "no CUDA device" instead of failing to start; with one, the
// launch glue must move data and run the tensor-core kernels exactly.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/intc_cuda_kernels.h"
#include "runtime/cuda/intc_cuda_runtime.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

TEST(CudaRuntime, InitReportsNoDeviceOrWorks) {
  char err[256] = "unset";
  if (intc_cuda_init(err, sizeof(err)) != 0) {
    EXPECT_EQ(std::string(err).rfind("no CUDA device: ", 0), 0u) << err;
    // Asking again gives the same answer.
    EXPECT_NE(intc_cuda_init(nullptr, 0), 0);
    return;
  }
  EXPECT_GE(intc_cuda_device_sm(), 10);
  EXPECT_GT(intc_cuda_device_multiprocessors(), 0);
}

TEST(CudaRuntime, LinearOnTheDevice) {
  if (intc_cuda_init(nullptr, 0) != 0)
    GTEST_SKIP() << "no CUDA device";
  const int64_t B = 3, IN = 70, OUT = 5;
  std::vector<int8_t> x(B * IN);
  std::vector<int32_t> w(OUT * IN);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = int8_t(int(i * 37 % 255) - 127);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = int32_t(i * 7919 % 65535) - 32767;
  w[3] = 1 << 20; // one wide weight: its tile takes the exact fallback
  std::vector<int64_t> want(B * OUT, 5), got(B * OUT);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t o = 0; o < OUT; ++o)
      for (int64_t i = 0; i < IN; ++i)
        want[b * OUT + o] += int64_t(x[b * IN + i]) * w[o * IN + i];
  void *dx = intc_cuda_alloc(x.size()), *dw = intc_cuda_alloc(w.size() * 4),
       *dz = intc_cuda_alloc(got.size() * 8);
  std::vector<int64_t> five(B * OUT, 5);
  intc_cuda_upload(dx, x.data(), x.size());
  intc_cuda_upload(dw, w.data(), w.size() * 4);
  intc_cuda_upload(dz, five.data(), five.size() * 8);
  unsigned long long before = intc_cuda_fallback_tiles();
  intc_cuda_linear_acc_i8(static_cast<int8_t *>(dx), 0,
                          static_cast<int32_t *>(dw), 0,
                          static_cast<int64_t *>(dz), 0, B, IN, OUT);
  intc_cuda_download(got.data(), dz, got.size() * 8);
  EXPECT_EQ(got, want);
  EXPECT_GT(intc_cuda_fallback_tiles(), before);
  intc_cuda_free(dx);
  intc_cuda_free(dw);
  intc_cuda_free(dz);
}
