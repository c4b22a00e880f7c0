//===- ResumeCheck.cpp - May a checkpoint continue this run? --------------===//

#include "runtime/host/ResumeCheck.h"

#include "runtime/host/Evaluation.h"

#include "runtime/c/intc_schedule.h"

#include "llvm/ADT/Twine.h"

#include <string>
#include <tuple>

using namespace llvm;
using namespace intc::host;

static Error fileError(StringRef path, const Twine &msg) {
  return createFileError(
      path, createStringError(std::make_error_code(std::errc::invalid_argument),
                              msg));
}

static std::string formatList(ArrayRef<int32_t> values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i)
    out += (i ? ", " : "") + std::to_string(values[i]);
  return out + "]";
}

/// Whether the plateau rule, starting at \p start and multiplying by
/// \p factor (saturating at INTC_LR_INV_MAX, as intc_monitor_step does) at
/// most once per epoch, reaches \p lrInv within \p epochs epochs.
static bool reachableLrInv(int64_t lrInv, int64_t start, int64_t factor,
                           uint32_t epochs) {
  int64_t lr = start;
  for (uint32_t k = 0;; ++k) {
    if (lr == lrInv)
      return true;
    if (k == epochs || factor < 2 || lr >= INTC_LR_INV_MAX)
      return false;
    lr = lr > INTC_LR_INV_MAX / factor ? INTC_LR_INV_MAX : lr * factor;
  }
}

/// The statistics recomputed from the data must be those the checkpoint was
/// trained with; otherwise the data (or the seed) differs.
static Error checkStatistics(StringRef path, const RunContext &stored,
                             const TrainData &data) {
  if (stored.mean == data.mean && stored.mad == data.mad)
    return Error::success();
  return fileError(
      path, "was trained on data normalised with mean " +
                formatList(stored.mean) + ", MAD " + formatList(stored.mad) +
                ", but dataset '" + data.datasetName + "' gives mean " +
                formatList(data.mean) + ", MAD " + formatList(data.mad));
}

