//===- CudaReducer.cpp - One GPU per rank, gradients summed on the GPUs ---===//
//
// The device placement and the DeviceReducer of `mpirun -np N intc train
// -target=cuda` (CudaRunner.h): NCCL over the ranks' GPUs, or host staging
// through MPI where NCCL cannot run (two ranks on one GPU, no libnccl, a
// build without NCCL, INTC_NCCL=0).
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CUDA/CudaRunner.h"

#include "runtime/cuda/intc_cuda_nccl.h"
#include "runtime/cuda/intc_cuda_runtime.h"

#include "llvm/Support/Process.h"

using namespace mlir;
using namespace mlir::intc;
namespace host = ::intc::host;

namespace {

/// ncclAllReduce on the runtime's stream: ordered after the gradient
/// kernels and before the update's, with no host round trip.
class NcclReducer : public host::DeviceReducer {
public:
  NcclReducer(host::Communicator &comm, void *nccl, std::string text)
      : comm(comm), nccl(nccl), text(std::move(text)) {}
  ~NcclReducer() override { intc_nccl_comm_destroy(nccl); }

  std::string description() const override { return text; }

  void allReduceSum(int64_t *values, size_t count) override {
    if (!count)
      return;
    char error[512];
    if (intc_nccl_all_reduce_sum_i64(nccl, values, count, error,
                                     sizeof(error)) != 0)
      comm.fail(error);
  }

private:
  host::Communicator &comm;
  void *nccl;
  std::string text;
};

void download(void *host, const void *device, size_t bytes) {
  intc_cuda_download(host, device, bytes);
}

// Pageable host memory: the copy has read the source when the call
// returns, and the device work after it is ordered on the stream.
void upload(void *device, const void *host, size_t bytes) {
  intc_cuda_upload(device, host, bytes);
}

} // namespace

llvm::Error cuda::selectCudaDevice(host::Communicator &comm) {
  const int local = host::nodeLocalRank(comm); // Collective: first.
  char error[512];
  int count = intc_cuda_device_count(error, sizeof(error));
  if (count < 0)
    return llvm::createStringError(
        llvm::Twine("-target=cuda needs a GPU on every rank: ") + error);
  if (count == 0)
    return llvm::createStringError(
        "-target=cuda needs a GPU on every rank: no CUDA device: the driver "
        "sees none (CUDA_VISIBLE_DEVICES?)");
  intc_cuda_prefer_device(local % count);
  if (llvm::Error err = checkCudaDevice())
    return llvm::createStringError("-target=cuda needs a GPU on every rank: " +
                                   llvm::toString(std::move(err)));
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<host::DeviceReducer>>
cuda::createCudaReducer(host::Communicator &comm) {
  if (llvm::Error err = checkCudaDevice())
    return std::move(err);
  host::RankDevice mine;
  intc_cuda_device_uuid(mine.uuid.data());
  char version[64] = {0}, error[512] = {0};
  std::optional<std::string> env = llvm::sys::Process::GetEnv("INTC_NCCL");
  if (!intc_nccl_built())
    mine.nccl = host::RankDevice::Nccl::NotBuilt;
  else if (env && *env == "0")
    mine.nccl = host::RankDevice::Nccl::Disabled;
  else if (intc_nccl_load(version, sizeof(version), error, sizeof(error)) != 0)
    mine.nccl = host::RankDevice::Nccl::NotLoaded;
  else
    mine.nccl = host::RankDevice::Nccl::Usable;
  // The same choice on every rank, from what every rank reported.
  host::ReducerChoice choice = host::agreeOnDeviceReducer(comm, mine);
  if (!choice.nccl)
    return host::createHostStagingReducer(comm, download, upload,
                                          "host staging through " +
                                              comm.description() +
                                              ", not NCCL: " + choice.reason);

  unsigned char id[INTC_NCCL_ID_BYTES] = {0};
  if (comm.rank() == 0 && intc_nccl_unique_id(id, error, sizeof(error)) != 0)
    return llvm::createStringError(error);
  comm.broadcast(id, sizeof(id), 0);
  void *nccl =
      intc_nccl_comm_init(comm.size(), id, comm.rank(), error, sizeof(error));
  if (!nccl)
    return llvm::createStringError(error);
  return std::make_unique<NcclReducer>(comm, nccl,
                                       "NCCL " + std::string(version) +
                                           " all-reduce in GPU memory (" +
                                           choice.reason + ")");
}
