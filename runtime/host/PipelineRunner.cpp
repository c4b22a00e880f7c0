//===- PipelineRunner.cpp - One model trained as a pipeline of stages -----===//

#include "runtime/host/PipelineRunner.h"

#include "runtime/c/intc_kernels.h"

#include <chrono>
#include <cstring>

using namespace llvm;
using namespace intc::host;

namespace {
using Clock = std::chrono::steady_clock;
uint64_t microsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() -
                                                               start)
      .count();
}

/// Message tags: training batches and test batches never mix (the pipeline
/// is drained before a test pass), but a tag each keeps it checkable.
constexpr int kTrainTag = 0x1c01, kEvalTag = 0x1c02;

size_t roundUp64(size_t n) { return (n + 63) / 64 * 64; }
} // namespace

//===----------------------------------------------------------------------===//
// Messages
//===----------------------------------------------------------------------===//

void PipelineRunner::Message::resize(int64_t samples, int64_t activationBytes) {
  // Header (step, lr_inv), labels, activation; the activation 64-byte
  // aligned like every buffer the generated code reads.
  activationAt = kLabelsAt + roundUp64(size_t(samples));
  bytes.assign(activationAt + size_t(samples * activationBytes), 0);
}

uint64_t PipelineRunner::Message::step() const {
  uint64_t v;
  std::memcpy(&v, bytes.data(), sizeof v);
  return v;
}

int64_t PipelineRunner::Message::lrInv() const {
  int64_t v;
  std::memcpy(&v, bytes.data() + 8, sizeof v);
  return v;
}

void PipelineRunner::Message::setHeader(uint64_t step, int64_t lrInv) {
  std::memcpy(bytes.data(), &step, sizeof step);
  std::memcpy(bytes.data() + 8, &lrInv, sizeof lrInv);
}

//===----------------------------------------------------------------------===//
// Set-up
//===----------------------------------------------------------------------===//

Expected<std::unique_ptr<PipelineRunner>>
PipelineRunner::create(std::unique_ptr<ModelRunner> local, Communicator &world,
                       PipelinePlan plan) {
  const int stages = int(plan.stages.size());
  if (stages < 1 || plan.dataRanks < 1 ||
      world.size() != stages * plan.dataRanks)
    return createStringError(Twine(world.size()) + " ranks cannot run " +
                             Twine(stages) + " pipeline stages of " +
                             Twine(plan.dataRanks) + " ranks each");
  const int stage = world.rank() / plan.dataRanks;
  const int dataRank = world.rank() % plan.dataRanks;
  const Shard shard = Shard::of(plan.globalBatch, dataRank, plan.dataRanks);
  if (local->batchSize() != shard.count)
    return createStringError("rank " + Twine(world.rank()) +
                             "'s stage runner takes batches of " +
                             Twine(local->batchSize()) + ", its shard has " +
                             Twine(shard.count) + " samples");
  if (plan.dataRanks > 1 && !local->hasGradientSteps())
    return createStringError(
        "this target's runner has no gradient steps, which data-parallel "
        "stages need (use -target=cpu)");
  // Every rank calls split, in the same order.
  std::unique_ptr<Communicator> stageComm = world.split(stage, dataRank);
  return std::unique_ptr<PipelineRunner>(new PipelineRunner(
      std::move(local), world, std::move(stageComm), std::move(plan)));
}

PipelineRunner::PipelineRunner(std::unique_ptr<ModelRunner> local,
                               Communicator &world,
                               std::unique_ptr<Communicator> stageComm,
                               PipelinePlan plan)
    : local(std::move(local)), world(world), stageComm(std::move(stageComm)),
      plan(std::move(plan)) {
  stage = world.rank() / this->plan.dataRanks;
  dataRank = world.rank() % this->plan.dataRanks;
  shard = Shard::of(this->plan.globalBatch, dataRank, this->plan.dataRanks);
  for (const PipelineStage &s : this->plan.stages)
    totalHeads += s.numBlocks;
  stageState.assign(size_t(mine().stateCount), 0);
  if (this->plan.dataRanks > 1)
    sharded = std::make_unique<ShardedStep>(*this->local, *this->stageComm,
                                            this->plan.globalBatch,
                                            mine().stateCount);
  if (stage > 0)
    inbox.resize(shard.count, mine().inputBytes);
  if (!isLast())
    for (Message &m : outboxes)
      m.resize(shard.count, mine().outputBytes);
  lastLogits.resize(size_t(shard.count * this->plan.numClasses));
  stageOut.resize(size_t(shard.count * mine().outputBytes));
}

