//===- Trainer.cpp - The target-independent training loop -----------------===//

#include "runtime/host/Trainer.h"

#include "runtime/host/AtomicFile.h"
#include "runtime/host/BatchFeeder.h"
#include "runtime/host/Evaluation.h"
#include "runtime/host/ImageSet.h"
#include "runtime/host/OverflowGuard.h"
#include "runtime/host/ResumeCheck.h"
#include "runtime/host/RunMetrics.h"
#include "runtime/host/TrainCheckpoint.h"
#include "runtime/host/TrainData.h"

#include "runtime/c/intc_data.h"
#include "runtime/c/intc_kernels.h"
#include "runtime/c/intc_schedule.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <vector>

using namespace llvm;
using namespace intc::host;

namespace {

using Clock = std::chrono::steady_clock;

uint64_t microsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() -
                                                               start)
      .count();
}

/// Images per second from a count and microseconds (0 when no time passed).
uint64_t perSecond(uint64_t images, uint64_t micros) {
  return micros ? images * 1000000 / micros : 0;
}

Error invalid(const Twine &msg) {
  return createStringError(std::make_error_code(std::errc::invalid_argument),
                           msg);
}

std::string formatList(ArrayRef<int32_t> values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i)
    out += (i ? ", " : "") + std::to_string(values[i]);
  return out + "]";
}

/// The model description and the runner must agree before anything runs.
Error checkModel(ModelRunner &runner, const ModelInfo &info) {
  if (Error err = verifyModelInfo(info))
    return err;
  if (runner.batchSize() != int64_t(info.batch))
    return invalid("model '" + info.name + "' has batch " + Twine(info.batch) +
                   ", but its runner takes batches of " +
                   Twine(runner.batchSize()));
  return Error::success();
}

/// The reference schedule with the model's parameters (§4.3).
intc_schedule makeSchedule(const ModelInfo &info) {
  intc_schedule schedule;
  intc_schedule_init(&schedule, info.lrInv);
  schedule.plateau.factor = info.plateauFactor;
  schedule.plateau.patience = info.plateauPatience;
  schedule.plateau.from_epoch = info.plateauFrom;
  schedule.early_stop.patience = info.earlyStopPatience;
  schedule.early_stop.from_epoch = info.earlyStopFrom;
  return schedule;
}

/// One training run: the state of runTraining, split into steps.
class TrainingLoop {
public:
  TrainingLoop(ModelRunner &runner, const ModelInfo &info,
               const TrainOptions &options, raw_ostream &out)
      : runner(runner), info(info), options(options), out(out),
        bar(options.progressOut ? *options.progressOut : errs(),
            options.progress) {}
  ~TrainingLoop() {
    if (lockFd >= 0)
      sys::fs::closeFile(lockFd); // Releases the lock.
  }
  TrainingLoop(const TrainingLoop &) = delete;
  TrainingLoop &operator=(const TrainingLoop &) = delete;

  Expected<RunSummary> run(const Dataset &dataset);

private:
  Error setUp(const Dataset &dataset);
  Error prepareOutputDir();
  void printHeader(bool resumed);
  /// Trains batches [first, batchesPerEpoch) of \p epoch, or until maxSteps
  /// or a step reports an overflow (then `overflow` is set). Returns the
  /// batches done; adds to epochTrainCorrect.
  uint32_t trainBatches(uint32_t epoch, uint32_t first);
  TestCounts evaluate(StringRef label, uint64_t &micros);
  /// The end of a complete epoch: evaluation, best epoch, schedule, report,
  /// checkpoint. Sets stopReason on early stopping.
  Error finishEpoch(uint32_t epoch, uint64_t trainMicros);
  Error saveCheckpoint();
  Expected<RunSummary> finish();

  ModelRunner &runner;
  const ModelInfo &info;
  const TrainOptions &options;
  raw_ostream &out;
  ProgressBar bar;
  Clock::time_point startTime = Clock::now();

  TrainData data;
  RunContext context;
  uint32_t epochs = 0, batchesPerEpoch = 0;
  std::vector<int32_t> state;
  LoopState loop;
  std::vector<uint32_t> order;
  std::string checkpointPath, summaryPath, historyPath;
  int lockFd = -1; // Held on DIR/.intc-run.lock while the run lasts.
  std::unique_ptr<MetricsLog> log;

