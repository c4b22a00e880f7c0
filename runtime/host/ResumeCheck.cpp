//===- ResumeCheck.cpp - May a checkpoint continue this run? --------------===//

#include "runtime/host/ResumeCheck.h"

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
    if (stored->epoch_count < 0 || stored->epoch_count > loop.epochsDone ||
        // counter == patience: the run stopped early at that epoch.
        stored->counter < 0 || stored->counter > stored->patience ||
        stored->best_correct < 0 ||
        stored->best_correct > int64_t(context.testImages))
      return fileError(path, Twine("has an inconsistent ") + name +
                                 " state (epoch count " +
                                 Twine(stored->epoch_count) + ", counter " +
                                 Twine(stored->counter) + ", best " +
                                 Twine(stored->best_correct) + ")");
  }
  if (saved.lr_inv < 1 || saved.lr_inv > INTC_LR_INV_MAX)
    return fileError(path, "has lr_inv " + Twine(saved.lr_inv) +
                               ", outside [1, " + Twine(INTC_LR_INV_MAX) + "]");
  if (loop.epochBatchesDone >= batchesPerEpoch ||
      loop.step !=
          uint64_t(loop.epochsDone) * batchesPerEpoch + loop.epochBatchesDone)
    return fileError(path, "has an inconsistent position (epoch " +
                               Twine(loop.epochsDone) + ", batch " +
                               Twine(loop.epochBatchesDone) + ", step " +
                               Twine(loop.step) + ")");
  return checkStatistics(path, stored, data);
}
