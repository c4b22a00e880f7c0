//===- TrainerTest.cpp - The training loop: learning, resume, schedule ----===//
//
// A tiny MLP (flatten 1×8×8 → block 64→32 → output 2) trained by the
// reference runner on a synthetic two-class data set, and fake runners whose
// predictions the tests control.
//
//===----------------------------------------------------------------------===//

#include "runtime/host/Trainer.h"
#include "runtime/host/Checkpoint.h"
#include "runtime/host/ReferenceRunner.h"
#include "runtime/host/TrainCheckpoint.h"

#include "TestUtil.h"

#include "runtime/c/intc_data.h"
#include "runtime/c/intc_model.h"
#include "runtime/c/intc_rng.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Regex.h"

#include "gtest/gtest.h"

#include <memory>

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

constexpr uint32_t kBatch = 16;

/// 2 classes of 8×8 images: class 0 is bright on the top half, class 1 on
/// the bottom half, both with noise. \p n images; labels alternate with a
/// random twist.
ImageSet makeImages(uint32_t n, uint64_t salt) {
  ImageSet set;
  set.n = n;
  set.c = 1;
  set.h = 8;
  set.w = 8;
  set.pixels.resize(size_t(n) * 64);
  set.labels.resize(n);
  const uint64_t key = intc_rng_key(salt, 7);
  for (uint32_t i = 0; i < n; ++i) {
    const uint8_t label = uint8_t(intc_rng_below(intc_rng_u64(key, i), 2));
    set.labels[i] = label;
    for (uint32_t p = 0; p < 64; ++p) {
      const bool top = p < 32;
      const uint32_t base = (top == (label == 0)) ? 150 : 60;
      set.pixels[size_t(i) * 64 + p] = uint8_t(
          base +
          intc_rng_below(intc_rng_u64(key, (uint64_t(i) << 8) + p + 1), 100));
    }
  }
  return set;
}

Dataset makeDataset(uint32_t train = 512, uint32_t test = 120) {
  Dataset data;
  data.train = makeImages(train, 1);
  data.test = makeImages(test, 2);
  return data;
}

/// The descriptor of the tiny MLP (layers must not move: heap-allocated).
struct TinyMlp {
  std::vector<intc_layer> layers;
  intc_model model = {};
  explicit TinyMlp(int32_t hidden = 32) {
    intc_block_params p = intc_block_params_reference(30000, 3000);
    layers = {intc_make_flatten(1, 8, 8),
              intc_make_linear_block(64, hidden, 2, &p),
              intc_make_output(hidden, 2, &p)};
    model.name = "tiny-mlp";
    model.num_classes = 2;
    model.one_hot_value = INTC_REFERENCE_ONE_HOT_VALUE;
    model.in_c = 1;
    model.in_h = 8;
    model.in_w = 8;
    model.flags = INTC_FLAGS_REFERENCE;
    EXPECT_EQ(intc_model_finalize(&model, layers.data(), int32_t(layers.size()),
                                  nullptr),
              INTC_OK);
  }
};

/// A reference runner and its ModelInfo.
struct Reference {
  std::unique_ptr<TinyMlp> mlp;
  std::unique_ptr<ReferenceRunner> runner;
  ModelInfo info;
  explicit Reference(int32_t hidden = 32)
      : mlp(std::make_unique<TinyMlp>(hidden)) {
    auto created = ReferenceRunner::create(mlp->model, kBatch);
    EXPECT_TRUE(bool(created));
    if (created)
      runner = std::move(*created);
    else
      llvm::consumeError(created.takeError());
    info = referenceModelInfo(mlp->model, "synthetic", kBatch);
  }
};

TrainOptions quietOptions(uint32_t epochs) {
  TrainOptions options;
  options.epochs = epochs;
  options.progress = ProgressBar::Style::Off;
  options.targetName = "ref";
  return options;
}

/// Every tensor of a checkpoint, concatenated, plus its metadata.
struct Saved {
  std::vector<int32_t> weights;
  std::map<std::string, std::string> metadata;
};

Saved readSaved(const std::string &path) {
  Saved saved;
  llvm::Expected<Checkpoint> ckpt = readSafetensors(path);
  if (!ckpt) {
    ADD_FAILURE() << llvm::toString(ckpt.takeError());
    return saved;
  }
  for (const Tensor &t : ckpt->tensors) {
    std::vector<int32_t> v = t.values<int32_t>();
    saved.weights.insert(saved.weights.end(), v.begin(), v.end());
  }
  saved.metadata = ckpt->metadata;
  return saved;
}