void PipelineRunner::take(const int32_t *state) {
  if (state == held)
    return;
  std::memcpy(stageState.data(), state + mine().stateOffset,
              size_t(mine().stateCount) * sizeof(int32_t));
  held = state;
}

void PipelineRunner::init(int32_t *state, uint64_t seed) {
  // The stage's init draws the whole model's streams for its tensors; the
  // loop's array gets every stage's part at the next syncState.
  local->init(stageState.data(), seed);
  held = state;
}

//===----------------------------------------------------------------------===//
// Training
//===----------------------------------------------------------------------===//

void PipelineRunner::trainLocal(const int8_t *x, const uint8_t *labels,
                                int64_t lrInv, uint64_t seed, uint64_t step,
                                int8_t *out) {
  Clock::time_point start = Clock::now();
  if (sharded)
    sharded->run(stageState.data(), x, labels, lrInv, seed, step, out);
  else
    local->trainStep(stageState.data(), x, labels, lrInv, seed, step, out);
  counters.computeMicros += microsSince(start);
  ++counters.steps;
  ++trained;
}

PipelineRunner::Message &PipelineRunner::nextOutbox() {
  Message &m = outboxes[nextOut];
  nextOut ^= 1;
  if (m.inFlight) {
    Clock::time_point start = Clock::now();
    m.inFlight->wait();
    m.inFlight.reset();
    counters.sendMicros += microsSince(start);
  }
  return m;
}

void PipelineRunner::trainStep(int32_t *state, const int8_t *x,
                               const uint8_t *labels, int64_t lrInv,
                               uint64_t seed, uint64_t step, int8_t *) {
  take(state);
  ++calls;
  lastSeed = seed;
  if (stage == 0) {
    const uint8_t *myLabels = labels + shard.offset;
    const int8_t *myX = x + shard.offset * mine().inputBytes;
    if (isLast()) { // One stage: nothing to pass on.
      trainLocal(myX, myLabels, lrInv, seed, step, lastLogits.data());
      correct += uint64_t(intc_count_correct(lastLogits.data(), myLabels,
                                             int32_t(shard.count),
                                             int32_t(plan.numClasses)));
      return;
    }
    Message &m = nextOutbox();
    m.setHeader(step, lrInv);
    std::memcpy(m.labels(), myLabels, size_t(shard.count));
    trainLocal(myX, myLabels, lrInv, seed, step, m.activation());
    m.inFlight = world.sendAsync(world.rank() + plan.dataRanks, m.bytes.data(),
                                 m.bytes.size(), kTrainTag);
    return;
  }
  // Stage s trains on batch t − s, which stage s − 1 sent during the
  // previous call: the stages work on s different batches at once.
  if (calls > uint64_t(stage))
    trainReceived(seed);
}

void PipelineRunner::trainReceived(uint64_t seed) {
  Clock::time_point start = Clock::now();
  world.recv(world.rank() - plan.dataRanks, inbox.bytes.data(),
             inbox.bytes.size(), kTrainTag);
  counters.recvMicros += microsSince(start);
  const uint64_t step = inbox.step();
  const int64_t lrInv = inbox.lrInv();
  if (isLast()) {
    trainLocal(inbox.activation(), inbox.labels(), lrInv, seed, step,
               lastLogits.data());
    correct += uint64_t(intc_count_correct(lastLogits.data(), inbox.labels(),
                                           int32_t(shard.count),
                                           int32_t(plan.numClasses)));
    return;
  }
  Message &m = nextOutbox();
  m.setHeader(step, lrInv);
  std::memcpy(m.labels(), inbox.labels(), size_t(shard.count));
  trainLocal(inbox.activation(), inbox.labels(), lrInv, seed, step,
             m.activation());
  m.inFlight = world.sendAsync(world.rank() + plan.dataRanks, m.bytes.data(),
                               m.bytes.size(), kTrainTag);
}