  // The training batches, and the step's predictions.
  std::optional<BatchFeeder> feeder;
  std::vector<int8_t> logits;

  std::string stopReason = "completed";
  /// A step that left int32 (check-overflow): the run stops with an error.
  std::optional<OverflowReport> overflow;
  std::optional<TestCounts> lastEval; // The latest test pass of this run.
  EpochStats lastEpoch;               // The latest completed epoch.
  uint64_t trainMicros = 0, testMicros = 0, trainImages = 0;
};

/// Creates -o DIR, takes its run lock and checks that the run's files can
/// be written there, all before any training.
Error TrainingLoop::prepareOutputDir() {
  if (std::error_code ec = sys::fs::create_directories(options.outDir))
    return createFileError(options.outDir, ec);
  // create_directories accepts an existing file; find out now, not after
  // the first epoch has trained.
  if (!sys::fs::is_directory(options.outDir))
    return createFileError(options.outDir,
                           createStringError(std::errc::not_a_directory,
                                             "is not a directory (-o names "
                                             "the run's output directory)"));
  // One run per directory: a second would overwrite the first's
  // checkpoints between its writes.
  SmallString<256> path(options.outDir);
  sys::path::append(path, kRunLockFileName);
  if (std::error_code ec = sys::fs::openFileForWrite(
          path, lockFd, sys::fs::CD_OpenAlways, sys::fs::OF_None))
    return createFileError(path, ec);
  if (std::error_code ec = sys::fs::tryLockFile(lockFd)) {
    if (ec != std::errc::no_lock_available)
      return createFileError(path, ec);
    return createFileError(
        options.outDir,
        createStringError(std::errc::device_or_resource_busy,
                          "another intc train is writing this directory "
                          "(it holds %s)",
                          path.c_str()));
  }
  path = options.outDir;
  sys::path::append(path, kCheckpointFileName);
  checkpointPath = path.str().str();
  path = options.outDir;
  sys::path::append(path, kSummaryFileName);
  summaryPath = path.str().str();
  path = options.outDir;
  sys::path::append(path, kMetricsFileName);
  historyPath = path.str().str();
  for (const std::string &output : {checkpointPath, summaryPath, historyPath}) {
    if (sys::fs::is_directory(output))
      return createFileError(
          output, createStringError(std::errc::is_a_directory,
                                    "is a directory; the run writes a file "
                                    "there"));
    // Holding the lock, no other run writes here: what a killed run's
    // atomic writes left behind is garbage.
    removeStaleTemporaries(output);
  }
  return Error::success();
}