/// Runs training and returns the summary; fails the test on error.
RunSummary train(ModelRunner &runner, const ModelInfo &info,
                 const Dataset &data, const TrainOptions &options,
                 std::string *text = nullptr) {
  std::string out;
  llvm::raw_string_ostream os(out);
  llvm::Expected<RunSummary> summary =
      runTraining(runner, info, data, options, os);
  if (text)
    *text = out;
  if (!summary) {
    ADD_FAILURE() << llvm::toString(summary.takeError());
    return {};
  }
  return *summary;
}

/// Forwards to another runner and counts the calls.
struct CountingRunner : ModelRunner {
  ModelRunner &inner;
  uint64_t trainSteps = 0, predicts = 0;
  std::vector<uint64_t> steps;
  explicit CountingRunner(ModelRunner &inner) : inner(inner) {}
  int64_t batchSize() const override { return inner.batchSize(); }
  void init(int32_t *state, uint64_t seed) override { inner.init(state, seed); }
  void trainStep(int32_t *state, const int8_t *x, const uint8_t *labels,
                 int64_t lrInv, uint64_t seed, uint64_t step,
                 int8_t *logits) override {
    ++trainSteps;
    steps.push_back(step);
    inner.trainStep(state, x, labels, lrInv, seed, step, logits);
  }
  void predict(const int32_t *state, const int8_t *x, int8_t *logits) override {
    ++predicts;
    inner.predict(state, x, logits);
  }
};

/// A model with no learning: every logit is 0, so the argmax is class 0 (ties
/// go to the lowest index). Records the lr_inv of every step.
struct ConstantRunner : ModelRunner {
  std::vector<int64_t> lrInvs;
  int64_t batchSize() const override { return kBatch; }
  void init(int32_t *state, uint64_t) override { state[0] = 0; }
  void trainStep(int32_t *, const int8_t *, const uint8_t *, int64_t lrInv,
                 uint64_t, uint64_t, int8_t *logits) override {
    lrInvs.push_back(lrInv);
    std::fill(logits, logits + kBatch * 2, 0);
  }
  void predict(const int32_t *, const int8_t *, int8_t *logits) override {
    std::fill(logits, logits + kBatch * 2, 0);
  }
};

ModelInfo constantInfo() {
  ModelInfo info;
  info.name = "constant";
  info.c = 1;
  info.h = info.w = 8;
  info.numClasses = 2;
  info.numWeights = 1;
  info.tensors = {{"w", {1}, 0}};
  info.batch = kBatch;
  return info;
}

/// The lines of \p text matching \p pattern.
std::vector<std::string> grep(llvm::StringRef text, llvm::StringRef pattern) {
  llvm::Regex regex(pattern);
  llvm::SmallVector<llvm::StringRef> lines;
  text.split(lines, '\n');
  std::vector<std::string> out;
  for (llvm::StringRef line : lines)
    if (regex.match(line))
      out.push_back(line.str());
  return out;
}

//===----------------------------------------------------------------------===//

TEST(Trainer, LearnsTheSyntheticTask) {
  Reference ref;
  Dataset data = makeDataset();
  std::string text;
  RunSummary s = train(*ref.runner, ref.info, data, quietOptions(3), &text);
  EXPECT_EQ(s.epochsRun, 3u);
  EXPECT_EQ(s.stopReason, "completed");
  EXPECT_EQ(s.steps, 3u * (512 / kBatch));
  EXPECT_EQ(s.testSeen, 112u); // (120 // 16) · 16
  EXPECT_EQ(s.finalTestSeen, 120u);
  // Chance is 50%.
  EXPECT_GE(s.bestTestCorrect * 100, 90 * s.testSeen) << text;
  EXPECT_GE(s.finalTestCorrect * 100, 90 * s.finalTestSeen) << text;
  EXPECT_GE(s.trainCorrectAtBest * 100, 80 * s.trainSeenAtBest) << text;
  EXPECT_EQ(s.trainSeenAtBest, 512u);

  // The greppable lines.
  EXPECT_EQ(grep(text, "^test accuracy: [0-9]+\\.[0-9][0-9]%$").size(), 1u)
      << text;
  EXPECT_EQ(grep(text, "^best test accuracy: [0-9]+\\.[0-9][0-9]% \\(epoch "
                       "[1-3], 112 images\\)$")
                .size(),
            1u)
      << text;
  EXPECT_EQ(grep(text, "^final test accuracy: [0-9]+\\.[0-9][0-9]% \\(120 "
                       "images\\)$")
                .size(),
            1u)
      << text;
  EXPECT_EQ(grep(text, "^epoch [1-3]/3: train ").size(), 3u) << text;
}

