//===- GradientStepsTest.cpp - Sharded gradient steps equal train_step ----===//
//
// The property data-parallel training rests on: for any split of a global
// batch into contiguous shards, each shard's train_grads (compiled for the
// shard's size), the int64 sum of their gradients, apply_grads, and, in a CNN
// with the double update, train_grads2 / sum / apply_grads2, give a state
// byte-identical to one train_step on the whole batch, step after step. Two
// negative controls show the comparison can fail: shards that ignore their
// sample offset (dropout masks of the wrong samples), and a CNN step that
// skips the second local step. The cpu target (JIT) and the cuda lowering
// run on the host (cuda-host, whose gradient steps the cuda runner calls on
// the device) are both checked.
//
//===----------------------------------------------------------------------===//

#include "lib/Driver/ModelLoader.h"
#include "lib/Driver/Runners.h"

#include "runtime/c/intc_rng.h"

#include "gtest/gtest.h"

#include <cstring>
#include <map>
#include <numeric>
#include <vector>

using namespace intc;
using namespace intc::driver;

namespace {

constexpr int64_t kGlobalBatch = 8;
constexpr uint64_t kSeed = 5;

/// A model compiled for one target, for the whole batch and each shard size.
struct Compiled {
  LoadedModel loaded;
  host::ModelInfo info;
  std::map<int64_t, TargetRunner> runners; ///< by batch size

  host::ModelRunner &at(int64_t batch) { return *runners.at(batch).runner; }
};

/// Compiles `path` for `target` (cpu, cuda-host) at every size in `batches`.
Compiled &compile(const std::string &path, std::vector<int64_t> batches,
                  const std::string &target = "cpu") {
  // Never destroyed: the modules must not outlive the MLIR context, a
  // function-local static destroyed first at exit.
  static auto *cache = new std::map<std::string, Compiled>;
  auto [it, inserted] = cache->try_emplace(target + ":" + path);
  Compiled &c = it->second;
  if (!inserted)
    return c;
  mlir::FailureOr<LoadedModel> loaded = loadModel(path);
  if (failed(loaded)) {
    ADD_FAILURE() << "cannot load " << path;
    return c;
  }
  c.loaded = std::move(*loaded);
  c.info = makeModelInfo(c.loaded, kGlobalBatch);
  for (int64_t batch : batches) {
    mlir::intc::CodegenOptions codegen;
    codegen.batch = batch;
    auto runner = createRunner(c.loaded, target, codegen);
    if (!runner) {
      ADD_FAILURE() << llvm::toString(runner.takeError());
      continue;
    }
    c.runners.emplace(batch, std::move(*runner));
  }
  return c;
}

std::string modelPath(const char *relative) {
  return std::string(INTC_SOURCE_DIR) + "/" + relative;
}

/// One global batch of random int8 images and labels for step `step`.
void makeBatch(const host::ModelInfo &info, uint64_t step,
               std::vector<int8_t> &x, std::vector<uint8_t> &labels) {
  uint64_t key = intc_rng_key(kSeed, 0x7d1);
  int64_t image = info.imageBytes();
  x.resize(kGlobalBatch * image);
  labels.resize(kGlobalBatch);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] =
        static_cast<int8_t>(static_cast<int32_t>(intc_rng_below(
                                intc_rng_u64(key, step * 1000003 + i), 256)) -
                            128);
  for (int64_t s = 0; s < kGlobalBatch; ++s)
    labels[s] = static_cast<uint8_t>(intc_rng_below(
        intc_rng_u64(key, (uint64_t(1) << 40) + step * kGlobalBatch + s),
        info.numClasses));
}

/// How a test may break the sharded step (the negative controls).
enum class Fault { None, ZeroOffsets, SkipSecondStep };

