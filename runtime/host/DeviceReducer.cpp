//===- DeviceReducer.cpp - All-reducing gradients in device memory --------===//

#include "runtime/host/DeviceReducer.h"

#include <cstring>
#include <unistd.h>

using namespace intc::host;

DeviceReducer::~DeviceReducer() = default;

namespace {

class HostStagingReducer : public DeviceReducer {
public:
  HostStagingReducer(Communicator &comm, DeviceCopy toHost, DeviceCopy toDevice,
                     std::string text)
      : comm(comm), toHost(toHost), toDevice(toDevice), text(std::move(text)) {}

  std::string description() const override { return text; }

  void allReduceSum(int64_t *values, size_t count) override {
    if (!count)
      return;
    // One buffer, grown to the largest request: the gradients of every
    // step go through the same memory.
    if (staging.size() < count)
      staging.resize(count);
    toHost(staging.data(), values, count * sizeof(int64_t));
    comm.allReduceSum(staging.data(), count);
    toDevice(values, staging.data(), count * sizeof(int64_t));
  }

private:
  Communicator &comm;
  DeviceCopy toHost, toDevice;
  std::string text;
  std::vector<int64_t> staging;
};

/// What each reason to stay off NCCL says.
const char *why(RankDevice::Nccl nccl) {
  switch (nccl) {
  case RankDevice::Nccl::Usable:
    return "NCCL is usable";
  case RankDevice::Nccl::NotBuilt:
    return "intc was built without NCCL";
  case RankDevice::Nccl::NotLoaded:
    return "libnccl.so.2 did not load";
  case RankDevice::Nccl::Disabled:
    return "INTC_NCCL=0";
  case RankDevice::Nccl::NoGpu:
    return "runs on the host, not a GPU";
  }
  return "unknown";
}

} // namespace

std::unique_ptr<DeviceReducer>
intc::host::createHostStagingReducer(Communicator &comm, DeviceCopy toHost,
                                     DeviceCopy toDevice,
                                     std::string description) {
  return std::make_unique<HostStagingReducer>(comm, toHost, toDevice,
                                              std::move(description));
}

ReducerChoice
intc::host::chooseDeviceReducer(const std::vector<RankDevice> &ranks) {
  ReducerChoice choice;
  for (size_t r = 0; r < ranks.size(); ++r)
    if (ranks[r].nccl != RankDevice::Nccl::Usable) {
      choice.reason = "rank " + std::to_string(r) + ": " + why(ranks[r].nccl);
      return choice;
    }
  for (size_t r = 1; r < ranks.size(); ++r)
    for (size_t s = 0; s < r; ++s)
      if (ranks[r].uuid == ranks[s].uuid) {
        choice.reason = "ranks " + std::to_string(s) + " and " +
                        std::to_string(r) +
                        " share a GPU (NCCL needs one GPU per rank)";
        return choice;
      }
  choice.nccl = true;
  choice.reason = "one GPU per rank";
  return choice;
}

ReducerChoice intc::host::agreeOnDeviceReducer(Communicator &comm,
                                               const RankDevice &mine) {
  // A fixed-size record per rank: the UUID, then the NCCL status.
  constexpr size_t kBytes = 17;
  uint8_t record[kBytes];
  std::memcpy(record, mine.uuid.data(), 16);
  record[16] = static_cast<uint8_t>(mine.nccl);
  const size_t n = size_t(comm.size());
  std::vector<uint8_t> all(n * kBytes);
  comm.allGather(record, all.data(), std::vector<size_t>(n, kBytes));
  std::vector<RankDevice> ranks(n);
  for (size_t r = 0; r < n; ++r) {
    std::memcpy(ranks[r].uuid.data(), &all[r * kBytes], 16);
    uint8_t status = all[r * kBytes + 16];
    ranks[r].nccl = status <= uint8_t(RankDevice::Nccl::NoGpu)
                        ? static_cast<RankDevice::Nccl>(status)
                        : RankDevice::Nccl::NotLoaded;
  }
  return chooseDeviceReducer(ranks);
}

int intc::host::nodeLocalRank(Communicator &comm) {
  constexpr size_t kBytes = 256;
  char name[kBytes] = {0};
  if (gethostname(name, kBytes - 1) != 0)
    std::strcpy(name, "?");
  const size_t n = size_t(comm.size());
  std::vector<char> all(n * kBytes);
  comm.allGather(name, all.data(), std::vector<size_t>(n, kBytes));
  int local = 0;
  for (int r = 0; r < comm.rank(); ++r)
    if (std::memcmp(&all[size_t(r) * kBytes], name, kBytes) == 0)
      ++local;
  return local;
}
