//===- Communicator.cpp - The single-process communicator -----------------===//

#include "runtime/host/Communicator.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>

using namespace intc::host;

Communicator::Request::~Request() = default;
Communicator::~Communicator() = default;

namespace {

class DoneRequest : public Communicator::Request {
public:
  void wait() override {}
  bool test() override { return true; }
};

class SingleProcess : public Communicator {
public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::string description() const override { return "single process"; }
  std::unique_ptr<Request> allReduceSumAsync(int64_t *, size_t) override {
    return std::make_unique<DoneRequest>();
  }
  void allGather(const void *mine, void *all,
                 const std::vector<size_t> &counts) override {
    if (!counts.empty() && counts[0] && mine != all)
      std::memcpy(all, mine, counts[0]);
  }
  void send(int to, const void *, size_t, int) override {
    fail("send to rank " + llvm::Twine(to) + " in a single-process run");
  }
  void recv(int from, void *, size_t, int) override {
    fail("receive from rank " + llvm::Twine(from) +
         " in a single-process run");
  }
  std::unique_ptr<Request> sendAsync(int to, const void *data, size_t bytes,
                                     int tag) override {
    send(to, data, bytes, tag); // Fails: there is no other rank.
    return std::make_unique<DoneRequest>();
  }
  std::unique_ptr<Communicator> split(int, int) override {
    return std::make_unique<SingleProcess>();
  }
  void broadcast(void *, size_t, int) override {}
  void barrier() override {}
  [[noreturn]] void fail(const llvm::Twine &reason) override {
    llvm::errs() << "intc: error: " << reason << "\n";
    llvm::errs().flush();
    std::exit(1);
  }
};

} // namespace

std::unique_ptr<Communicator> intc::host::createSingleProcessCommunicator() {
  return std::make_unique<SingleProcess>();
}

bool intc::host::launchedByMpi() {
  // Open MPI, MPICH / Hydra and Slurm's PMI all export the world size.
  for (const char *var :
       {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
    if (llvm::sys::Process::GetEnv(var))
      return true;
  return false;
}

std::unique_ptr<Communicator> intc::host::createCommunicator(int *argc,
                                                             char ***argv) {
  if (!launchedByMpi())
    return createSingleProcessCommunicator();
  if (std::unique_ptr<Communicator> mpi = createMpiCommunicator(argc, argv))
    return mpi;
  llvm::errs() << "intc: error: started by an MPI launcher, but this intc was "
                  "built without MPI (install libopenmpi-dev and reconfigure); "
                  "run it without mpirun for one process\n";
  std::exit(1);
}
