//===- CheckpointFuzzer.cpp - Fuzz checkpoints and resuming from them -----===//
//
// Reaches CheckpointRead.cpp (parseSafetensors), Checkpoint.cpp
// (checkTensors), TrainCheckpoint.cpp (parseTrainCheckpoint: what
// readTrainCheckpoint does once the file is read) and ResumeCheck.cpp
// (checkResumable), for a tiny model: a 2x4x4 input flattened into one
// local linear block of 8 and an output layer of 2 classes, trained by the
// reference runner on 16 synthetic images in batches of 4 (8 test images),
// with a schedule short enough that 3 epochs reduce the learning rate and
// 6 stop early.
//
// An accepted checkpoint then goes where the tools take one: its statistics
// normalise the test images (intc eval, intc predict), and it is resumed in
// memory through TrainOptions::resumeFrom (the Python package's path, which
// makes the file path's checks) for up to 4 epochs, so whatever a corrupt
// state does to the loop happens here. Before that, the state checkResumable
// accepted must be one a real run can reach (see checkReachable).
//
// Seeds are real checkpoints of this model:
//   INTC_FUZZ_WRITE_SEEDS=DIR intc-fuzz-checkpoint
// writes them (test/fuzz/make-corpora.sh) and exits.
//
//===----------------------------------------------------------------------===//

#include "FuzzUtil.h"

#include "runtime/host/Checkpoint.h"
#include "runtime/host/ReferenceRunner.h"
#include "runtime/host/ResumeCheck.h"
#include "runtime/host/TrainCheckpoint.h"
#include "runtime/host/TrainData.h"
#include "runtime/host/Trainer.h"

#include "runtime/c/intc_model.h"
#include "runtime/c/intc_rng.h"
#include "runtime/c/intc_schedule.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>
#include <memory>

using namespace intc::host;
using namespace intc::fuzz;

namespace {

constexpr uint32_t kBatch = 4;
constexpr uint64_t kSeed = 42;
constexpr uint32_t kEpochs = 4; // What a resume trains up to.

/// The model, its runner and data, built once.
struct Tiny {
  std::vector<intc_layer> layers;
  intc_model model = {};
  std::unique_ptr<ReferenceRunner> runner;
  ModelInfo info;
  Dataset dataset;
  TrainData data; // prepareTrainData(dataset, info, kSeed)

  Tiny() {
    intc_block_params p = intc_block_params_reference(30000, 3000);
    layers = {intc_make_flatten(2, 4, 4), intc_make_linear_block(32, 8, 2, &p),
              intc_make_output(8, 2, &p)};
    model.name = "fuzz-tiny";
    model.num_classes = 2;
    model.one_hot_value = INTC_REFERENCE_ONE_HOT_VALUE;
    model.in_c = 2;
    model.in_h = 4;
    model.in_w = 4;
    model.flags = INTC_FLAGS_REFERENCE;
    INTC_FUZZ_CHECK(intc_model_finalize(&model, layers.data(),
                                        int32_t(layers.size()),
                                        nullptr) == INTC_OK,
                    "the tiny model does not finalize");
    auto created = ReferenceRunner::create(model, kBatch);
    INTC_FUZZ_CHECK(bool(created), "no reference runner");
    runner = std::move(*created);
    info = referenceModelInfo(model, "fuzz", kBatch);
    info.plateauPatience = 1;
    info.plateauFrom = 1;
    info.earlyStopPatience = 2;
    info.earlyStopFrom = 1;

    dataset.name = "fuzz";
    dataset.train = makeImages(16, 1);
    dataset.test = makeImages(8, 2);
    auto prepared = prepareTrainData(dataset, info, kSeed);
    INTC_FUZZ_CHECK(bool(prepared), "the tiny data does not prepare");
    data = std::move(*prepared);
  }

  /// Two classes (bright top or bottom half of each channel) with noise.
  static ImageSet makeImages(uint32_t n, uint64_t salt) {
    ImageSet set;
    set.n = n;
    set.c = 2;
    set.h = 4;
    set.w = 4;
    set.pixels.resize(size_t(n) * 32);
    set.labels.resize(n);
    const uint64_t key = intc_rng_key(salt, 7);
    for (uint32_t i = 0; i < n; ++i) {
      const uint8_t label = uint8_t(i % 2);
      set.labels[i] = label;
      for (uint32_t p = 0; p < 32; ++p) {
        const bool top = p % 16 < 8;
        const uint32_t base = (top == (label == 0)) ? 150 : 60;
        set.pixels[size_t(i) * 32 + p] =
            uint8_t(base + intc_rng_below(
                               intc_rng_u64(key, (uint64_t(i) << 8) + p), 90));
      }
    }
    return set;
  }

  uint32_t batchesPerEpoch() const { return data.train.n / kBatch; }

