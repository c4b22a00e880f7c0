//===- Trainer.h - The target-independent training loop ---------*- C++ -*-===//
//
// `intc train` and `intc eval` for any target: the loop drives a ModelRunner
// (the compiled init / train_step / predict) through the reference protocol
// of ALGORITHM.md §7-§8, in integers only:
//
//  1. Data: load-time shuffle with the seed, per-channel mean / MAD of the
//     first min(N, 25000) shuffled training images, int8 normalisation of both
//     splits (TrainData.h).
//  2. Epoch e = 1..E: the cumulative epoch shuffle, N // B batches (the last
//     partial batch is dropped, Q8), the per-batch augmentation when the
//     model asks for it (one crop / flip draw per batch from the global step
//     counter, Q19), trainStep(state, x, y, lr_inv, seed, step); the train
//     accuracy counts the logits trainStep returns (§8: a running measure),
//     or, from a pipelined runner (ModelRunner::defersTrainOutputs), the
//     counts finishSteps returns when the pass ends and the pipeline
//     drains, before any checkpoint or test pass.
//  3. After every epoch (unless noEval) a test pass (Evaluation.h), scored on
//     the reference's first (N // B)·B images (9,984 of 10,000) and on all N.
//     The best epoch is the first with the highest 9,984-image count (strict
//     improvement, §8); the schedule (§4.3: early stopping checked first, then
//     ReduceLROnPlateau ×factor) is fed the same count. With noEval, lr_inv
//     stays constant and there is no best epoch.
//  4. maxSteps stops after that many training steps in total, counted by the
//     global step (so a resumed run counts the steps before it), then
//     evaluates the final weights unless noEval. A stop inside an epoch does
//     not feed the schedule.
//  5. With outDir, OUTDIR/model.safetensors (TrainCheckpoint.h) is rewritten
//     atomically after every epoch and when maxSteps stops the run, and
//     OUTDIR/summary.json at the end. resume reads the checkpoint back,
//     replays the epoch shuffles and continues where it stopped — after the
//     last completed epoch, or inside an epoch after a maxSteps stop. Training
//     N epochs and resuming to M gives bit-identical weights to M epochs
//     straight. A resume must use the same seed, data and batch size as the
//     run that wrote the checkpoint and restores the schedule state from the
//     checkpoint; the times reported cover this invocation only. A run that
//     stopped early stays stopped, and a resume with nothing left to train
//     only evaluates the checkpoint.
//  6. Output on `out`: a header, one line per epoch, lr changes, and the
//     summary (printSummary: `test accuracy: NN.NN%` is the best epoch's
//     reference measure, plus `best test accuracy: … (epoch E, 9984 images)`
//     and `final test accuracy: … (10000 images)`); JSON lines (MetricsLog)
//     when metricsPath is set ("-": stdout); a progress display on
//     progressOut. A runner with heads also has each block's head scored
//     in every test pass (the epoch events' head_test_correct).
//  7. Wall times (std::chrono, integer ms) of each training and test pass go
//     into the epoch events and the summary, with training images per second.
//  8. With outDir, OUTDIR/metrics.jsonl keeps the run's history as JSON
//     lines (RunMetrics.h), whether or not metricsPath is set: a fresh run
//     truncates it, a resume appends to it. A resumed run's log therefore
//     reads: the first invocation's "start", its epochs (and lr changes, an
//     "eval" and a "summary" if it ended normally), then the resume's
//     "start" with resumed_after_epoch / resumed_at_step, the epochs from
//     resumed_after_epoch + 1 on, and its own summary; epoch numbers and
//     steps continue, times restart. An epoch a killed run logged but did
//     not checkpoint is trained again and logged twice, identically but
//     for its times: readers keep the last event of each epoch (intc plot
//     does). metricsPath, by contrast, gets this invocation's events only.
//  9. Front ends that keep the model in memory (the Python package) use
//     onEpoch (called after each epoch's checkpoint; returning false stops
//     the run there, stop reason "stopped"), resumeFrom (resume from a
//     TrainState instead of OUTDIR/model.safetensors, with the same checks)
//     and finalState (receives the weights and loop state at the end). The
//     loop is the same, so the weights are the CLI's, bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_TRAINER_H
#define INTC_RUNTIME_HOST_TRAINER_H

#include "runtime/host/Datasets.h"
#include "runtime/host/Metrics.h"
#include "runtime/host/ModelInfo.h"
#include "runtime/host/ModelRunner.h"
#include "runtime/host/Progress.h"
#include "runtime/host/TrainCheckpoint.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace intc::host {

/// File names inside TrainOptions::outDir.
inline constexpr char kCheckpointFileName[] = "model.safetensors";
inline constexpr char kSummaryFileName[] = "summary.json";
inline constexpr char kMetricsFileName[] = "metrics.jsonl";
/// Locked (advisory, whole file) while a run writes its directory.
inline constexpr char kRunLockFileName[] = ".intc-run.lock";

/// Everything a checkpoint holds, in memory: the flat weights, the loop's
/// position and schedule, and the run's context (data, statistics).
struct TrainState {
  std::vector<int32_t> weights;
  LoopState loop;
  RunContext context;
};

struct TrainOptions {
  uint32_t epochs = 0;     // 0: the model's maxEpochs.
  uint64_t seed = 42;      // Data shuffles and normalisation, init, dropout,
                           // augmentation.
  uint64_t maxSteps = 0;   // 0: no limit.
  bool noEval = false;     // No test passes, no schedule.
  std::string outDir;      // "": no checkpoint, summary.json or history.
  bool resume = false;     // Continue from outDir/model.safetensors.
  std::string metricsPath; // JSON lines; "": none, "-": stdout.
  ProgressBar::Style progress = ProgressBar::styleForStderr();
  llvm::raw_ostream *progressOut = nullptr; // nullptr: llvm::errs().
  std::string targetName;                   // For reports ("cpu", ...).
  /// Prepare the next training batch (gather, augmentation) on a helper
  /// thread while the current step runs; the batches are the same.
  bool prepareAhead = true;
  /// After every completed epoch; false stops the run (see 8. above).
  std::function<bool(const EpochStats &)> onEpoch;
  // Called once when everything is ready and the first batch is next
  // (`intc train -v` reports the time to it).
  std::function<void()> onFirstStep;
  const TrainState *resumeFrom = nullptr; // With resume, instead of the file.
  TrainState *finalState = nullptr;       // Filled at the end, if given.
};

/// Trains \p runner on \p dataset as described above; returns the summary
/// (also printed on \p out).
llvm::Expected<RunSummary>
runTraining(ModelRunner &runner, const ModelInfo &info, const Dataset &dataset,
            const TrainOptions &options, llvm::raw_ostream &out);

/// Loads the weights of a checkpoint written by runTraining, normalises the
/// test images with the statistics it recorded (ALGORITHM.md §7 step 6) and
/// scores them: testCorrect / testSeen on every image, testCorrectRef /
/// testSeenRef on the reference's first (N // B)·B. Prints printEvalSummary
/// on \p out. The data need not be the training data, only of its shape.
llvm::Expected<EvalStats> runEvaluation(ModelRunner &runner,
                                        const ModelInfo &info,
                                        const Dataset &dataset,
                                        llvm::StringRef checkpointPath,
                                        llvm::raw_ostream &out);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_TRAINER_H