TEST(Trainer, SameSeedSameWeightsOtherSeedOtherWeights) {
  Dataset data = makeDataset();
  std::vector<std::vector<int32_t>> weights;
  for (uint64_t seed : {7, 7, 8}) {
    Reference ref;
    TempDir dir;
    TrainOptions options = quietOptions(2);
    options.seed = seed;
    options.outDir = dir.path();
    train(*ref.runner, ref.info, data, options);
    weights.push_back(readSaved(dir.file("model.safetensors")).weights);
  }
  ASSERT_EQ(weights[0].size(), size_t(64 * 32 + 2 * 32 + 32 * 2));
  EXPECT_EQ(weights[0], weights[1]);
  EXPECT_NE(weights[0], weights[2]);
}

TEST(Trainer, MatchesAHandWrittenReferenceLoop) {
  // §7-§8 spelled out with runtime/c calls: load shuffle, statistics of the
  // shuffled set, normalisation, cumulative epoch shuffles, N // B batches,
  // per-batch augmentation with the global step, reference train step.
  Reference ref;
  ModelInfo info = ref.info;
  info.augmentCrop = 1;
  info.augmentFlip = true;
  Dataset data = makeDataset(500, 40); // 31 batches; 4 images dropped.
  const uint64_t seed = 5;
  TempDir dir;
  TrainOptions options = quietOptions(2);
  options.seed = seed;
  options.noEval = true;
  options.outDir = dir.path();
  train(*ref.runner, info, data, options);

  const uint32_t n = data.train.n;
  std::vector<uint32_t> perm(n);
  intc_data_shuffle_load(perm.data(), n, seed);
  int32_t mean, mad;
  intc_data_stats(data.train.pixels.data(), perm.data(), n, 1, 64,
                  INTC_DATA_STATS_LIMIT, &mean, &mad);
  std::vector<int8_t> norm(size_t(n) * 64);
  intc_data_normalize(data.train.pixels.data(), norm.data(), n, 1, 64, &mean,
                      &mad);
  const intc_model &model = ref.mlp->model;
  std::vector<int32_t> weights(model.n_weights);
  ASSERT_EQ(intc_ref_init(&model, weights.data(), seed), INTC_OK);
  std::vector<uint64_t> scratch(intc_ref_scratch_bytes(&model, kBatch) / 8 + 1);
  std::vector<int8_t> x(kBatch * 64), planeScratch(64);
  std::vector<uint8_t> labels(kBatch);
  const intc_augment_cfg cfg = {1, 1};
  uint64_t step = 0;
  for (uint32_t epoch = 1; epoch <= 2; ++epoch) {
    intc_data_shuffle_epoch(perm.data(), n, seed, epoch);
    for (uint32_t b = 0; b < n / kBatch; ++b, ++step) {
      for (uint32_t j = 0; j < kBatch; ++j) {
        std::copy_n(norm.begin() + size_t(perm[b * kBatch + j]) * 64, 64,
                    x.begin() + j * 64);
        labels[j] = data.train.labels[perm[b * kBatch + j]];
      }
      intc_augment_batch(x.data(), kBatch, 1, 8, 8, cfg, seed, step,
                         planeScratch.data());
      ASSERT_EQ(intc_ref_train_step(&model, weights.data(), x.data(),
                                    labels.data(), kBatch, 512, seed, step,
                                    scratch.data()),
                INTC_OK);
    }
  }
  EXPECT_EQ(step, 62u);
  EXPECT_EQ(readSaved(dir.file("model.safetensors")).weights, weights);
}

TEST(Trainer, AugmentationChangesTraining) {
  Dataset data = makeDataset();
  std::vector<std::vector<int32_t>> weights;
  for (bool augment : {false, true}) {
    Reference ref;
    ModelInfo info = ref.info;
    info.augmentCrop = augment ? 2 : 0;
    info.augmentFlip = augment;
    TempDir dir;
    TrainOptions options = quietOptions(1);
    options.outDir = dir.path();
    train(*ref.runner, info, data, options);
    weights.push_back(readSaved(dir.file("model.safetensors")).weights);
  }
  EXPECT_NE(weights[0], weights[1]);
}

/// A schedule that acts within a few epochs, so that a resume must restore it.
ModelInfo busySchedule(ModelInfo info) {
  info.plateauFrom = 1;
  info.plateauPatience = 1;
  info.earlyStopFrom = 1;
  info.earlyStopPatience = 100;
  return info;
}

