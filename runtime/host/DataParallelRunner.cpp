//===- DataParallelRunner.cpp - One model trained on N ranks --------------===//

#include "runtime/host/DataParallelRunner.h"

#include "runtime/host/GradsReady.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Process.h"

#include <chrono>
#include <csignal>
#include <cstring>
#include <utility>

using namespace llvm;
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

Expected<std::unique_ptr<DataParallelRunner>> DataParallelRunner::create(
    std::unique_ptr<ModelRunner> local, Communicator &comm, int64_t globalBatch,
    int64_t numWeights, int64_t imageBytes, uint32_t numClasses) {
  if (!local->hasGradientSteps())
    return createStringError(
        "this target's runner has no gradient steps, which data-parallel "
        "training needs (use -target=cpu)");
  const Shard shard = Shard::of(globalBatch, comm.rank(), comm.size());
  if (local->batchSize() != shard.count)
    return createStringError("rank " + Twine(comm.rank()) +
                             "'s runner takes batches of " +
                             Twine(local->batchSize()) + ", its shard has " +
                             Twine(shard.count) + " samples");
  return std::unique_ptr<DataParallelRunner>(new DataParallelRunner(
      std::move(local), comm, globalBatch, numWeights, imageBytes, numClasses));
}

DataParallelRunner::DataParallelRunner(std::unique_ptr<ModelRunner> local,
                                       Communicator &comm, int64_t globalBatch,
                                       int64_t numWeights, int64_t imageBytes,
                                       uint32_t numClasses)
    : local(std::move(local)), comm(comm), globalBatch(globalBatch),
      numWeights(numWeights), imageBytes(imageBytes), numClasses(numClasses),
      shard(Shard::of(globalBatch, comm.rank(), comm.size())) {
  grads.resize(size_t(numWeights));
  // INTC_ALLREDUCE_OVERLAP=0 all-reduces after the whole gradient step, for
  // measuring what the overlap gains (bench/distributed).
  if (std::optional<std::string> v =
          sys::Process::GetEnv("INTC_ALLREDUCE_OVERLAP"))
    overlap = *v != "0";
  // Crash tests (test/tools/intc/distributed/faults.test): "R:S" kills rank
  // R with SIGKILL when it starts step S, as a dying node would.
  if (std::optional<std::string> fault =
          sys::Process::GetEnv("INTC_TEST_KILL_RANK_AT_STEP")) {
    auto [rank, at] = StringRef(*fault).split(':');
    int r = -1;
    uint64_t s = 0;
    if (!rank.getAsInteger(10, r) && !at.getAsInteger(10, s) &&
        r == comm.rank())
      killAtStep = s;
  }
  cache.resize(size_t(this->local->cacheBytes()));
  shardLogits.resize(size_t(shard.count) * numClasses);
}

void DataParallelRunner::init(int32_t *state, uint64_t seed) {
  // The integer RNG is counter-based: every rank draws the same weights.
  local->init(state, seed);
}

void DataParallelRunner::gatherRows(const int8_t *mine, int8_t *all,
                                    int64_t rowBytes) {
  std::vector<size_t> counts(size_t(comm.size()));
  for (int r = 0; r < comm.size(); ++r)
    counts[size_t(r)] =
        size_t(Shard::of(globalBatch, r, comm.size()).count * rowBytes);
  comm.allGather(mine, all, counts);
}

uint64_t
DataParallelRunner::reduceWhileComputing(int64_t begin, int64_t count,
                                         llvm::function_ref<void()> compute) {
  // Each part the compiled code reports final (intc_grads_ready) is
  // all-reduced at once, in the background of the blocks still to come.
  // Every rank runs the same code, so every rank starts the same
  // non-blocking reductions in the same order, as MPI requires.
  std::vector<std::unique_ptr<Communicator::Request>> inFlight;
  std::vector<std::pair<int64_t, int64_t>> reported; // [offset, end)
  auto onReady = [&](int64_t offset, int64_t n) {
    if (offset < begin || n <= 0 || offset + n > begin + count)
      comm.fail("the compiled code reported gradients [" + Twine(offset) +
                ", " + Twine(offset + n) + ") outside this step's [" +
                Twine(begin) + ", " + Twine(begin + count) + ")");
    inFlight.push_back(
        comm.allReduceSumAsync(grads.data() + offset, size_t(n)));
    reported.emplace_back(offset, offset + n);
    for (auto &request : inFlight) // Lets the earlier ones progress.
      request->test();
  };
  Clock::time_point start = Clock::now();
  {
    std::optional<ScopedGradsReadyHandler> scope;
    if (overlap)
      scope.emplace(onReady);
    compute();
  }
  uint64_t computeMicros = microsSince(start);
  start = Clock::now();
  // What was not reported (no hook, overlap off, a tensor no layer owns)
  // goes now, gap by gap; a part reduced twice would be summed N times.
  llvm::sort(reported);
  int64_t at = begin;
  for (auto [offset, end] : reported) {
    if (offset < at)
      comm.fail("the compiled code reported gradients from " + Twine(offset) +
                " twice");
    if (offset > at)
      comm.allReduceSum(grads.data() + at, size_t(offset - at));
    at = end;
  }
  if (at < begin + count)
    comm.allReduceSum(grads.data() + at, size_t(begin + count - at));
  for (auto &request : inFlight)
    request->wait();
  counters.waitMicros += microsSince(start);
  counters.bytesReduced += uint64_t(count) * sizeof(int64_t);
  return computeMicros;
}

void DataParallelRunner::trainStep(int32_t *state, const int8_t *x,
                                   const uint8_t *labels, int64_t lrInv,
                                   uint64_t seed, uint64_t step,
                                   int8_t *logits) {
  if (killAtStep && *killAtStep == step)
    std::raise(SIGKILL);
  const int8_t *myX = x + shard.offset * imageBytes;
  const uint8_t *myLabels = labels + shard.offset;
  uint64_t compute = reduceWhileComputing(0, numWeights, [&] {
    local->trainGrads(state, myX, myLabels, seed, step, shard.offset,
                      globalBatch, grads.data(),
                      cache.empty() ? nullptr : cache.data(),
                      shardLogits.data());
  });
  Clock::time_point start = Clock::now();
  local->applyGrads(state, grads.data(), lrInv);
  if (ModelRunner::GradsRange second = local->grads2Range(); second.count) {
    compute += microsSince(start);
    compute += reduceWhileComputing(second.offset, second.count, [&] {
      local->trainGrads2(state, cache.data(), myLabels, grads.data());
    });
    start = Clock::now();
    local->applyGrads2(state, grads.data(), lrInv);
  }
  counters.computeMicros += compute + microsSince(start);
  ++counters.steps;
  gatherRows(shardLogits.data(), logits, numClasses);
}

void DataParallelRunner::predict(const int32_t *state, const int8_t *x,
                                 int8_t *logits) {
  local->predict(state, x + shard.offset * imageBytes, shardLogits.data());
  gatherRows(shardLogits.data(), logits, numClasses);
}

void DataParallelRunner::predictHeads(const int32_t *state, const int8_t *x,
                                      int8_t *logits, int8_t *heads) {
  const int64_t h = local->numHeads();
  const int64_t k = numClasses;
  shardHeads.resize(size_t(h * shard.count * k));
  local->predictHeads(state, x + shard.offset * imageBytes, shardLogits.data(),
                      shardHeads.data());
  gatherRows(shardLogits.data(), logits, k);
  // heads is H × B × K: gather head by head.
  for (int64_t i = 0; i < h; ++i)
    gatherRows(shardHeads.data() + i * shard.count * k,
               heads + i * globalBatch * k, k);
}
