//===- DeviceReducerTest.cpp - Summing gradients kept in device memory ----===//
//
// The parts of multi-GPU data-parallel training that need no GPU: which
// reducer a job picks from what its ranks report (NCCL only with one GPU per
// rank and NCCL usable on every rank), the host-staging reducer's copies and
// sums (with host memory standing in for the device's), and the node-local
// rank that places one rank per GPU.
//
//===----------------------------------------------------------------------===//

#include "runtime/host/DeviceReducer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <numeric>

using namespace intc::host;

namespace {

RankDevice gpu(uint8_t id, RankDevice::Nccl nccl = RankDevice::Nccl::Usable) {
  RankDevice d;
  d.uuid.fill(0xa0);
  d.uuid[15] = id;
  d.nccl = nccl;
  return d;
}

TEST(ChooseDeviceReducer, NcclWithOneGpuPerRank) {
  ReducerChoice c = chooseDeviceReducer({gpu(0), gpu(1), gpu(2), gpu(3)});
  EXPECT_TRUE(c.nccl);
  EXPECT_EQ(c.reason, "one GPU per rank");
  EXPECT_TRUE(chooseDeviceReducer({gpu(7)}).nccl);
}

TEST(ChooseDeviceReducer, SharedGpuStagesThroughTheHost) {
  // 3 ranks on 2 GPUs (rank r on device r mod 2): ranks 0 and 2 share.
  ReducerChoice c = chooseDeviceReducer({gpu(0), gpu(1), gpu(0)});
  EXPECT_FALSE(c.nccl);
  EXPECT_EQ(c.reason,
            "ranks 0 and 2 share a GPU (NCCL needs one GPU per rank)");
  // Same UUID but for one byte: distinct devices.
  RankDevice a = gpu(1), b = gpu(1);
  b.uuid[0] ^= 1;
  EXPECT_TRUE(chooseDeviceReducer({a, b}).nccl);
}

TEST(ChooseDeviceReducer, ARankWithoutNcclStagesThroughTheHost) {
  using N = RankDevice::Nccl;
  struct {
    N status;
    const char *reason;
  } cases[] = {
      {N::NotBuilt, "rank 1: intc was built without NCCL"},
      {N::NotLoaded, "rank 1: libnccl.so.2 did not load"},
      {N::Disabled, "rank 1: INTC_NCCL=0"},
      {N::NoGpu, "rank 1: runs on the host, not a GPU"},
  };
  for (auto [status, reason] : cases) {
    // The rank that cannot use NCCL is named before a shared device.
    ReducerChoice c = chooseDeviceReducer({gpu(0), gpu(1, status), gpu(0)});
    EXPECT_FALSE(c.nccl);
    EXPECT_EQ(c.reason, reason);
  }
}

/// A communicator of `size` ranks seen from rank `rank`: the other ranks'
/// contributions to every all-reduce are `other(i)` for element i of the
/// reduced range, so the expected sums are known.
class FakeRanks : public Communicator {
public:
  FakeRanks(int rank, int size) : me(rank), n(size) {}
  int rank() const override { return me; }
  int size() const override { return n; }
  std::string description() const override { return "fake"; }
  static int64_t other(size_t i) { return int64_t(i) * 1000 - 7; }
  std::unique_ptr<Request> allReduceSumAsync(int64_t *values,
                                             size_t count) override {
    for (size_t i = 0; i < count; ++i)
      values[i] += other(i);
    reduced.push_back(count);
    struct Done : Request {
      void wait() override {}
      bool test() override { return true; }
    };
    return std::make_unique<Done>();
  }
  void allGather(const void *mine, void *all,
                 const std::vector<size_t> &counts) override {
    // Every rank sent what this one did.
    size_t at = 0;
    for (size_t c : counts) {
      std::memcpy(static_cast<char *>(all) + at, mine, c);
      at += c;
    }
  }
  void send(int, const void *, size_t, int) override { ADD_FAILURE(); }
  void recv(int, void *, size_t, int) override { ADD_FAILURE(); }
  std::unique_ptr<Request> sendAsync(int, const void *, size_t, int) override {
    ADD_FAILURE();
    return nullptr;
  }
  std::unique_ptr<Communicator> split(int, int) override { return nullptr; }
  void broadcast(void *, size_t, int) override {}
  void barrier() override {}
  [[noreturn]] void fail(const llvm::Twine &reason) override {
    ADD_FAILURE() << reason.str();
    std::abort();
  }

