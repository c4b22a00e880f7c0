//===- ShardedStep.h - One training step over a batch's shards --*- C++ -*-===//
//
// The data-parallel step: a global batch of G samples is split into
// contiguous shards over the ranks of a communicator, each rank holding the
// whole state (of a model, or of one pipeline stage). Per step, every rank
//
//   1. computes the weight-gradient sums over its shard (trainGrads; the
//      dropout masks are keyed by the global sample index, so they do not
//      depend on the number of ranks);
//   2. all-reduces them, exact int64 sums (Communicator.h), block by block
//      as soon as each is ready when the local runner reports them
//      (GradsReady.h), so that communication overlaps the remaining
//      gradients;
//   3. applies the same update (applyGrads) — and, for CNNs, the FC blocks'
//      second local step the same way (trainGrads2).
//
// A runner on a device (cuda) keeps the gradients in its memory
// (ModelRunner::deviceGradients): the step then hands its device buffers
// to the gradient steps and sums them with its DeviceReducer (NCCL, or
// host staging), each range in one piece after the compute that writes it.
//
// and ends with the state trainStep gives on the whole batch, bit for bit
// (ModelRunner.h, "Gradient steps").
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_SHARDEDSTEP_H
#define INTC_RUNTIME_HOST_SHARDEDSTEP_H

#include "runtime/host/Communicator.h"
#include "runtime/host/DeviceReducer.h"
#include "runtime/host/ModelRunner.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>
#include <string>
#include <vector>

namespace intc::host {

/// Rank r's contiguous share [offset, offset + count) of \p total items
/// over \p ranks ranks: the first total mod ranks ranks get one more.
struct Shard {
  int64_t offset = 0, count = 0;
  static Shard of(int64_t total, int rank, int ranks);
};

/// Traffic and time of the all-reduces, for bench/distributed.
struct DataParallelStats {
  uint64_t steps = 0;
  uint64_t bytesReduced = 0;  // Per rank, over all steps.
  uint64_t computeMicros = 0; // trainGrads + apply + the second step.
  uint64_t waitMicros = 0;    // Blocked in the all-reduce beyond compute.
  // On a device the kernels run asynchronously: compute is the time until
  // the logits came back, waiting the time in the DeviceReducer (its copies
  // and MPI for host staging, the enqueue only for NCCL).
};

class ShardedStep {
public:
  /// \p local is compiled for this rank's shard of \p globalBatch over
  /// \p comm and has gradient steps; its state has \p numWeights weights.
  /// With a \p device reducer, the gradients stay in \p device's buffers.
  ShardedStep(ModelRunner &local, Communicator &comm, int64_t globalBatch,
              int64_t numWeights, ModelRunner::DeviceGradients device = {});

  const Shard &shard() const { return mine; }

  /// One training step on this rank's shard (\p x and \p labels hold its
  /// samples only); writes the shard's output rows to \p out.
  void run(int32_t *state, const int8_t *x, const uint8_t *labels,
           int64_t lrInv, uint64_t seed, uint64_t step, int8_t *out);

  const DataParallelStats &stats() const { return counters; }

  /// How the gradients are summed ("all-reduced in host memory through
  /// <comm>", or the device reducer's description), for the run header.
  std::string reduction() const;

private:
  /// run() with the gradients in device memory.
  void runOnDevice(int32_t *state, const int8_t *x, const uint8_t *labels,
                   int64_t lrInv, uint64_t seed, uint64_t step, int8_t *out);

  /// Runs \p compute, which writes the gradients [begin, begin + count),
  /// and all-reduces them, overlapping the parts it reports ready; returns
  /// the compute time in microseconds.
  uint64_t reduceWhileComputing(int64_t begin, int64_t count,
                                llvm::function_ref<void()> compute);

  ModelRunner &local;
  Communicator &comm;
  int64_t globalBatch, numGrads;
  Shard mine;
  std::vector<int64_t> grads;
  std::vector<uint8_t> cache;
  ModelRunner::DeviceGradients device; ///< null reducer: host buffers
  DataParallelStats counters;
  bool overlap = true; // INTC_ALLREDUCE_OVERLAP
};

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_SHARDEDSTEP_H