void expectResumeIsBitExact(const ModelInfo &baseInfo, uint64_t firstSteps,
                            uint32_t firstEpochs) {
  Dataset data = makeDataset();
  TempDir straightDir, resumedDir;

  Reference straight;
  ModelInfo info = baseInfo;
  TrainOptions options = quietOptions(5);
  options.outDir = straightDir.path();
  RunSummary want = train(*straight.runner, info, data, options);

  Reference first;
  options = quietOptions(firstEpochs);
  options.maxSteps = firstSteps;
  options.outDir = resumedDir.path();
  train(*first.runner, info, data, options);

  Reference second;
  CountingRunner counting(*second.runner);
  options = quietOptions(5);
  options.outDir = resumedDir.path();
  options.resume = true;
  std::string text;
  RunSummary got = train(counting, info, data, options, &text);
  EXPECT_THAT(text,
              HasSubstr("resume: " + resumedDir.file("model.safetensors")));
  // Only the remaining steps ran, with the global step numbers continued.
  ASSERT_FALSE(counting.steps.empty());
  EXPECT_EQ(counting.steps.front(), want.steps - counting.trainSteps);

  Saved a = readSaved(straightDir.file("model.safetensors"));
  Saved b = readSaved(resumedDir.file("model.safetensors"));
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_EQ(a.metadata, b.metadata); // Schedule, best epoch, step, ...
  EXPECT_EQ(got.steps, want.steps);
  EXPECT_EQ(got.bestEpoch, want.bestEpoch);
  EXPECT_EQ(got.bestTestCorrect, want.bestTestCorrect);
  EXPECT_EQ(got.trainCorrectAtBest, want.trainCorrectAtBest);
  EXPECT_EQ(got.finalTestCorrect, want.finalTestCorrect);
  EXPECT_EQ(got.finalLrInv, want.finalLrInv);
}

TEST(Trainer, ResumeAfterEpochsIsBitExact) {
  Reference ref;
  expectResumeIsBitExact(busySchedule(ref.info), 0, 3);
}

TEST(Trainer, ResumeWithAugmentationIsBitExact) {
  Reference ref;
  ModelInfo info = busySchedule(ref.info);
  info.augmentCrop = 1;
  info.augmentFlip = true;
  expectResumeIsBitExact(info, 0, 3);
}

TEST(Trainer, ResumeInsideAnEpochIsBitExact) {
  Reference ref;
  ModelInfo info = busySchedule(ref.info);
  info.augmentCrop = 2;
  // 32 batches per epoch: stop in the middle of epoch 3.
  expectResumeIsBitExact(info, 2 * 32 + 13, 5);
}

TEST(Trainer, ScheduleChangesTheLearningRate) {
  // The busy schedule changes lr_inv during training, and weights depend on
  // it: the lr_inv reached is in the checkpoint.
  Reference ref;
  ModelInfo info = busySchedule(ref.info);
  TempDir dir;
  TrainOptions options = quietOptions(4);
  options.outDir = dir.path();
  std::string text;
  RunSummary s = train(*ref.runner, info, makeDataset(), options, &text);
  Saved saved = readSaved(dir.file("model.safetensors"));
  EXPECT_EQ(saved.metadata["lr_inv"], std::to_string(s.finalLrInv));
  EXPECT_EQ(saved.metadata["epoch"], "4");
  EXPECT_EQ(saved.metadata["global_step"], "128");
  EXPECT_EQ(saved.metadata["format"], "intc-checkpoint");
  EXPECT_EQ(saved.metadata["model"], "tiny-mlp");
  EXPECT_EQ(saved.metadata["train_images"], "512");
}