Error intc::host::checkResumable(StringRef path, const LoadedCheckpoint &loaded,
                                 const LoopState &fresh,
                                 const RunContext &context,
                                 const TrainData &data,
                                 uint32_t batchesPerEpoch) {
  const LoopState &loop = loaded.loop;
  const RunContext &stored = loaded.context;
  if (loop.seed != fresh.seed)
    return fileError(path, "was written by a run with seed " +
                               Twine(loop.seed) + ", not " + Twine(fresh.seed) +
                               " (pass the same seed to resume)");
  if (loop.noEval != fresh.noEval)
    return fileError(path, Twine("was written by a run ") +
                               (loop.noEval ? "without" : "with") +
                               " evaluation; resume it the same way (the "
                               "schedule depends on it)");
  if (stored.dataset != context.dataset)
    return fileError(path, "was trained on dataset '" + stored.dataset +
                               "', not '" + context.dataset + "'");
  if (stored.batch != context.batch)
    return fileError(path, "was trained with batch " + Twine(stored.batch) +
                               ", the model has batch " + Twine(context.batch));
  if (stored.trainImages != context.trainImages ||
      stored.testImages != context.testImages)
    return fileError(path, "was trained on " + Twine(stored.trainImages) +
                               " train / " + Twine(stored.testImages) +
                               " test images, the dataset has " +
                               Twine(context.trainImages) + " / " +
                               Twine(context.testImages));
  // What one evaluation scores and one epoch trains.
  const uint64_t evalSeen = referenceSeen(context.testImages, context.batch);
  const uint64_t epochImages = uint64_t(batchesPerEpoch) * context.batch;
  // The schedule: the model's settings, and a state they can produce (a
  // learning rate a corrupt file could set to 0 would divide by zero).
  const intc_schedule &saved = loop.schedule, &model = fresh.schedule;
  for (auto [name, stored, expected] :
       {std::tuple{"early-stopping", &saved.early_stop, &model.early_stop},
        std::tuple{"plateau", &saved.plateau, &model.plateau}}) {
    if (stored->factor != expected->factor ||
        stored->patience != expected->patience ||
        stored->from_epoch != expected->from_epoch ||
        stored->min_delta_pct != expected->min_delta_pct)
      return fileError(path, Twine("was written with other ") + name +
                                 " settings than the model's (factor " +
                                 Twine(stored->factor) + ", patience " +
                                 Twine(stored->patience) + ", from epoch " +
                                 Twine(stored->from_epoch) + ")");
    // Every evaluated epoch feeds early stopping, then the plateau rule
    // unless early stopping ended the run (intc_schedule_epoch_end); a
    // count off by one would move every later decision of the schedule.
    const int64_t fed =
        loop.noEval ? 0
                    : int64_t(loop.epochsDone) -
                          (stored == &saved.plateau && loop.earlyStopped);
    // The counter reaches patience only to act: early stopping then ends
    // the run (early_stopped says whether it has), the plateau rule resets
    // it to 0.
    const bool reached =
        stored->counter > 0 && stored->counter >= stored->patience;
    const bool counterOk =
        stored->counter >= 0 && stored->counter <= stored->patience &&
        (stored == &saved.early_stop ? reached == loop.earlyStopped : !reached);
    // best_correct is a count of the reference measure's images.
    if (stored->epoch_count != fed || !counterOk || stored->best_correct < 0 ||
        uint64_t(stored->best_correct) > evalSeen)
      return fileError(path, Twine("has an inconsistent ") + name +
                                 " state (epoch count " +
                                 Twine(stored->epoch_count) + ", counter " +
                                 Twine(stored->counter) + ", best " +
                                 Twine(stored->best_correct) + ")");
  }
  if (saved.lr_inv < 1 || saved.lr_inv > INTC_LR_INV_MAX)
    return fileError(path, "has lr_inv " + Twine(saved.lr_inv) +
                               ", outside [1, " + Twine(INTC_LR_INV_MAX) + "]");
  // Only the plateau rule changes lr_inv: any other value would continue
  // the run at a learning rate it never had.
  if (!reachableLrInv(saved.lr_inv, model.lr_inv, model.plateau.factor,
                      loop.epochsDone))
    return fileError(
        path, "has lr_inv " + Twine(saved.lr_inv) +
                  ", which the model's lr_inv " + Twine(model.lr_inv) +
                  " and plateau factor " + Twine(model.plateau.factor) +
                  " do not give after " + Twine(loop.epochsDone) + " epochs");
  // The best epoch and its counts, which the summary reports: none before
  // the first evaluation that improves on 0 correct, else the counts of one
  // evaluation of this data, after a completed epoch.
  const bool bestOk =
      loop.bestEpoch == 0
          ? loop.bestTestCorrect == 0 && loop.bestTestSeen == 0 &&
                loop.trainCorrectAtBest == 0 && loop.trainSeenAtBest == 0
          : !loop.noEval && loop.bestEpoch <= loop.epochsDone &&
                loop.bestTestCorrect > 0 && loop.bestTestSeen == evalSeen &&
                loop.bestTestCorrect <= loop.bestTestSeen &&
                loop.trainSeenAtBest == epochImages &&
                loop.trainCorrectAtBest <= loop.trainSeenAtBest;
  if (!bestOk)
    return fileError(path, "has an inconsistent best epoch (epoch " +
                               Twine(loop.bestEpoch) + ", test " +
                               Twine(loop.bestTestCorrect) + "/" +
                               Twine(loop.bestTestSeen) + ", train " +
                               Twine(loop.trainCorrectAtBest) + "/" +
                               Twine(loop.trainSeenAtBest) + ")");
  // The position, and the training accuracy of the epoch it is inside
  // (counted over the batches done: at most one per image).
  if (loop.epochBatchesDone >= batchesPerEpoch ||
      loop.step !=
          uint64_t(loop.epochsDone) * batchesPerEpoch + loop.epochBatchesDone ||
      loop.epochTrainCorrect >
          uint64_t(loop.epochBatchesDone) * context.batch ||
      (loop.earlyStopped && loop.epochBatchesDone))
    return fileError(
        path, "has an inconsistent position (epoch " + Twine(loop.epochsDone) +
                  ", batch " + Twine(loop.epochBatchesDone) + ", step " +
                  Twine(loop.step) + ", " + Twine(loop.epochTrainCorrect) +
                  " training images correct" +
                  (loop.earlyStopped ? ", stopped early" : "") + ")");
  return checkStatistics(path, stored, data);
}
