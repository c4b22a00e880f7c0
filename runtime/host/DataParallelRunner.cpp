//===- DataParallelRunner.cpp - One model trained on N ranks --------------===//

#include "runtime/host/DataParallelRunner.h"

#include "llvm/Support/Process.h"

#include <csignal>
#include <cstring>

using namespace llvm;
using namespace intc::host;

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
  // Collective: every rank gets here with the same kind of runner.
  Expected<ModelRunner::DeviceGradients> device = local->deviceGradients(comm);
  if (!device)
    return device.takeError();
  return std::unique_ptr<DataParallelRunner>(
      new DataParallelRunner(std::move(local), comm, globalBatch, numWeights,
                             imageBytes, numClasses, std::move(*device)));
}

DataParallelRunner::DataParallelRunner(std::unique_ptr<ModelRunner> local,
                                       Communicator &comm, int64_t globalBatch,
                                       int64_t numWeights, int64_t imageBytes,
                                       uint32_t numClasses,
                                       ModelRunner::DeviceGradients device)
    : local(std::move(local)), comm(comm), globalBatch(globalBatch),
      imageBytes(imageBytes), numClasses(numClasses),
      step(*this->local, comm, globalBatch, numWeights, std::move(device)),
      shard(step.shard()) {
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

void DataParallelRunner::trainStep(int32_t *state, const int8_t *x,
                                   const uint8_t *labels, int64_t lrInv,
                                   uint64_t seed, uint64_t step,
                                   int8_t *logits) {
  if (killAtStep && *killAtStep == step)
    std::raise(SIGKILL);
  this->step.run(state, x + shard.offset * imageBytes, labels + shard.offset,
                 lrInv, seed, step, shardLogits.data());
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