void PipelineRunner::drain() {
  // Stage 0 trained on every batch the loop gave it; stage s is s batches
  // behind (fewer if the pass had fewer than s steps). The seed is fixed
  // for the run; the step and lr_inv travel with each batch.
  while (trained < calls)
    trainReceived(lastSeed);
  for (Message &m : outboxes)
    if (m.inFlight) {
      m.inFlight->wait();
      m.inFlight.reset();
    }
  calls = trained = 0;
}

uint64_t PipelineRunner::finishSteps() {
  drain();
  int64_t sum = int64_t(correct);
  world.allReduceSum(&sum, 1);
  correct = 0;
  return uint64_t(sum);
}

void PipelineRunner::syncState(int32_t *state) {
  drain();
  // Each stage's first rank contributes its part; concatenated in rank
  // order, the parts are the whole state.
  std::vector<size_t> counts(size_t(world.size()), 0);
  for (int r = 0; r < world.size(); r += plan.dataRanks)
    counts[size_t(r)] =
        size_t(plan.stages[size_t(r / plan.dataRanks)].stateCount) *
        sizeof(int32_t);
  world.allGather(stageState.data(), state, counts);
  held = state;
}

//===----------------------------------------------------------------------===//
// Evaluation
//===----------------------------------------------------------------------===//

void PipelineRunner::evaluateLocal(const int8_t *x, bool heads) {
  drain();
  const int8_t *in = x + shard.offset * mine().inputBytes;
  std::vector<int8_t> received;
  if (stage > 0) {
    received.resize(size_t(shard.count * mine().inputBytes));
    world.recv(world.rank() - plan.dataRanks, received.data(), received.size(),
               kEvalTag);
    in = received.data();
  }
  int8_t *out = isLast() ? lastLogits.data() : stageOut.data();
  if (heads) {
    stageHeads.resize(size_t(mine().numBlocks * shard.count * plan.numClasses));
    local->predictHeads(stageState.data(), in, out, stageHeads.data());
  } else {
    local->predict(stageState.data(), in, out);
  }
  if (!isLast())
    world.send(world.rank() + plan.dataRanks, out,
               size_t(shard.count * mine().outputBytes), kEvalTag);
}

void PipelineRunner::gatherLogits(int8_t *logits) {
  std::vector<size_t> counts(size_t(world.size()), 0);
  const int last = int(plan.stages.size()) - 1;
  for (int d = 0; d < plan.dataRanks; ++d)
    counts[size_t(last * plan.dataRanks + d)] = size_t(
        Shard::of(plan.globalBatch, d, plan.dataRanks).count * plan.numClasses);
  world.allGather(lastLogits.data(), logits, counts);
}

void PipelineRunner::predict(const int32_t *state, const int8_t *x,
                             int8_t *logits) {
  take(state);
  evaluateLocal(x, /*heads=*/false);
  gatherLogits(logits);
}

void PipelineRunner::predictHeads(const int32_t *state, const int8_t *x,
                                  int8_t *logits, int8_t *heads) {
  take(state);
  evaluateLocal(x, /*heads=*/true);
  gatherLogits(logits);
  // Every rank's H_s × b × K heads, in rank order, then rearranged into
  // the whole model's H × B × K.
  const int64_t k = plan.numClasses;
  std::vector<size_t> counts(size_t(world.size()));
  for (int r = 0; r < world.size(); ++r)
    counts[size_t(r)] = size_t(
        plan.stages[size_t(r / plan.dataRanks)].numBlocks *
        Shard::of(plan.globalBatch, r % plan.dataRanks, plan.dataRanks).count *
        k);
  size_t total = 0;
  for (size_t c : counts)
    total += c;
  gathered.resize(total);
  world.allGather(stageHeads.data(), gathered.data(), counts);
  const int8_t *from = gathered.data();
  for (int r = 0; r < world.size(); ++r) {
    const PipelineStage &s = plan.stages[size_t(r / plan.dataRanks)];
    const Shard rows =
        Shard::of(plan.globalBatch, r % plan.dataRanks, plan.dataRanks);
    for (int64_t h = 0; h < s.numBlocks; ++h) {
      std::memcpy(heads +
                      ((s.firstBlock + h) * plan.globalBatch + rows.offset) * k,
                  from, size_t(rows.count * k));
      from += rows.count * k;
    }
  }
}
