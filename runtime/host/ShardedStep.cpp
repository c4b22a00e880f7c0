//===- ShardedStep.cpp - One training step over a batch's shards ----------===//

#include "runtime/host/ShardedStep.h"

#include <chrono>

using namespace intc::host;

namespace {
using Clock = std::chrono::steady_clock;
uint64_t microsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() -
                                                               start)
      .count();
}
} // namespace

Shard Shard::of(int64_t total, int rank, int ranks) {
  const int64_t base = total / ranks, extra = total % ranks;
  Shard s;
  s.count = base + (rank < extra ? 1 : 0);
  s.offset = rank * base + std::min<int64_t>(rank, extra);
  return s;
}

ShardedStep::ShardedStep(ModelRunner &local, Communicator &comm,
                         int64_t globalBatch, int64_t numWeights)
    : local(local), comm(comm), globalBatch(globalBatch),
      mine(Shard::of(globalBatch, comm.rank(), comm.size())) {
  grads.resize(size_t(numWeights));
  cache.resize(size_t(local.cacheBytes()));
}

void ShardedStep::run(int32_t *state, const int8_t *x, const uint8_t *labels,
                      int64_t lrInv, uint64_t seed, uint64_t step,
                      int8_t *out) {
  Clock::time_point start = Clock::now();
  local.trainGrads(state, x, labels, seed, step, mine.offset, globalBatch,
                   grads.data(), cache.empty() ? nullptr : cache.data(), out);
  uint64_t compute = microsSince(start);
  start = Clock::now();
  comm.allReduceSum(grads.data(), grads.size());
  counters.waitMicros += microsSince(start);
  counters.bytesReduced += grads.size() * sizeof(int64_t);
  start = Clock::now();
  local.applyGrads(state, grads.data(), lrInv);
  if (ModelRunner::GradsRange second = local.grads2Range(); second.count) {
    local.trainGrads2(state, cache.data(), labels, grads.data());
    compute += microsSince(start);
    start = Clock::now();
    comm.allReduceSum(grads.data() + second.offset, size_t(second.count));
    counters.waitMicros += microsSince(start);
    counters.bytesReduced += uint64_t(second.count) * sizeof(int64_t);
    start = Clock::now();
    local.applyGrads2(state, grads.data(), lrInv);
  }
  counters.computeMicros += compute + microsSince(start);
  ++counters.steps;
}