Error TrainingLoop::setUp(const Dataset &dataset) {
  if (Error err = checkModel(runner, info))
    return err;
  epochs = options.epochs ? options.epochs : info.maxEpochs;
  Expected<TrainData> prepared = prepareTrainData(dataset, info, options.seed);
  if (!prepared)
    return prepared.takeError();
  data = std::move(*prepared);
  const uint32_t batch = info.batch;
  if (data.train.n < batch)
    return invalid("dataset '" + data.datasetName + "' has " +
                   Twine(data.train.n) +
                   " training images, fewer than one batch of " + Twine(batch));
  if (!options.noEval && data.test.n == 0)
    return invalid("dataset '" + data.datasetName +
                   "' has no test images to evaluate on");
  batchesPerEpoch = data.train.n / batch;
  context = {info.name,       options.targetName, data.datasetName,
             batch,           data.train.n,       data.test.n,
             info.numWeights, data.mean,          data.mad,
             dataset.classNames};

  // The weights on huge pages: the fused weight gradient and update
  // (intc_cpu_linear_wgrad_sgd_*) updates them tile by tile, every row of a
  // tile on another 4 KB page.
  state.clear();
  reserveLarge(state, size_t(info.numWeights));
  state.assign(size_t(info.numWeights), 0);
  loop.seed = options.seed;
  loop.noEval = options.noEval;
  loop.schedule = makeSchedule(info);

  if (!options.outDir.empty())
    if (Error err = prepareOutputDir())
      return err;
  if (options.resume && options.resumeFrom) {
    const TrainState &from = *options.resumeFrom;
    if (from.weights.size() != state.size())
      return invalid("the state to resume from holds " +
                     Twine(from.weights.size()) + " weights, model '" +
                     info.name + "' has " + Twine(info.numWeights));
    if (Error err =
            checkResumable("the model's training state", {from.loop, from.context},
                           loop, context, data, batchesPerEpoch))
      return err;
    state = from.weights;
    loop = from.loop;
  } else if (options.resume) {
    if (checkpointPath.empty())
      return invalid("resuming needs the output directory of the run");
    Expected<LoadedCheckpoint> loaded =
        readTrainCheckpoint(checkpointPath, info, state.data());
    if (!loaded)
      return loaded.takeError();
    if (Error err = checkResumable(checkpointPath, *loaded, loop, context, data,
                                   batchesPerEpoch))
      return err;
    loop = loaded->loop;
  } else {
    runner.init(state.data(), options.seed);
  }

  // The permutation at the point where the checkpoint stopped (not needed,
  // and not replayed, when no epoch is left to train).
  order = loop.epochsDone < epochs
              ? replayShuffles(data, loop.seed, loop.epochsDone)
              : data.loadOrder;
  if (loop.epochBatchesDone && loop.epochsDone < epochs)
    intc_data_shuffle_epoch(order.data(), uint32_t(order.size()), loop.seed,
                            loop.epochsDone + 1);

  Expected<std::unique_ptr<MetricsLog>> opened =
      openRunMetrics({historyPath,
                      options.resume,
                      options.metricsPath,
                      {checkpointPath, summaryPath}});
  if (!opened)
    return opened.takeError();
  log = std::move(*opened);

  feeder.emplace(data.train, info, runner.needsTrainImages(),
                 options.prepareAhead);
  logits.resize(size_t(batch) * info.numClasses);
  return Error::success();
}

void TrainingLoop::printHeader(bool resumed) {
  out << "train: model '" << info.name << "'";
  if (!options.targetName.empty())
    out << " on " << options.targetName;
  out << ", dataset " << data.datasetName << " (" << data.train.n << " train, "
      << data.test.n << " test images of "
      << formatShape({int64_t(info.c), int64_t(info.h), int64_t(info.w)})
      << "), batch " << info.batch << ", seed " << loop.seed << ", "
      << info.numWeights << " weights\n";
  // $INTC_DATA_DIR and the default folder are searched in turn: say which
  // copy was read.
  if (!data.dir.empty())
    out << "data: read from " << data.dir << '\n';
  out << "data: mean " << formatList(data.mean) << ", MAD "
      << formatList(data.mad) << "; " << batchesPerEpoch
      << " batches per epoch";
  if (info.augmentCrop || info.augmentFlip)
    out << ", augmentation: crop pad " << info.augmentCrop << ", flip "
        << (info.augmentFlip ? "on" : "off");
  out << '\n';
  if (resumed) {
    out << "resume: " << checkpointPath << " after epoch " << loop.epochsDone;
    if (loop.epochBatchesDone)
      out << " and " << loop.epochBatchesDone << '/' << batchesPerEpoch
          << " batches of epoch " << loop.epochsDone + 1;
    out << ", step " << loop.step << ", lr_inv " << loop.schedule.lr_inv
        << '\n';
  }
  out.flush();

  if (log) {
    RunInfo runInfo;
    runInfo.model = info.name;
    runInfo.dataset = data.datasetName;
    runInfo.target = options.targetName;
    runInfo.seed = loop.seed;
    runInfo.epochs = epochs;
    runInfo.batchSize = info.batch;
    runInfo.trainImages = data.train.n;
    runInfo.testImages = data.test.n;
    runInfo.lrInv = loop.schedule.lr_inv;
    runInfo.resumed = resumed;
    runInfo.resumedAfterEpoch = loop.epochsDone;
    runInfo.resumedAtStep = loop.step;
    log->start(runInfo);
  }
}