  /// The fresh state and context of a run that may resume \p loaded.
  LoopState freshLoop(bool noEval) const {
    LoopState loop;
    loop.seed = kSeed;
    loop.noEval = noEval;
    intc_schedule_init(&loop.schedule, info.lrInv);
    loop.schedule.plateau.factor = info.plateauFactor;
    loop.schedule.plateau.patience = info.plateauPatience;
    loop.schedule.plateau.from_epoch = info.plateauFrom;
    loop.schedule.early_stop.patience = info.earlyStopPatience;
    loop.schedule.early_stop.from_epoch = info.earlyStopFrom;
    return loop;
  }
  RunContext context() const {
    return {info.name,        "ref",
            data.datasetName, kBatch,
            data.train.n,     data.test.n,
            info.numWeights,  data.mean,
            data.mad,         dataset.classNames};
  }
  TrainOptions options(bool noEval) const {
    TrainOptions options;
    options.epochs = kEpochs;
    options.seed = kSeed;
    options.noEval = noEval;
    options.progress = ProgressBar::Style::Off;
    options.progressOut = &llvm::nulls();
    options.targetName = "ref";
    return options;
  }
};

const Tiny &tiny() {
  static const Tiny *t = new Tiny();
  return *t;
}

/// The reference measure's image count (Evaluation.h).
uint64_t refSeen(uint64_t testImages) {
  uint64_t full = testImages / kBatch * kBatch;
  return full ? full : testImages;
}

/// What every checkpoint of a real run satisfies, beyond what
/// checkResumable has always checked: anything else is a state the loop
/// would continue from silently, reporting or scheduling from numbers no
/// training produced.
void checkReachable(const LoopState &loop, const Tiny &t) {
  const uint64_t seen = refSeen(t.data.test.n);
  const uint64_t epochImages = uint64_t(t.batchesPerEpoch()) * kBatch;
  INTC_FUZZ_CHECK(loop.bestEpoch <= loop.epochsDone,
                  "accepted a best epoch after the last epoch");
  INTC_FUZZ_CHECK(!loop.noEval || (loop.bestEpoch == 0 && !loop.earlyStopped),
                  "accepted a best epoch or an early stop without evaluation");
  if (loop.bestEpoch == 0)
    INTC_FUZZ_CHECK(loop.bestTestCorrect == 0 && loop.bestTestSeen == 0 &&
                        loop.trainCorrectAtBest == 0 &&
                        loop.trainSeenAtBest == 0,
                    "accepted best-epoch counts without a best epoch");
  else
    INTC_FUZZ_CHECK(
        loop.bestTestCorrect > 0 && loop.bestTestCorrect <= loop.bestTestSeen &&
            loop.bestTestSeen == seen && loop.trainSeenAtBest == epochImages &&
            loop.trainCorrectAtBest <= loop.trainSeenAtBest,
        "accepted best-epoch counts no evaluation gives");
  INTC_FUZZ_CHECK(loop.epochTrainCorrect <=
                      uint64_t(loop.epochBatchesDone) * kBatch,
                  "accepted more correct training images than were seen");
  INTC_FUZZ_CHECK(!loop.earlyStopped || loop.epochBatchesDone == 0,
                  "accepted an early stop inside an epoch");
  // Every evaluated epoch feeds early stopping, then, unless that stopped
  // the run, the plateau rule (intc_schedule_epoch_end).
  const int64_t fed = loop.noEval ? 0 : int64_t(loop.epochsDone);
  INTC_FUZZ_CHECK(loop.schedule.early_stop.epoch_count == fed &&
                      loop.schedule.plateau.epoch_count ==
                          fed - (loop.earlyStopped ? 1 : 0),
                  "accepted a schedule fed a different number of epochs");
  // Early stopping stops the run exactly when its counter reaches patience
  // (after a counted epoch without improvement).
  const intc_monitor &stop = loop.schedule.early_stop;
  INTC_FUZZ_CHECK(loop.earlyStopped ==
                      (stop.counter > 0 && stop.counter >= stop.patience),
                  "accepted an early-stopping state that disagrees with "
                  "early_stopped");
  // The plateau rule resets its counter when it reaches patience; both
  // monitors count correct images of the reference measure.
  const intc_monitor &plateau = loop.schedule.plateau;
  INTC_FUZZ_CHECK(plateau.counter == 0 || plateau.counter < plateau.patience,
                  "accepted a plateau counter at patience");
  INTC_FUZZ_CHECK(uint64_t(stop.best_correct) <= seen &&
                      uint64_t(plateau.best_correct) <= seen,
                  "accepted a schedule best above the images scored");
  // lr_inv is the model's, times the plateau factor per reduction
  // (saturating), at most once per epoch.
  int64_t lr = t.info.lrInv;
  bool reachable = lr == loop.schedule.lr_inv;
  for (uint32_t k = 0;
       k < loop.epochsDone && !reachable && lr < INTC_LR_INV_MAX; ++k) {
    lr = lr > INTC_LR_INV_MAX / t.info.plateauFactor
             ? INTC_LR_INV_MAX
             : lr * t.info.plateauFactor;
    reachable = lr == loop.schedule.lr_inv;
  }
  INTC_FUZZ_CHECK(reachable, "accepted an lr_inv no plateau reduction gives");
}

/// INTC_FUZZ_WRITE_SEEDS=DIR: real checkpoints of the tiny model.
void writeSeeds(llvm::StringRef dir) {
  const Tiny &t = tiny();
  struct Run {
    const char *name;
    uint32_t epochs;
    uint64_t maxSteps;
    bool noEval;
    bool classNames;
  } runs[] = {
      {"epoch1", 1, 0, false, false},     {"epoch3", 3, 0, false, false},
      {"epoch6", 6, 0, false, false},     {"steps6", 2, 6, false, false},
      {"noeval2", 2, 0, true, false},     {"classes1", 1, 0, false, true},
      {"steps2noeval", 1, 2, true, false}};
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    checkFailed("create_directories", ec.message().c_str(), __FILE__, __LINE__);
  for (const Run &run : runs) {
    llvm::SmallString<128> out;
    if (llvm::sys::fs::createUniqueDirectory("intc-fuzz-seed", out))
      checkFailed("createUniqueDirectory", "", __FILE__, __LINE__);
    Dataset dataset = t.dataset;
    if (run.classNames)
      dataset.classNames = {"top", "bottom"};
    TrainOptions options = t.options(run.noEval);
    options.epochs = run.epochs;
    options.maxSteps = run.maxSteps;
    options.outDir = std::string(out);
    auto summary =
        runTraining(*t.runner, t.info, dataset, options, llvm::nulls());
    INTC_FUZZ_CHECK(bool(summary), "a seed run failed");
    llvm::SmallString<128> from(out), to(dir);
    llvm::sys::path::append(from, kCheckpointFileName);
    llvm::sys::path::append(to, std::string(run.name) + ".safetensors");
    if (llvm::sys::fs::copy_file(from, to))
      checkFailed("copy_file", to.c_str(), __FILE__, __LINE__);
    llvm::sys::fs::remove_directories(out);
    llvm::outs() << "wrote " << to << "\n";
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  if (const char *dir = std::getenv("INTC_FUZZ_WRITE_SEEDS")) {
    writeSeeds(dir);
    std::exit(0);
  }
  tiny();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const Tiny &t = tiny();
  llvm::Expected<Checkpoint> parsed =
      parseSafetensors(bytesOf(data, size), "fuzz.safetensors");
  const Checkpoint *checkpoint = accept(parsed);
  if (!checkpoint)
    return 0;
  for (const Tensor &tensor : checkpoint->tensors)
    INTC_FUZZ_CHECK(tensor.bytes.size() == uint64_t(tensor.numElements()) *
                                               dtypeBytes(tensor.dtype),
                    "tensor bytes do not match its shape");

  std::vector<int32_t> weights(size_t(t.info.numWeights), 0);
  llvm::Expected<LoadedCheckpoint> read =
      parseTrainCheckpoint(*checkpoint, t.info, weights.data());
  LoadedCheckpoint *loaded = accept(read);
  if (!loaded)
    return 0;
  const RunContext &stored = loaded->context;
  INTC_FUZZ_CHECK(stored.mean.size() == stored.mad.size() &&
                      stored.numWeights == t.info.numWeights &&
                      stored.classNames.size() <= t.info.numClasses,
                  "accepted inconsistent metadata");

  // intc eval: the test images normalised with the stored statistics.
  llvm::Expected<NormalizedSet> test = normalizeWithStats(
      t.dataset.test, t.info, stored.mean, stored.mad, "fuzz test split");
  if (const NormalizedSet *set = accept(test)) {
    INTC_FUZZ_CHECK(
        set->n == t.dataset.test.n &&
            size_t(set->imageBytes) == t.dataset.test.imageBytes() && set->raw,
        "normalisation changed the image count or size");
    // The view is read batch by batch: read all of it once (ASan checks the
    // tables and the raw pixels are in bounds).
    std::vector<int8_t> images(size_t(set->n) * size_t(set->imageBytes));
    set->copyImages(0, set->n, images.data());
  }

  // intc train -resume.
  const bool noEval = loaded->loop.noEval;
  RunContext context = t.context();
  context.classNames = stored.classNames; // The data's names do not matter.
  if (llvm::Error err =
          checkResumable("fuzz.safetensors", *loaded, t.freshLoop(noEval),
                         context, t.data, t.batchesPerEpoch())) {
    reject(std::move(err));
    return 0;
  }
  checkReachable(loaded->loop, t);

  TrainState state{std::move(weights), loaded->loop, loaded->context};
  Dataset dataset = t.dataset;
  dataset.classNames = stored.classNames;
  TrainOptions options = t.options(noEval);
  options.resume = true;
  options.resumeFrom = &state;
  auto summary =
      runTraining(*t.runner, t.info, dataset, options, llvm::nulls());
  if (!summary)
    checkFailed("runTraining", llvm::toString(summary.takeError()).c_str(),
                __FILE__, __LINE__);
  return 0;
}