/// One data-parallel step with the global batch split into `shards`: every
/// shard's train_grads, the sums, apply_grads, then the second step where
/// the model has one. Returns the summed first-step gradients; the shards'
/// training-mode outputs go to `logits`.
std::vector<int64_t>
shardedStep(Compiled &c, const std::vector<int64_t> &shards,
            std::vector<int32_t> &state, const std::vector<int8_t> &x,
            const std::vector<uint8_t> &labels, int64_t lrInv, uint64_t step,
            std::vector<int8_t> &logits, Fault fault = Fault::None) {
  int64_t n = c.info.numWeights, image = c.info.imageBytes(),
          k = c.info.numClasses;
  std::vector<int64_t> sum(n, 0), grads(n);
  std::vector<std::vector<uint8_t>> caches;
  logits.assign(kGlobalBatch * k, 0);
  int64_t offset = 0;
  for (int64_t size : shards) {
    host::ModelRunner &r = c.at(size);
    caches.emplace_back(std::max<int64_t>(r.cacheBytes(), 1));
    // Poison the outputs: every element must be written.
    std::fill(grads.begin(), grads.end(), INT64_MIN);
    r.trainGrads(state.data(), &x[offset * image], &labels[offset], kSeed, step,
                 fault == Fault::ZeroOffsets ? 0 : offset, kGlobalBatch,
                 grads.data(), caches.back().data(), &logits[offset * k]);
    for (int64_t i = 0; i < n; ++i)
      sum[i] += grads[i];
    offset += size;
  }
  c.at(shards.front()).applyGrads(state.data(), sum.data(), lrInv);

  host::ModelRunner::GradsRange range = c.at(shards.front()).grads2Range();
  if (range.count == 0 || fault == Fault::SkipSecondStep)
    return sum;
  std::vector<int64_t> sum2(n, 0);
  offset = 0;
  for (auto [i, size] : llvm::enumerate(shards)) {
    std::fill(grads.begin(), grads.end(), INT64_MIN);
    c.at(size).trainGrads2(state.data(), caches[i].data(), &labels[offset],
                           grads.data());
    for (int64_t j = range.offset; j < range.offset + range.count; ++j)
      sum2[j] += grads[j];
    offset += size;
  }
  c.at(shards.front()).applyGrads2(state.data(), sum2.data(), lrInv);
  return sum;
}

struct Case {
  const char *model;
  bool hasSecondStep, hasDropout;
  const char *target;
};

void PrintTo(const Case &c, std::ostream *os) {
  *os << c.model << " on " << c.target;
}

class GradientSteps : public ::testing::TestWithParam<Case> {
protected:
  Compiled &model() {
    return compile(modelPath(GetParam().model), {8, 4, 3, 2},
                   GetParam().target);
  }
};

/// The shardings of the global batch of 8 the property is checked for.
const std::vector<std::vector<int64_t>> kShardings = {
    {8}, {4, 4}, {3, 3, 2}, {2, 3, 3}, {2, 2, 2, 2}};

TEST_P(GradientSteps, ShardedStepsEqualTrainStep) {
  Compiled &c = model();
  ASSERT_EQ(c.runners.size(), 4u);
  host::ModelRunner &whole = c.at(kGlobalBatch);
  ASSERT_TRUE(whole.hasGradientSteps());
  EXPECT_EQ(whole.grads2Range().count > 0, GetParam().hasSecondStep);
  EXPECT_EQ(whole.cacheBytes() > 0, GetParam().hasSecondStep);

  int64_t n = c.info.numWeights;
  std::vector<int32_t> initial(n);
  whole.init(initial.data(), kSeed);
  for (const std::vector<int64_t> &shards : kShardings) {
    SCOPED_TRACE("shards of " + std::to_string(shards.size()));
    std::vector<int32_t> expected = initial, actual = initial;
    std::vector<int8_t> x, logitsStep(kGlobalBatch * c.info.numClasses),
        logitsShards;
    std::vector<uint8_t> labels;
    for (uint64_t step = 0; step < 4; ++step) {
      // A learning rate that varies too, so that sums are divided by
      // several runtime divisors.
      int64_t lrInv = step % 2 ? 16 : 3;
      makeBatch(c.info, step, x, labels);
      whole.trainStep(expected.data(), x.data(), labels.data(), lrInv, kSeed,
                      step, logitsStep.data());
      shardedStep(c, shards, actual, x, labels, lrInv, step, logitsShards);
      ASSERT_EQ(
          std::memcmp(expected.data(), actual.data(), n * sizeof(int32_t)), 0)
          << "states differ after step " << step;
      ASSERT_EQ(logitsStep, logitsShards) << "logits differ at step " << step;
    }
    // The steps did change the weights.
    EXPECT_NE(expected, initial);
  }
}