TEST(Trainer, PlateauMultipliesLrInvAndEarlyStoppingComesFirst) {
  ConstantRunner runner;
  ModelInfo info = constantInfo();
  info.lrInv = 512;
  info.plateauFrom = 1;
  info.plateauPatience = 2;
  info.plateauFactor = 3;
  info.earlyStopFrom = 1;
  info.earlyStopPatience = 4;
  TrainOptions options = quietOptions(10);
  std::string metrics;
  TempDir dir;
  options.metricsPath = dir.file("metrics.jsonl");
  std::string text;
  RunSummary s = train(runner, info, makeDataset(), options, &text);
  // Constant accuracy: epoch 1 sets the best, epochs 2-3 do not improve ->
  // ×3 after epoch 3; epochs 4-5 again, but at epoch 5 early stopping
  // (counter 4) fires first and the plateau rule does not run.
  EXPECT_EQ(s.stopReason, "early_stop");
  EXPECT_EQ(s.epochsRun, 5u);
  EXPECT_EQ(s.bestEpoch, 1u); // Strict improvement only.
  EXPECT_EQ(s.finalLrInv, 1536);
  const uint64_t perEpoch = 512 / kBatch;
  ASSERT_EQ(runner.lrInvs.size(), 5 * perEpoch);
  for (uint64_t i = 0; i < runner.lrInvs.size(); ++i)
    EXPECT_EQ(runner.lrInvs[i], i < 3 * perEpoch ? 512 : 1536) << i;
  EXPECT_THAT(text, HasSubstr("epoch 3: no improvement for 2 epochs, lr_inv "
                              "512 -> 1536"));
  EXPECT_THAT(text, HasSubstr("epoch 5: early stopping"));

  std::vector<uint8_t> bytes = readFile(options.metricsPath);
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(reinterpret_cast<const char *>(bytes.data()), bytes.size())
      .split(lines, '\n', -1, false);
  std::vector<std::string> events;
  for (llvm::StringRef line : lines) {
    llvm::Expected<llvm::json::Value> value = llvm::json::parse(line);
    ASSERT_EXPECTED(value);
    const llvm::json::Object &object = *value->getAsObject();
    events.push_back(object.getString("event")->str());
    if (events.back() == "lr_change") {
      EXPECT_EQ(object.getInteger("epoch"), 3);
      EXPECT_EQ(object.getInteger("old_lr_inv"), 512);
      EXPECT_EQ(object.getInteger("new_lr_inv"), 1536);
    }
    if (events.back() == "epoch") {
      EXPECT_TRUE(object.getInteger("train_ms"));
      EXPECT_TRUE(object.getInteger("test_ms"));
      EXPECT_TRUE(object.getInteger("images_per_s"));
      EXPECT_EQ(object.getInteger("test_seen"), 112);
      EXPECT_EQ(object.getInteger("test_seen_all"), 120);
    }
  }
  EXPECT_EQ(events, (std::vector<std::string>{"start", "epoch", "epoch",
                                              "epoch", "lr_change", "epoch",
                                              "epoch", "summary"}));
}

TEST(Trainer, ReferenceMeasureAndAllImages) {
  // 120 test images, batch 16: the reference scores the first 112; the last
  // 8 are a zero-padded batch. The constant runner always answers class 0.
  ConstantRunner runner;
  ModelInfo info = constantInfo();
  Dataset data = makeDataset(64, 120);
  for (uint32_t i = 0; i < 120; ++i)
    data.test.labels[i] = i < 112 ? uint8_t(i % 2) : 0;
  TempDir dir;
  TrainOptions options = quietOptions(1);
  options.outDir = dir.path();
  std::string text;
  RunSummary s = train(runner, info, data, options, &text);
  EXPECT_EQ(s.bestTestCorrect, 56u);
  EXPECT_EQ(s.testSeen, 112u);
  EXPECT_EQ(s.finalTestCorrect, 64u);
  EXPECT_EQ(s.finalTestSeen, 120u);
  EXPECT_THAT(text, HasSubstr("best test accuracy: 50.00% (epoch 1, 112 "
                              "images)"));
  EXPECT_THAT(text, HasSubstr("final test accuracy: 53.33% (120 images)"));
  EXPECT_THAT(text, HasSubstr("test 50.00% (56/112), all 53.33% (64/120)"));

  // The summary file.
  std::vector<uint8_t> bytes = readFile(dir.file("summary.json"));
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(llvm::StringRef(
      reinterpret_cast<const char *>(bytes.data()), bytes.size()));
  ASSERT_EXPECTED(json);
  const llvm::json::Object &object = *json->getAsObject();
  EXPECT_EQ(object.getInteger("best_test_correct"), 56);
  EXPECT_EQ(object.getInteger("final_test_correct"), 64);
  EXPECT_EQ(object.getInteger("final_test_seen"), 120);
  EXPECT_EQ(object.getString("model"), "constant");

  // runEvaluation reports both.
  std::string evalText;
  llvm::raw_string_ostream os(evalText);
  llvm::Expected<EvalStats> stats =
      runEvaluation(runner, info, data, dir.file("model.safetensors"), os);
  ASSERT_EXPECTED(stats);
  EXPECT_EQ(stats->testCorrect, 64u);
  EXPECT_EQ(stats->testSeen, 120u);
  EXPECT_EQ(stats->testCorrectRef, 56u);
  EXPECT_EQ(stats->testSeenRef, 112u);
  EXPECT_EQ(grep(evalText, "^test accuracy: 53.33%$").size(), 1u) << evalText;
  EXPECT_THAT(evalText, HasSubstr("50.00% (56/112)"));
}

/// ConstantRunner (always class 0) with two heads: head 0 always answers
/// class 1, head 1 class 0.
struct HeadsRunner : ConstantRunner {
  uint64_t headCalls = 0;
  int64_t numHeads() const override { return 2; }
  void predictHeads(const int32_t *state, const int8_t *x, int8_t *logits,
                    int8_t *heads) override {
    ++headCalls;
    predict(state, x, logits);
    for (uint32_t i = 0; i < kBatch; ++i) {
      heads[2 * i] = 0;
      heads[2 * i + 1] = 1;
    }
    std::fill(heads + 2 * kBatch, heads + 4 * kBatch, 0);
  }
};

