//===- NcclTest.cpp - runtime/cuda's device choice and NCCL glue ----------===//
//
// What data-parallel training on GPUs needs from runtime/cuda: the device
// count and the per-rank choice of a device (without a GPU: "no CUDA
// device"), and NCCL, loaded at run time where the build has it. The sums
// on a device run only where there is one (they skip elsewhere); the
// choice between NCCL and host staging is tested in
// test/unit/runtime/host/DeviceReducerTest.cpp.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/intc_cuda_nccl.h"
#include "runtime/cuda/intc_cuda_runtime.h"

#include <gtest/gtest.h>

#include <cstring>
#include <regex>
#include <string>
#include <vector>

TEST(CudaDevices, CountReportsNoDeviceOrCounts) {
  char err[256] = "unset";
  int count = intc_cuda_device_count(err, sizeof(err));
  if (count < 0) {
    EXPECT_EQ(std::string(err).rfind("no CUDA device: ", 0), 0u) << err;
    EXPECT_NE(intc_cuda_init(nullptr, 0), 0);
    // Nothing is initialised: a device may still be preferred.
    EXPECT_EQ(intc_cuda_prefer_device(0), 0);
    return;
  }
  if (intc_cuda_init(nullptr, 0) != 0)
    return; // devices that do not work
  EXPECT_GE(intc_cuda_device_ordinal(), 0);
  EXPECT_LT(intc_cuda_device_ordinal(), count);
  // The choice is made: it can no longer change.
  EXPECT_EQ(intc_cuda_prefer_device(0), -1);
  unsigned char uuid[16], zero[16] = {0};
  intc_cuda_device_uuid(uuid);
  EXPECT_NE(std::memcmp(uuid, zero, 16), 0);
  EXPECT_STRNE(intc_cuda_device_pci_bus_id(), "?");
}

TEST(Nccl, LoadsWhereBuilt) {
  char version[64] = "", err[256] = "";
  int loaded = intc_nccl_load(version, sizeof(version), err, sizeof(err));
  if (!intc_nccl_built()) {
    EXPECT_EQ(loaded, -1);
    EXPECT_NE(std::string(err).find("built without NCCL"), std::string::npos)
        << err;
    return;
  }
  // The build found the library (INTC_NCCL_LIBRARY): it must load here.
  ASSERT_EQ(loaded, 0) << err;
  EXPECT_TRUE(std::regex_match(version, std::regex("[0-9]+\\.[0-9]+\\.[0-9]+")))
      << version;
}

TEST(Nccl, SumsOnTheDevice) {
  if (!intc_nccl_built())
    GTEST_SKIP() << "built without NCCL";
  if (intc_cuda_init(nullptr, 0) != 0)
    GTEST_SKIP() << "no CUDA device";
  char err[512] = "";
  unsigned char id[INTC_NCCL_ID_BYTES];
  ASSERT_EQ(intc_nccl_unique_id(id, err, sizeof(err)), 0) << err;
  // A job of one rank: the sum is the rank's own values, through NCCL's
  // whole path on the runtime's stream.
  void *comm = intc_nccl_comm_init(1, id, 0, err, sizeof(err));
  ASSERT_NE(comm, nullptr) << err;
  std::vector<int64_t> values = {INT64_MIN, -1, 0, 1, INT64_MAX, 1ll << 40};
  std::vector<int64_t> back(values.size(), 7);
  void *device = intc_cuda_alloc(values.size() * 8);
  intc_cuda_upload(device, values.data(), values.size() * 8);
  ASSERT_EQ(intc_nccl_all_reduce_sum_i64(comm, static_cast<int64_t *>(device),
                                         values.size(), err, sizeof(err)),
            0)
      << err;
  intc_cuda_download(back.data(), device, values.size() * 8);
  EXPECT_EQ(back, values);
  intc_nccl_comm_destroy(comm);
  intc_cuda_free(device);
}