/// The gradient sums themselves do not depend on the split.
TEST_P(GradientSteps, SumsDoNotDependOnTheSplit) {
  Compiled &c = model();
  ASSERT_EQ(c.runners.size(), 4u);
  int64_t n = c.info.numWeights;
  std::vector<int32_t> initial(n);
  c.at(kGlobalBatch).init(initial.data(), kSeed);
  std::vector<int8_t> x, logits;
  std::vector<uint8_t> labels;
  makeBatch(c.info, 3, x, labels);
  std::vector<int64_t> reference;
  for (const std::vector<int64_t> &shards : kShardings) {
    std::vector<int32_t> state = initial;
    std::vector<int64_t> sum =
        shardedStep(c, shards, state, x, labels, 3, 3, logits);
    if (reference.empty())
      reference = sum;
    EXPECT_TRUE(sum == reference)
        << "sums differ with shards of " << shards.size();
  }
  EXPECT_NE(std::count(reference.begin(), reference.end(), 0), n);
}

/// Negative controls: the comparison above does catch a wrong dropout mask
/// and a missing second step.
TEST_P(GradientSteps, BrokenShardingIsCaught) {
  Compiled &c = model();
  ASSERT_EQ(c.runners.size(), 4u);
  host::ModelRunner &whole = c.at(kGlobalBatch);
  int64_t n = c.info.numWeights;
  std::vector<int32_t> initial(n);
  whole.init(initial.data(), kSeed);
  std::vector<int8_t> x, logitsStep(kGlobalBatch * c.info.numClasses),
      logitsShards;
  std::vector<uint8_t> labels;
  std::vector<Fault> faults = {Fault::ZeroOffsets};
  if (GetParam().hasSecondStep)
    faults.push_back(Fault::SkipSecondStep);
  for (Fault fault : faults) {
    std::vector<int32_t> expected = initial, actual = initial;
    bool differs = false;
    for (uint64_t step = 0; step < 4 && !differs; ++step) {
      makeBatch(c.info, step, x, labels);
      whole.trainStep(expected.data(), x.data(), labels.data(), 3, kSeed, step,
                      logitsStep.data());
      shardedStep(c, {4, 4}, actual, x, labels, 3, step, logitsShards, fault);
      differs = expected != actual || logitsStep != logitsShards;
    }
    // Without dropout, ignoring the offset changes nothing.
    if (fault == Fault::ZeroOffsets && !GetParam().hasDropout)
      EXPECT_FALSE(differs);
    else
      EXPECT_TRUE(differs) << "fault " << static_cast<int>(fault)
                           << " went unnoticed";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Models, GradientSteps,
    ::testing::Values(
        // MLP1 (784-100-50-10): no dropout, no second step.
        Case{"examples/mlp1_mnist.mlir", false, false, "cpu"},
        // Two conv blocks (one with a padded head pool), an inter-block
        // pool, dropout on a 4-D map and after the linear block, and the
        // linear block's double update.
        Case{"test/tools/intc/Inputs/small_cnn.mlir", true, true, "cpu"},
        Case{"examples/mlp1_mnist.mlir", false, false, "cuda-host"},
        Case{"test/tools/intc/Inputs/small_cnn.mlir", true, true, "cuda-host"}),
    [](const ::testing::TestParamInfo<Case> &info) {
      std::string target = info.param.target;
      return std::string(info.param.hasSecondStep ? "SmallCnn" : "Mlp1") +
             (target == "cpu" ? "" : "CudaHost");
    });

/// A model without a second step exposes the no-op second step.
TEST(GradientStepsApi, NoSecondStepIsANoOp) {
  for (const char *target : {"cpu", "cuda-host"}) {
    SCOPED_TRACE(target);
    Compiled &c =
        compile(modelPath("examples/mlp1_mnist.mlir"), {8, 4, 3, 2}, target);
    ASSERT_EQ(c.runners.size(), 4u);
    host::ModelRunner &r = c.at(4);
    EXPECT_EQ(r.batchSize(), 4);
    EXPECT_TRUE(r.hasGradientSteps());
    EXPECT_EQ(r.cacheBytes(), 0);
    EXPECT_EQ(r.grads2Range().count, 0);
    std::vector<int32_t> state(c.info.numWeights, 7), before = state;
    std::vector<int64_t> grads(c.info.numWeights, 1);
    std::vector<uint8_t> labels(4, 0);
    r.trainGrads2(state.data(), nullptr, labels.data(), grads.data());
    r.applyGrads2(state.data(), grads.data(), 1);
    EXPECT_EQ(state, before);
  }
}

} // namespace
