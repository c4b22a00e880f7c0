//===- DeviceReducer.h - All-reducing gradients in device memory -*- C++
//-*-===//
//
// Under `mpirun -np N intc train -target=cuda` every rank's runner keeps the
// state, and so the int64 gradient sums of its shard, in GPU memory.
// Copying them to the host for Communicator::allReduceSum and back costs two
// transfers of the whole gradient a step; NCCL sums them where they are.
// NCCL needs one GPU per rank, though (it refuses two ranks on one device),
// and may be missing from the build or the machine. So the data-parallel
// step (ShardedStep.h) talks to a DeviceReducer, and the job picks one
// implementation, the same on every rank:
//
//  * NCCL (lib/Target/CUDA): ncclAllReduce, int64 sum, on the runner's
//    stream, when every rank has a GPU of its own and NCCL loads on each;
//  * host staging (here): device -> host copy, Communicator::allReduceSum,
//    host -> device copy, otherwise.
//
// Integer sums are exact and associative, so both give the same bits as one
// process. chooseDeviceReducer is the decision, a pure function of what the
// ranks report (agreeOnDeviceReducer gathers it), so that it is tested
// without a GPU; -target=cuda-host under mpirun runs the staging path with
// host memory standing in for the device's.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_DEVICEREDUCER_H
#define INTC_RUNTIME_HOST_DEVICEREDUCER_H

#include "runtime/host/Communicator.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace intc::host {

/// Sums int64 buffers in a device's memory over the ranks of a job.
class DeviceReducer {
public:
  virtual ~DeviceReducer();

  /// What sums the gradients, for the run header: "NCCL 2.28.9 all-reduce
  /// in GPU memory (one GPU per rank)", "host staging through MPI (...),
  /// not NCCL: <why>".
  virtual std::string description() const = 0;

  /// Sums \p count int64 at device address \p values over all ranks, in
  /// place, exactly; after everything the runner has enqueued so far and
  /// before whatever it enqueues next. Every rank calls it with the same
  /// count, in the same order.
  virtual void allReduceSum(int64_t *values, size_t count) = 0;
};

/// Copies between a device's memory and the host's; both are complete (as
/// far as the host can tell) when they return.
using DeviceCopy = void (*)(void *to, const void *from, size_t bytes);

/// The fallback: stages \p values through a host buffer, sums it with
/// \p comm.allReduceSum and copies it back. \p description is what
/// description() returns.
std::unique_ptr<DeviceReducer>
createHostStagingReducer(Communicator &comm, DeviceCopy toHost,
                         DeviceCopy toDevice, std::string description);

/// What a rank reports about its device for the choice of the reducer.
struct RankDevice {
  /// Why this rank can or cannot take part in NCCL.
  enum class Nccl : uint8_t {
    Usable = 0,    ///< built in, the library loaded
    NotBuilt = 1,  ///< intc was built without NCCL (INTC_NCCL=OFF, no nccl.h)
    NotLoaded = 2, ///< libnccl.so.2 did not load
    Disabled = 3,  ///< INTC_NCCL=0 in the environment
    NoGpu = 4,     ///< the runner is not on a GPU (-target=cuda-host)
  };
  /// The device's UUID (cuDeviceGetUuid): equal on two ranks = one GPU.
  std::array<uint8_t, 16> uuid{};
  Nccl nccl = Nccl::NotBuilt;
};

/// The job's choice: NCCL, or host staging and why.
struct ReducerChoice {
  bool nccl = false;
  /// "one GPU per rank" for NCCL; else why not, naming the rank(s): "rank
  /// 1: libnccl.so.2 did not load", "ranks 0 and 1 share a GPU (...)".
  std::string reason;
};

/// NCCL when every rank reports Nccl::Usable and no two ranks share a
/// device UUID; host staging otherwise, with the first reason found (a
/// rank that cannot use NCCL, in rank order, before shared devices).
ReducerChoice chooseDeviceReducer(const std::vector<RankDevice> &ranks);

/// Gathers every rank's \p mine over \p comm (collective) and returns
/// chooseDeviceReducer of them: the same on every rank.
ReducerChoice agreeOnDeviceReducer(Communicator &comm, const RankDevice &mine);

/// This rank's index among the ranks of its machine (by host name, in rank
/// order), for placing one rank per GPU. Collective.
int nodeLocalRank(Communicator &comm);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_DEVICEREDUCER_H
