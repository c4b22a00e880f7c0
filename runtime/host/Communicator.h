//===- Communicator.h - How the ranks of a training job talk ----*- C++ -*-===//
//
// Data-parallel and pipelined training (`mpirun -np N intc train ...`) need
// only a few collective and point-to-point operations; the training loop
// talks to this interface and nothing else, so a build without MPI has no
// MPI dependency and a run without mpirun is the single-process trainer.
//
//  * allReduceSum: exact int64 sums (weight gradients, correct counts).
//    Integer addition is associative, so the result does not depend on the
//    reduction order or the number of ranks: that is what makes distributed
//    weights bit-identical to the single-process ones.
//  * allReduceSumAsync: the same, started now and finished by wait(), so
//    that a block's gradient travels while the next block computes.
//  * allGather: every rank's shard of the logits, for the loop's counts.
//  * send / recv, and sendAsync: a pipeline stage's forward output to the
//    next stage; the stage goes on with its next batch while it travels.
//  * split: the ranks of one pipeline stage, which all-reduce among
//    themselves.
//  * broadcast, barrier.
//  * fail: a rank that cannot go on (bad data, out of memory) stops the whole
//    job with a non-zero exit, after printing which rank and why; the others
//    never wait forever on it.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_COMMUNICATOR_H
#define INTC_RUNTIME_HOST_COMMUNICATOR_H

#include "llvm/ADT/Twine.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace intc::host {

class Communicator {
public:
  /// An operation in flight.
  class Request {
  public:
    virtual ~Request();
    /// Blocks until the operation is complete.
    virtual void wait() = 0;
    /// Lets the operation progress; true once it is complete.
    virtual bool test() = 0;
  };

  virtual ~Communicator();

  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// True when the process belongs to an MPI job, even of one rank (it then
  /// trains through the data-parallel path, which tests can compare).
  virtual bool distributed() const { return size() > 1; }
  /// "single process", "MPI (Open MPI v4.1.4)", for the run header.
  virtual std::string description() const = 0;

  /// Sums \p count values element-wise over all ranks, in place, exactly.
  virtual std::unique_ptr<Request> allReduceSumAsync(int64_t *values,
                                                     size_t count) = 0;
  void allReduceSum(int64_t *values, size_t count) {
    allReduceSumAsync(values, count)->wait();
  }

  /// Concatenates every rank's \p mine (\p counts[r] bytes from rank r, in
  /// rank order) into \p all on every rank.
  virtual void allGather(const void *mine, void *all,
                         const std::vector<size_t> &counts) = 0;

  /// Point-to-point messages of \p bytes bytes with a tag. Messages from
  /// one rank to another with one tag arrive in the order they were sent.
  virtual void send(int to, const void *data, size_t bytes, int tag) = 0;
  virtual void recv(int from, void *data, size_t bytes, int tag) = 0;
  /// send, started now: \p data must stay untouched until the request
  /// completes.
  virtual std::unique_ptr<Request> sendAsync(int to, const void *data,
                                             size_t bytes, int tag) = 0;

  /// The communicator of the ranks that pass the same \p color, ranked by
  /// \p key (ties: by rank here). Every rank must call it.
  virtual std::unique_ptr<Communicator> split(int color, int key) = 0;

  /// Copies \p bytes from rank \p root to every rank.
  virtual void broadcast(void *data, size_t bytes, int root) = 0;

  virtual void barrier() = 0;

  /// Prints "intc: rank R of N: error: <reason>" on stderr and ends the
  /// whole job with exit status 1.
  [[noreturn]] virtual void fail(const llvm::Twine &reason) = 0;
};

/// The one-rank communicator: collectives are no-ops, sends are errors.
std::unique_ptr<Communicator> createSingleProcessCommunicator();

/// True if this process was started by an MPI launcher (mpirun, srun).
bool launchedByMpi();

/// The MPI communicator over MPI_COMM_WORLD (MPI_Init on first use, with
/// MPI_Finalize at exit), or nullptr in a build without MPI.
std::unique_ptr<Communicator> createMpiCommunicator(int *argc, char ***argv);

/// createMpiCommunicator when launchedByMpi(), else the single process.
/// Under a launcher in a build without MPI, prints why and exits: N
/// independent copies of one run must not silently overwrite each other.
std::unique_ptr<Communicator> createCommunicator(int *argc, char ***argv);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_COMMUNICATOR_H