/// The "head_test_correct" of every epoch event in \p path.
std::vector<std::vector<int64_t>> headCounts(const std::string &path) {
  std::vector<uint8_t> bytes = readFile(path);
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(reinterpret_cast<const char *>(bytes.data()), bytes.size())
      .split(lines, '\n', -1, false);
  std::vector<std::vector<int64_t>> out;
  for (llvm::StringRef line : lines) {
    llvm::Expected<llvm::json::Value> value = llvm::json::parse(line);
    if (!value) {
      ADD_FAILURE() << llvm::toString(value.takeError());
      continue;
    }
    const llvm::json::Object &object = *value->getAsObject();
    if (object.getString("event") != "epoch")
      continue;
    out.emplace_back();
    if (const llvm::json::Array *heads = object.getArray("head_test_correct"))
      for (const llvm::json::Value &v : *heads)
        out.back().push_back(*v.getAsInteger());
  }
  return out;
}

TEST(Trainer, HeadsAreScoredOnTheReferenceImages) {
  // 120 test images, batch 16: 28 of the first 112 are class 1, the padded
  // last batch is class 0.
  HeadsRunner runner;
  ModelInfo info = constantInfo();
  Dataset data = makeDataset(64, 120);
  for (uint32_t i = 0; i < 120; ++i)
    data.test.labels[i] = i < 112 && i % 4 == 0 ? 1 : 0;
  TempDir dir;
  TrainOptions options = quietOptions(2);
  options.outDir = dir.path();
  std::string text;
  RunSummary s = train(runner, info, data, options, &text);
  // The network's counts are those of predict.
  EXPECT_EQ(s.bestTestCorrect, 84u);
  EXPECT_EQ(s.finalTestCorrect, 92u);
  // One predictHeads per test batch (7 full, 1 padded), no predict besides.
  EXPECT_EQ(runner.headCalls, 2u * 8);
  EXPECT_THAT(text, HasSubstr("test 75.00% (84/112), all 76.67% (92/120), "
                              "heads 25.00/75.00%"));
  EXPECT_EQ(headCounts(dir.file(kMetricsFileName)),
            (std::vector<std::vector<int64_t>>{{28, 84}, {28, 84}}));

  std::string evalText;
  llvm::raw_string_ostream os(evalText);
  llvm::Expected<EvalStats> stats =
      runEvaluation(runner, info, data, dir.file("model.safetensors"), os);
  ASSERT_EXPECTED(stats);
  EXPECT_EQ(stats->headTestCorrectRef, (std::vector<uint64_t>{28, 84}));
  EXPECT_THAT(evalText, HasSubstr("head of block 0: 25.00% (28/112)"));
  EXPECT_THAT(evalText, HasSubstr("head of block 1: 75.00% (84/112)"));
}

TEST(Trainer, HeadsWithoutAFullTestBatchScoreEveryImage) {
  // 10 test images < one batch: the reference's measure falls back to all
  // of them, and so do the heads.
  HeadsRunner runner;
  Dataset data = makeDataset(64, 10);
  for (uint32_t i = 0; i < 10; ++i)
    data.test.labels[i] = i < 3 ? 1 : 0;
  TempDir dir;
  TrainOptions options = quietOptions(1);
  options.outDir = dir.path();
  RunSummary s = train(runner, constantInfo(), data, options);
  EXPECT_EQ(s.bestTestCorrect, 7u);
  EXPECT_EQ(s.testSeen, 10u);
  EXPECT_EQ(headCounts(dir.file(kMetricsFileName)),
            (std::vector<std::vector<int64_t>>{{3, 7}}));
}

