//===- ShardedStep.cpp - One training step over a batch's shards ----------===//

#include "runtime/host/ShardedStep.h"

#include "runtime/host/GradsReady.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Process.h"

#include <chrono>
#include <optional>
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

ShardedStep::ShardedStep(ModelRunner &local, Communicator &comm,
                         int64_t globalBatch, int64_t numWeights,
                         ModelRunner::DeviceGradients device)
    : local(local), comm(comm), globalBatch(globalBatch), numGrads(numWeights),
      mine(Shard::of(globalBatch, comm.rank(), comm.size())),
      device(std::move(device)) {
  if (!this->device.reducer) {
    grads.resize(size_t(numWeights));
    cache.resize(size_t(local.cacheBytes()));
  }
  // INTC_ALLREDUCE_OVERLAP=0 all-reduces after the whole gradient step, for
  // measuring what the overlap gains (bench/distributed).
  if (std::optional<std::string> v =
          sys::Process::GetEnv("INTC_ALLREDUCE_OVERLAP"))
    overlap = *v != "0";
}

uint64_t ShardedStep::reduceWhileComputing(int64_t begin, int64_t count,
                                           function_ref<void()> compute) {
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

std::string ShardedStep::reduction() const {
  if (device.reducer)
    return device.reducer->description();
  return "all-reduced in host memory through " + comm.description() +
         (overlap ? ", block by block as each is final" : "");
}

void ShardedStep::runOnDevice(int32_t *state, const int8_t *x,
                              const uint8_t *labels, int64_t lrInv,
                              uint64_t seed, uint64_t step, int8_t *out) {
  DeviceReducer &reducer = *device.reducer;
  Clock::time_point start = Clock::now();
  uint64_t compute = 0, wait = 0;
  auto lap = [&](uint64_t &into) {
    Clock::time_point now = Clock::now();
    into += uint64_t(
        std::chrono::duration_cast<std::chrono::microseconds>(now - start)
            .count());
    start = now;
  };
  local.trainGrads(state, x, labels, seed, step, mine.offset, globalBatch,
                   device.grads, device.cache, out);
  lap(compute);
  reducer.allReduceSum(device.grads, size_t(numGrads));
  lap(wait);
  local.applyGrads(state, device.grads, lrInv);
  uint64_t bytes = uint64_t(numGrads) * sizeof(int64_t);
  if (ModelRunner::GradsRange second = local.grads2Range(); second.count) {
    local.trainGrads2(state, device.cache, labels, device.grads);
    lap(compute);
    reducer.allReduceSum(device.grads + second.offset, size_t(second.count));
    lap(wait);
    local.applyGrads2(state, device.grads, lrInv);
    bytes += uint64_t(second.count) * sizeof(int64_t);
  }
  lap(compute);
  counters.computeMicros += compute;
  counters.waitMicros += wait;
  counters.bytesReduced += bytes;
  ++counters.steps;
}

void ShardedStep::run(int32_t *state, const int8_t *x, const uint8_t *labels,
                      int64_t lrInv, uint64_t seed, uint64_t step,
                      int8_t *out) {
  if (device.reducer)
    return runOnDevice(state, x, labels, lrInv, seed, step, out);
  uint64_t compute = reduceWhileComputing(0, int64_t(grads.size()), [&] {
    local.trainGrads(state, x, labels, seed, step, mine.offset, globalBatch,
                     grads.data(), cache.empty() ? nullptr : cache.data(), out);
  });
  Clock::time_point start = Clock::now();
  local.applyGrads(state, grads.data(), lrInv);
  if (ModelRunner::GradsRange second = local.grads2Range(); second.count) {
    compute += microsSince(start);
    compute += reduceWhileComputing(second.offset, second.count, [&] {
      local.trainGrads2(state, cache.data(), labels, grads.data());
    });
    start = Clock::now();
    local.applyGrads2(state, grads.data(), lrInv);
  }
  counters.computeMicros += compute + microsSince(start);
  ++counters.steps;
}
