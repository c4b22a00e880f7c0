//===- MpiCommunicator.cpp - The communicator over MPI_COMM_WORLD ---------===//
//
// Built only when CMake finds MPI (INTC_HAVE_MPI); otherwise
// createMpiCommunicator returns nullptr (NoMpiCommunicator.cpp). split()
// gives communicators over subsets of the world (MPI_Comm_split); messages
// and failures always name the world rank.
//
//===----------------------------------------------------------------------===//

#include "runtime/host/Communicator.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/raw_ostream.h"

// Only the C API: the deprecated C++ bindings need a library we do not link.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <string>
#include <vector>

using namespace intc::host;

namespace {

/// MPI counts are int: large buffers go in chunks of at most this many
/// elements (bytes for send/recv).
constexpr size_t kChunk = size_t(1) << 30;

class MpiRequest : public Communicator::Request {
public:
  ~MpiRequest() override { wait(); }
  void wait() override {
    if (!requests.empty())
      MPI_Waitall(int(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
    requests.clear();
  }
  bool test() override {
    if (requests.empty())
      return true;
    int done = 0;
    MPI_Testall(int(requests.size()), requests.data(), &done,
                MPI_STATUSES_IGNORE);
    if (done)
      requests.clear();
    return done;
  }
  std::vector<MPI_Request> requests;
};

class Mpi : public Communicator {
public:
  /// The world (\p comm is MPI_COMM_WORLD: finalises MPI when destroyed) or
  /// a communicator split from it (freed when destroyed).
  explicit Mpi(MPI_Comm comm) : comm(comm) {
    MPI_Comm_rank(comm, &myRank);
    MPI_Comm_size(comm, &mySize);
    MPI_Comm_rank(MPI_COMM_WORLD, &worldRank);
    MPI_Comm_size(MPI_COMM_WORLD, &worldSize);
    // Errors end the job rather than returning codes nobody checks.
    MPI_Comm_set_errhandler(comm, MPI_ERRORS_ARE_FATAL);
  }
  ~Mpi() override {
    if (comm == MPI_COMM_WORLD)
      MPI_Finalize();
    else
      MPI_Comm_free(&comm);
  }

  int rank() const override { return myRank; }
  int size() const override { return mySize; }
  bool distributed() const override { return true; }
  std::string description() const override {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(version, &length);
    std::string text(version, size_t(length));
    text = text.substr(0, text.find_first_of(",\n"));
    return "MPI (" + text + ")";
  }

  std::unique_ptr<Request> allReduceSumAsync(int64_t *values,
                                             size_t count) override {
    auto request = std::make_unique<MpiRequest>();
    for (size_t at = 0; at < count; at += kChunk) {
      MPI_Request r;
      MPI_Iallreduce(MPI_IN_PLACE, values + at,
                     int(std::min(kChunk, count - at)), MPI_INT64_T, MPI_SUM,
                     comm, &r);
      request->requests.push_back(r);
    }
    return request;
  }

  void allGather(const void *mine, void *all,
                 const std::vector<size_t> &counts) override {
    // Shards of logits are small (a batch × classes bytes): int counts fit.
    std::vector<int> sizes(counts.size()), offsets(counts.size());
    int at = 0;
    for (size_t r = 0; r < counts.size(); ++r) {
      sizes[r] = int(counts[r]);
      offsets[r] = at;
      at += sizes[r];
    }
    MPI_Allgatherv(mine, sizes[size_t(myRank)], MPI_BYTE, all, sizes.data(),
                   offsets.data(), MPI_BYTE, comm);
  }

  void send(int to, const void *data, size_t bytes, int tag) override {
    const char *p = static_cast<const char *>(data);
    for (size_t at = 0; at < bytes || at == 0; at += kChunk) {
      MPI_Send(p + at, int(std::min(kChunk, bytes - at)), MPI_BYTE, to, tag,
               comm);
      if (bytes == 0)
        break;
    }
  }
  void recv(int from, void *data, size_t bytes, int tag) override {
    char *p = static_cast<char *>(data);
    for (size_t at = 0; at < bytes || at == 0; at += kChunk) {
      MPI_Recv(p + at, int(std::min(kChunk, bytes - at)), MPI_BYTE, from, tag,
               comm, MPI_STATUS_IGNORE);
      if (bytes == 0)
        break;
    }
  }
  std::unique_ptr<Request> sendAsync(int to, const void *data, size_t bytes,
                                     int tag) override {
    auto request = std::make_unique<MpiRequest>();
    const char *p = static_cast<const char *>(data);
    for (size_t at = 0; at < bytes || at == 0; at += kChunk) {
      MPI_Request r;
      MPI_Isend(p + at, int(std::min(kChunk, bytes - at)), MPI_BYTE, to, tag,
                comm, &r);
      request->requests.push_back(r);
      if (bytes == 0)
        break;
    }
    return request;
  }
  std::unique_ptr<Communicator> split(int color, int key) override {
    MPI_Comm part;
    MPI_Comm_split(comm, color, key, &part);
    return std::make_unique<Mpi>(part);
  }
  void broadcast(void *data, size_t bytes, int root) override {
    char *p = static_cast<char *>(data);
    for (size_t at = 0; at < bytes; at += kChunk)
      MPI_Bcast(p + at, int(std::min(kChunk, bytes - at)), MPI_BYTE, root,
                comm);
  }
  void barrier() override { MPI_Barrier(comm); }

  [[noreturn]] void fail(const llvm::Twine &reason) override {
    // One write: llvm::errs() is unbuffered, and mpirun interleaves the
    // ranks' stderr at write boundaries, so a message built piecewise can be
    // split by another rank's line.
    std::string line;
    llvm::raw_string_ostream(line)
        << "intc: rank " << worldRank << " of " << worldSize
        << ": error: " << reason << "\n";
    llvm::errs() << line;
    llvm::errs().flush();
    MPI_Abort(MPI_COMM_WORLD, 1);
    std::exit(1); // MPI_Abort does not return; keep [[noreturn]] honest.
  }

private:
  MPI_Comm comm;
  int myRank = 0, mySize = 1, worldRank = 0, worldSize = 1;
};

/// Keeps freed memory in the process: glibc serves allocations above 32 MB
/// with mmap and returns them with munmap, and Open MPI's all-reduce
/// allocates its temporary buffers (a gradient's size) on every call. Every
/// step then faults in fresh pages: on this project's VMs, a 90 MB int64
/// all-reduce between two ranks took 210-360 ms that way and 21-29 ms with
/// the heap reused (bench/distributed/README.md). A training process
/// allocates the same sizes every step, so the heap does not grow beyond
/// the largest step.
static void keepFreedMemory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}

} // namespace

std::unique_ptr<Communicator> intc::host::createMpiCommunicator(int *argc,
                                                                char ***argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    keepFreedMemory(); // Before MPI_Init, so that MPI's own pools follow.
    // One thread calls MPI; the kernels' worker threads never do.
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  }
  return std::make_unique<Mpi>(MPI_COMM_WORLD);
}