uint32_t TrainingLoop::trainBatches(uint32_t epoch, uint32_t first) {
  const uint32_t batch = info.batch;
  const int64_t lrInv = loop.schedule.lr_inv;
  // A pipelined runner reports its correct predictions when its steps
  // complete, below.
  const bool deferred = runner.defersTrainOutputs();
  bar.start(("epoch " + Twine(epoch) + "/" + Twine(epochs) + " train").str(),
            batchesPerEpoch, batch);
  bar.update(first);
  // The batches this call may train: to the epoch's end or to -max-steps.
  // The feeder may prepare them ahead (never past that: the order is
  // reshuffled after the epoch).
  uint32_t count = batchesPerEpoch - std::min(first, batchesPerEpoch);
  if (options.maxSteps)
    count = uint32_t(std::min<uint64_t>(
        count, options.maxSteps - std::min(options.maxSteps, loop.step)));
  feeder->start({order.data(), first, count, loop.seed, loop.step});
  uint32_t b = first;
  for (; b < first + count; ++b) {
    const PreparedBatch &in = feeder->next();
    runner.trainStep(state.data(), in.x.data(), in.labels.data(), lrInv,
                     loop.seed, loop.step, logits.data());
    // Only code compiled with check-overflow reports; the state now holds
    // the wrapped step, which no checkpoint will get. The run stops at once
    // (a pipeline is not drained: the error aborts the whole job).
    if ((overflow = takeOverflowReport())) {
      feeder->stop();
      bar.finish();
      return b;
    }
    if (!deferred)
      loop.epochTrainCorrect +=
          intc_count_correct(logits.data(), in.labels.data(), int32_t(batch),
                             int32_t(info.numClasses));
    ++loop.step;
    bar.update(b + 1);
  }
  feeder->stop();
  // Drains a pipeline before the checkpoint and the test pass that follow.
  if (deferred)
    loop.epochTrainCorrect += runner.finishSteps();
  bar.finish();
  return b;
}

TestCounts TrainingLoop::evaluate(StringRef label, uint64_t &micros) {
  const uint64_t batches =
      (data.test.n + uint64_t(info.batch) - 1) / info.batch;
  Clock::time_point start = Clock::now();
  bar.start(label, batches, info.batch);
  TestCounts counts =
      evaluateTestSet(runner, state.data(), data.test, info.numClasses, &bar);
  bar.finish();
  micros = microsSince(start);
  testMicros += micros;
  lastEval = counts;
  return counts;
}

Error TrainingLoop::saveCheckpoint() {
  if (checkpointPath.empty() && !runner.syncStateIsCollective())
    return Error::success();
  runner.syncState(state.data());
  if (checkpointPath.empty())
    return Error::success();
  return writeTrainCheckpoint(checkpointPath, info, state.data(), loop,
                              context);
}

Error TrainingLoop::finishEpoch(uint32_t epoch, uint64_t epochTrainMicros) {
  EpochStats stats;
  stats.epoch = epoch;
  stats.epochs = epochs;
  stats.trainCorrect = loop.epochTrainCorrect;
  stats.trainSeen = uint64_t(batchesPerEpoch) * info.batch;
  stats.lrInv = loop.schedule.lr_inv;
  stats.trainMs = epochTrainMicros / 1000;
  stats.imagesPerSec = perSecond(stats.trainSeen, epochTrainMicros);
  loop.epochsDone = epoch;
  loop.epochBatchesDone = 0;
  loop.epochTrainCorrect = 0;

  int32_t decision = 0;
  const int64_t oldLrInv = loop.schedule.lr_inv;
  if (!options.noEval) {
    uint64_t micros = 0;
    TestCounts counts = evaluate(
        ("epoch " + Twine(epoch) + "/" + Twine(epochs) + " test").str(),
        micros);
    stats.testCorrect = counts.refCorrect;
    stats.testSeen = counts.refSeen;
    stats.testCorrectAll = counts.allCorrect;
    stats.testSeenAll = counts.allSeen;
    stats.testMs = micros / 1000;
    stats.headTestCorrect = counts.headCorrect;
    if (counts.refCorrect > loop.bestTestCorrect) { // Strict (§8).
      loop.bestEpoch = epoch;
      loop.bestTestCorrect = counts.refCorrect;
      loop.bestTestSeen = counts.refSeen;
      loop.trainCorrectAtBest = stats.trainCorrect;
      loop.trainSeenAtBest = stats.trainSeen;
    }
    decision = intc_schedule_epoch_end(
        &loop.schedule, int64_t(counts.refCorrect), int64_t(counts.refSeen));
  }
  stats.bestEpoch = loop.bestEpoch;
  stats.step = loop.step;
  stats.epochMs = stats.trainMs + stats.testMs;
  stats.elapsedMs = microsSince(startTime) / 1000;

  lastEpoch = stats;
  out << formatEpochLine(stats) << '\n';
  if (log)
    log->epoch(stats);
  if (decision & INTC_SCHEDULE_LR_REDUCED) {
    out << "epoch " << epoch << ": no improvement for "
        << loop.schedule.plateau.patience << " epochs, lr_inv " << oldLrInv
        << " -> " << loop.schedule.lr_inv << '\n';
    if (log)
      log->lrChange(epoch, oldLrInv, loop.schedule.lr_inv);
  }
  if (decision & INTC_SCHEDULE_STOP) {
    loop.earlyStopped = true;
    stopReason = "early_stop";
    out << "epoch " << epoch << ": early stopping, no improvement for "
        << loop.schedule.early_stop.patience << " epochs\n";
  }
  out.flush();
  return saveCheckpoint();
}

