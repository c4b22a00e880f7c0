//===- TrainCheckpoint.h - Training checkpoints: weights + loop -*- C++ -*-===//
//
// `intc train -o DIR` keeps DIR/model.safetensors: one I32 tensor per state
// tensor of the model (names and shapes from ModelInfo) and, as safetensors
// string metadata, everything the loop needs to continue bit-exactly:
//
//   format = "intc-checkpoint", format_version = "1"
//   model, target, dataset                      (target is informational:
//                                                every target is bit-exact)
//   seed, epoch (completed epochs), global_step, lr_inv
//   epoch_batches_done, epoch_train_correct     (a run stopped by max-steps
//                                                inside an epoch; else 0)
//   schedule.{early_stop,plateau}.{factor,patience,from_epoch,min_delta_pct,
//            epoch_count,best_correct,counter}  (all of intc_schedule)
//   best_epoch, best_test_correct, best_test_seen,
//   train_correct_at_best, train_seen_at_best
//   early_stopped ("0"/"1"), no_eval ("0"/"1")
//   batch_size, train_images, test_images, num_weights
//   norm_mean, norm_mad                         ("[a, b, c]", per channel)
//   class_names                                 (optional; a JSON array of
//                                                strings, the dataset's
//                                                class names by label)
//
// norm_mean / norm_mad are the §7 normalisation statistics of the training
// data: `intc eval`, `intc predict`, the Python package and the C target's
// <model>_normalize() normalise new inputs with them, so they must lie in
// the range intc_data_stats can produce (mean in [-128, 127], MAD in
// [0, 255]); a checkpoint with others is refused. Other values are decimal
// integers. The data permutation is not stored: it
// is a pure function of the seed and the epoch count and is replayed.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_TRAINCHECKPOINT_H
#define INTC_RUNTIME_HOST_TRAINCHECKPOINT_H

#include "runtime/host/ModelInfo.h"

#include "runtime/c/intc_schedule.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace intc::host {

/// The training loop's state between two batches, apart from the weights and
/// the data permutation.
struct LoopState {
  uint64_t seed = 0;
  uint32_t epochsDone = 0;        // Completed epochs.
  uint64_t step = 0;              // Global training steps done.
  uint32_t epochBatchesDone = 0;  // Of epoch epochsDone + 1 (max-steps stop).
  uint64_t epochTrainCorrect = 0; // Over those batches.
  intc_schedule schedule = {};    // schedule.lr_inv is the current lr_inv.
  uint32_t bestEpoch = 0;         // 0: none yet.
  uint64_t bestTestCorrect = 0, bestTestSeen = 0;
  uint64_t trainCorrectAtBest = 0, trainSeenAtBest = 0;
  bool earlyStopped = false;
  bool noEval = false;
};

/// What a checkpoint records about the run that wrote it, so that a resume
/// with other data or another batch size is refused.
struct RunContext {
  std::string model, target, dataset;
  uint32_t batch = 0, trainImages = 0, testImages = 0;
  int64_t numWeights = 0;
  std::vector<int32_t> mean, mad;
  std::vector<std::string> classNames; // Empty when the data named none.
};

/// Writes the checkpoint atomically. \p state has info.numWeights elements.
llvm::Error writeTrainCheckpoint(llvm::StringRef path, const ModelInfo &info,
                                 const int32_t *state, const LoopState &loop,
                                 const RunContext &context);

struct LoadedCheckpoint {
  LoopState loop;
  RunContext context;
};

/// Reads a checkpoint written by writeTrainCheckpoint: checks its tensors
/// against \p info (checkTensors), copies them into \p state
/// (info.numWeights elements) and parses the metadata. Every error names
/// \p path.
llvm::Expected<LoadedCheckpoint> readTrainCheckpoint(llvm::StringRef path,
                                                     const ModelInfo &info,
                                                     int32_t *state);

/// The bytes-level half of readTrainCheckpoint(): the same checks and copies
/// on a safetensors file already parsed (parseSafetensors); every error names
/// checkpoint.path.
llvm::Expected<LoadedCheckpoint>
parseTrainCheckpoint(const Checkpoint &checkpoint, const ModelInfo &info,
                     int32_t *state);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_TRAINCHECKPOINT_H