TEST(Trainer, RunDirectoryKeepsTheHistoryAcrossAResume) {
  Dataset data = makeDataset();
  TempDir dir, copies;
  Reference first;
  TrainOptions options = quietOptions(2);
  options.outDir = dir.path();
  options.metricsPath = copies.file("first.jsonl");
  train(*first.runner, first.info, data, options);
  Reference second;
  options = quietOptions(3);
  options.outDir = dir.path();
  options.resume = true;
  options.metricsPath = copies.file("second.jsonl");
  train(*second.runner, second.info, data, options);

  auto events = [](const std::string &path) {
    std::vector<uint8_t> bytes = readFile(path);
    llvm::SmallVector<llvm::StringRef> lines;
    llvm::StringRef(reinterpret_cast<const char *>(bytes.data()), bytes.size())
        .split(lines, '\n', -1, false);
    std::vector<std::string> out;
    for (llvm::StringRef line : lines) {
      llvm::Expected<llvm::json::Value> value = llvm::json::parse(line);
      if (!value) {
        ADD_FAILURE() << llvm::toString(value.takeError());
        continue;
      }
      const llvm::json::Object &object = *value->getAsObject();
      std::string event = object.getString("event")->str();
      if (auto epoch = object.getInteger("epoch"))
        event += " " + std::to_string(*epoch);
      if (auto after = object.getInteger("resumed_after_epoch"))
        event += " after " + std::to_string(*after);
      out.push_back(event);
    }
    return out;
  };
  EXPECT_EQ(events(dir.file(kMetricsFileName)),
            (std::vector<std::string>{"start", "epoch 1", "epoch 2", "summary",
                                      "start after 2", "epoch 3", "summary"}));
  EXPECT_EQ(
      events(copies.file("first.jsonl")),
      (std::vector<std::string>{"start", "epoch 1", "epoch 2", "summary"}));
  EXPECT_EQ(events(copies.file("second.jsonl")),
            (std::vector<std::string>{"start after 2", "epoch 3", "summary"}));
  // The reference runner reports its block's head.
  EXPECT_EQ(headCounts(dir.file(kMetricsFileName)).back().size(), 1u);

  // A fresh run in the same directory starts a new history.
  Reference third;
  options = quietOptions(1);
  options.outDir = dir.path();
  train(*third.runner, third.info, data, options);
  EXPECT_EQ(events(dir.file(kMetricsFileName)),
            (std::vector<std::string>{"start", "epoch 1", "summary"}));
}

TEST(Trainer, EvaluationOfATrainedModelMatchesTheRun) {
  Reference ref;
  Dataset data = makeDataset();
  TempDir dir;
  TrainOptions options = quietOptions(2);
  options.outDir = dir.path();
  RunSummary s = train(*ref.runner, ref.info, data, options);
  Reference other; // A fresh runner: only the checkpoint carries the weights.
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::Expected<EvalStats> stats = runEvaluation(
      *other.runner, other.info, data, dir.file("model.safetensors"), os);
  ASSERT_EXPECTED(stats);
  EXPECT_EQ(stats->testCorrect, s.finalTestCorrect);
  EXPECT_EQ(stats->testSeen, 120u);
}

TEST(Trainer, MaxStepsStopsAfterExactlyThatMany) {
  Reference ref;
  CountingRunner counting(*ref.runner);
  TrainOptions options = quietOptions(5);
  options.maxSteps = 7;
  std::string text;
  RunSummary s = train(counting, ref.info, makeDataset(), options, &text);
  EXPECT_EQ(counting.trainSteps, 7u);
  EXPECT_EQ(s.steps, 7u);
  EXPECT_EQ(s.stopReason, "max_steps");
  EXPECT_EQ(s.epochsRun, 0u);
  // One final test pass of 8 batches (7 full + 1 padded) after the steps (and
  // the runner's own predict inside each step).
  EXPECT_EQ(counting.predicts, 8u);
  EXPECT_EQ(s.finalTestSeen, 120u);
  EXPECT_THAT(text, HasSubstr("stopped after 7 steps"));
  EXPECT_THAT(text, HasSubstr("final evaluation:"));
}

TEST(Trainer, MaxStepsAtAnEpochEnd) {
  Reference ref;
  CountingRunner counting(*ref.runner);
  TrainOptions options = quietOptions(5);
  options.maxSteps = 64; // Exactly 2 epochs.
  RunSummary s = train(counting, ref.info, makeDataset(), options);
  EXPECT_EQ(s.steps, 64u);
  EXPECT_EQ(s.epochsRun, 2u);
  EXPECT_EQ(s.stopReason, "max_steps");
  EXPECT_EQ(counting.predicts, 2u * 8); // Two epoch-end passes, no extra.
}

TEST(Trainer, NoEvalSkipsEvaluation) {
  Reference ref;
  CountingRunner counting(*ref.runner);
  TrainOptions options = quietOptions(2);
  options.noEval = true;
  std::string text;
  RunSummary s = train(counting, ref.info, makeDataset(), options, &text);
  EXPECT_EQ(counting.predicts, 0u);
  EXPECT_EQ(counting.trainSteps, 64u);
  EXPECT_EQ(s.bestEpoch, 0u);
  EXPECT_EQ(s.finalTestSeen, 0u);
  EXPECT_EQ(s.finalLrInv, 512);
  EXPECT_EQ(grep(text, "^epoch [12]/2: train [0-9.]+% \\([0-9]+/512\\), "
                       "lr_inv 512")
                .size(),
            2u)
      << text;
  EXPECT_THAT(text, ::testing::Not(HasSubstr("final test accuracy")));
}