  std::vector<size_t> reduced;

private:
  int me, n;
};

// The "device" copies, counted.
size_t toHostBytes = 0, toDeviceBytes = 0;
void toHost(void *to, const void *from, size_t bytes) {
  toHostBytes += bytes;
  std::memcpy(to, from, bytes);
}
void toDevice(void *to, const void *from, size_t bytes) {
  toDeviceBytes += bytes;
  std::memcpy(to, from, bytes);
}

TEST(HostStagingReducer, SumsExactlyTheRangeItIsGiven) {
  FakeRanks comm(1, 3);
  auto reducer =
      createHostStagingReducer(comm, toHost, toDevice, "staging (test)");
  EXPECT_EQ(reducer->description(), "staging (test)");
  std::vector<int64_t> device(12);
  std::iota(device.begin(), device.end(), 100);
  std::vector<int64_t> want = device;
  toHostBytes = toDeviceBytes = 0;
  // Elements [3, 8): the second local step's range, say.
  reducer->allReduceSum(device.data() + 3, 5);
  for (size_t i = 0; i < 5; ++i)
    want[3 + i] += FakeRanks::other(i);
  EXPECT_EQ(device, want);
  EXPECT_EQ(toHostBytes, 5 * sizeof(int64_t));
  EXPECT_EQ(toDeviceBytes, 5 * sizeof(int64_t));
  // A larger range after a smaller one (the staging buffer grows), and
  // the extremes of int64 (the sum wraps like the ranks' own int64 sums).
  device[0] = INT64_MAX;
  want = device;
  reducer->allReduceSum(device.data(), device.size());
  for (size_t i = 0; i < device.size(); ++i)
    want[i] = int64_t(uint64_t(want[i]) + uint64_t(FakeRanks::other(i)));
  EXPECT_EQ(device, want);
  EXPECT_EQ(comm.reduced, (std::vector<size_t>{5, 12}));
  // Nothing to sum: no copies, no collective.
  reducer->allReduceSum(device.data(), 0);
  EXPECT_EQ(comm.reduced.size(), 2u);
}

TEST(AgreeOnDeviceReducer, GathersEveryRanksReport) {
  // Every rank reports one and the same GPU: they share it.
  FakeRanks comm(0, 2);
  ReducerChoice c = agreeOnDeviceReducer(comm, gpu(4));
  EXPECT_FALSE(c.nccl);
  EXPECT_EQ(c.reason,
            "ranks 0 and 1 share a GPU (NCCL needs one GPU per rank)");
  // One rank: its GPU is its own.
  EXPECT_TRUE(
      agreeOnDeviceReducer(*createSingleProcessCommunicator(), gpu(4)).nccl);
  ReducerChoice host = agreeOnDeviceReducer(*createSingleProcessCommunicator(),
                                            gpu(4, RankDevice::Nccl::NoGpu));
  EXPECT_FALSE(host.nccl);
  EXPECT_EQ(host.reason, "rank 0: runs on the host, not a GPU");
}

TEST(NodeLocalRank, CountsTheLowerRanksOnThisHost) {
  // Every fake rank runs on this host: rank r is local rank r.
  for (int r = 0; r < 4; ++r) {
    FakeRanks comm(r, 4);
    EXPECT_EQ(nodeLocalRank(comm), r);
  }
  EXPECT_EQ(nodeLocalRank(*createSingleProcessCommunicator()), 0);
}

} // namespace