Expected<RunSummary> TrainingLoop::finish() {
  // Whether an epoch of this run ended with a test pass; the final
  // evaluation below is not an epoch's and never counts as the best.
  const bool epochEvaluated = lastEval.has_value();
  if (!options.noEval && !lastEval) {
    // Stopped without an epoch-end test pass in this run (maxSteps inside an
    // epoch, or a resume with nothing left to do): score the final weights.
    uint64_t micros = 0;
    TestCounts counts = evaluate("final test", micros);
    out << "final evaluation: test "
        << formatPercent(counts.refCorrect, counts.refSeen) << "% ("
        << counts.refCorrect << '/' << counts.refSeen << "), all "
        << formatPercent(counts.allCorrect, counts.allSeen) << "% ("
        << counts.allCorrect << '/' << counts.allSeen << ")\n";
    if (log)
      log->eval({data.datasetName, counts.allCorrect, counts.allSeen,
                 micros / 1000, counts.refCorrect, counts.refSeen,
                 counts.headCorrect});
  }

  RunSummary summary;
  summary.dataset = data.datasetName;
  summary.target = options.targetName;
  summary.seed = loop.seed;
  summary.epochsRun = loop.epochsDone;
  summary.epochs = epochs;
  summary.stopReason = stopReason;
  summary.bestEpoch = loop.bestEpoch;
  summary.bestTestCorrect = loop.bestTestCorrect;
  summary.testSeen = loop.bestEpoch   ? loop.bestTestSeen
                     : epochEvaluated ? lastEval->refSeen
                                      : 0;
  summary.trainCorrectAtBest = loop.trainCorrectAtBest;
  summary.trainSeenAtBest = loop.trainSeenAtBest;
  summary.finalLrInv = loop.schedule.lr_inv;
  summary.model = info.name;
  if (lastEval) {
    summary.finalTestCorrect = lastEval->allCorrect;
    summary.finalTestSeen = lastEval->allSeen;
  }
  summary.steps = loop.step;
  summary.trainMs = trainMicros / 1000;
  summary.testMs = testMicros / 1000;
  summary.imagesPerSec = perSecond(trainImages, trainMicros);
  summary.elapsedMs = microsSince(startTime) / 1000;

  if (options.finalState) {
    runner.syncState(state.data());
    *options.finalState = {state, loop, context};
  }
  printSummary(out, summary);
  if (!checkpointPath.empty())
    out << "checkpoint: " << checkpointPath << '\n';
  out.flush();
  if (log) {
    log->summary(summary);
    if (Error err = log->close())
      return std::move(err);
  }
  if (!summaryPath.empty())
    if (Error err = writeFileAtomically(summaryPath, [&](raw_ostream &os) {
          writeSummaryJson(os, summary);
          return Error::success();
        }))
      return std::move(err);
  return std::move(summary);
}