TEST(Trainer, CheckpointErrorsNameTheFile) {
  Dataset data = makeDataset();
  TempDir dir;
  const std::string path = dir.file("model.safetensors");
  Reference ref;
  TrainOptions options = quietOptions(1);
  options.outDir = dir.path();
  options.resume = true;
  std::string out;
  llvm::raw_string_ostream os(out);

  // Missing.
  std::string msg =
      errorMessage(runTraining(*ref.runner, ref.info, data, options, os));
  EXPECT_THAT(msg, HasSubstr(path));
  msg = errorMessage(runEvaluation(*ref.runner, ref.info, data, path, os));
  EXPECT_THAT(msg, HasSubstr(path));

  // Corrupt.
  writeFile(path, {1, 2, 3, 4, 5});
  msg = errorMessage(runTraining(*ref.runner, ref.info, data, options, os));
  EXPECT_THAT(msg, HasSubstr(path));

  // A checkpoint of another model: tensor shape mismatch.
  Reference wider(48);
  TrainOptions first = quietOptions(1);
  first.outDir = dir.path();
  train(*wider.runner, wider.info, data, first);
  msg = errorMessage(runTraining(*ref.runner, ref.info, data, options, os));
  EXPECT_THAT(msg, HasSubstr(path));
  EXPECT_THAT(msg, HasSubstr("layer1.weight"));
  EXPECT_THAT(msg, HasSubstr("[48, 64]"));
  msg = errorMessage(runEvaluation(*ref.runner, ref.info, data, path, os));
  EXPECT_THAT(msg, HasSubstr("[48, 64]"));

  // Another seed.
  train(*ref.runner, ref.info, data, first);
  options.seed = 43;
  msg = errorMessage(runTraining(*ref.runner, ref.info, data, options, os));
  EXPECT_THAT(msg, HasSubstr(path));
  EXPECT_THAT(msg, HasSubstr("seed 42"));

  // Another data set (same sizes): the normalisation statistics differ.
  options.seed = 42;
  Dataset other = makeDataset();
  for (uint8_t &pixel : other.train.pixels)
    pixel = uint8_t(pixel / 2);
  msg = errorMessage(runTraining(*ref.runner, ref.info, other, options, os));
  EXPECT_THAT(msg, HasSubstr(path));
  EXPECT_THAT(msg, HasSubstr("normalised"));

  // Resuming without an output directory.
  options.outDir.clear();
  msg = errorMessage(runTraining(*ref.runner, ref.info, data, options, os));
  EXPECT_THAT(msg, HasSubstr("output directory"));
}

TEST(Trainer, ResumeOfAFinishedRunOnlyEvaluates) {
  Reference ref;
  Dataset data = makeDataset();
  TempDir dir;
  TrainOptions options = quietOptions(2);
  options.outDir = dir.path();
  RunSummary first = train(*ref.runner, ref.info, data, options);
  CountingRunner counting(*ref.runner);
  options.resume = true;
  RunSummary again = train(counting, ref.info, data, options);
  EXPECT_EQ(counting.trainSteps, 0u);
  EXPECT_EQ(again.epochsRun, 2u);
  EXPECT_EQ(again.bestEpoch, first.bestEpoch);
  EXPECT_EQ(again.finalTestCorrect, first.finalTestCorrect);
}

TEST(Trainer, RejectsBadModelsAndData) {
  ConstantRunner runner;
  std::string out;
  llvm::raw_string_ostream os(out);
  TrainOptions options = quietOptions(1);

  ModelInfo gap = constantInfo();
  gap.numWeights = 2;
  EXPECT_THAT(
      errorMessage(runTraining(runner, gap, makeDataset(), options, os)),
      HasSubstr("cover"));

  ModelInfo batch = constantInfo();
  batch.batch = 8;
  EXPECT_THAT(
      errorMessage(runTraining(runner, batch, makeDataset(), options, os)),
      HasSubstr("batches of 16"));

  ModelInfo shape = constantInfo();
  shape.h = 7;
  EXPECT_THAT(
      errorMessage(runTraining(runner, shape, makeDataset(), options, os)),
      HasSubstr("[1, 8, 8]"));

  Dataset badLabel = makeDataset();
  badLabel.test.labels[3] = 2;
  EXPECT_THAT(
      errorMessage(runTraining(runner, constantInfo(), badLabel, options, os)),
      HasSubstr("label 2"));

  EXPECT_THAT(errorMessage(runTraining(runner, constantInfo(),
                                       makeDataset(8, 16), options, os)),
              HasSubstr("fewer than one batch"));
}

} // namespace