Expected<RunSummary> TrainingLoop::run(const Dataset &dataset) {
  takeOverflowReport(); // Nothing from an earlier run on this thread.
  if (Error err = setUp(dataset))
    return std::move(err);
  printHeader(options.resume);
  if (options.onFirstStep)
    options.onFirstStep();

  if (loop.earlyStopped)
    stopReason = "early_stop";
  for (uint32_t epoch = loop.epochsDone + 1;
       epoch <= epochs && !loop.earlyStopped; ++epoch) {
    if (options.maxSteps && loop.step >= options.maxSteps) {
      stopReason = "max_steps";
      break;
    }
    const uint32_t first = loop.epochBatchesDone;
    if (first == 0)
      intc_data_shuffle_epoch(order.data(), uint32_t(order.size()), loop.seed,
                              epoch);
    Clock::time_point start = Clock::now();
    const uint32_t done = trainBatches(epoch, first);
    if (overflow) {
      out.flush();
      return createStringError(
          std::errc::value_too_large, "%s",
          describeOverflow(*overflow, info, loop.step).c_str());
    }
    const uint64_t micros = microsSince(start);
    trainMicros += micros;
    trainImages += uint64_t(done - first) * info.batch;

    if (done < batchesPerEpoch) {
      // maxSteps inside the epoch: keep the position for a resume.
      loop.epochBatchesDone = done;
      stopReason = "max_steps";
      out << "epoch " << epoch << '/' << epochs << ": stopped after "
          << loop.step << " steps (max-steps), " << done << '/'
          << batchesPerEpoch << " batches, train "
          << formatPercent(loop.epochTrainCorrect, uint64_t(done) * info.batch)
          << "% (" << loop.epochTrainCorrect << '/'
          << uint64_t(done) * info.batch << ")\n";
      if (Error err = saveCheckpoint())
        return std::move(err);
      break;
    }
    if (Error err = finishEpoch(epoch, micros))
      return std::move(err);
    // The callback sees every completed epoch, the last one included.
    if (options.onEpoch && !options.onEpoch(lastEpoch) && !loop.earlyStopped) {
      stopReason = "stopped";
      break;
    }
  }
  return finish();
}

} // namespace

Expected<RunSummary> intc::host::runTraining(ModelRunner &runner,
                                             const ModelInfo &info,
                                             const Dataset &dataset,
                                             const TrainOptions &options,
                                             raw_ostream &out) {
  TrainingLoop loop(runner, info, options, out);
  return loop.run(dataset);
}

Expected<EvalStats> intc::host::runEvaluation(ModelRunner &runner,
                                              const ModelInfo &info,
                                              const Dataset &dataset,
                                              StringRef checkpointPath,
                                              raw_ostream &out) {
  Clock::time_point start = Clock::now();
  if (Error err = checkModel(runner, info))
    return std::move(err);
  std::vector<int32_t> state(size_t(info.numWeights), 0);
  Expected<LoadedCheckpoint> loaded =
      readTrainCheckpoint(checkpointPath, info, state.data());
  if (!loaded)
    return loaded.takeError();
  // The test images are normalised with the statistics the model was
  // trained with (stored in the checkpoint), so any test set of the right
  // shape is scored as training saw its data.
  const std::string datasetName = !dataset.name.empty() ? dataset.name
                                  : dataset.info ? dataset.info->name.str()
                                                 : info.dataset;
  Expected<NormalizedSet> test = normalizeWithStats(
      dataset.test, info, loaded->context.mean, loaded->context.mad,
      "dataset '" + datasetName + "' test split");
  if (!test)
    return test.takeError();
  if (test->n == 0)
    return invalid("dataset '" + datasetName + "' has no test images");

  TestCounts counts =
      evaluateTestSet(runner, state.data(), *test, info.numClasses);
  EvalStats stats;
  stats.dataset = datasetName;
  stats.testCorrect = counts.allCorrect;
  stats.testSeen = counts.allSeen;
  stats.testCorrectRef = counts.refCorrect;
  stats.testSeenRef = counts.refSeen;
  stats.headTestCorrectRef = counts.headCorrect;
  stats.elapsedMs = microsSince(start) / 1000;
  out << "eval: model '" << info.name << "', " << checkpointPath << " (epoch "
      << loaded->loop.epochsDone << ", seed " << loaded->loop.seed << ")\n";
  printEvalSummary(out, stats);
  out.flush();
  return std::move(stats);
}
