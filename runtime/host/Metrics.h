//===- Metrics.h - Training-run reporting: JSON lines and text --*- C++ -*-===//
//
// What `intc train` / `intc eval` report, in two forms:
//  * a JSON-lines log (one object per event: integers, strings and lists of
//    integers only) for scripts and plots (python/intc/plot.py);
//  * human-readable text: one line per epoch and a summary block whose
//    accuracy lines read exactly `test accuracy: NN.NN%`.
// Accuracies are kept as (correct, seen) counts and only formatted, with
// integer arithmetic, when printed: nothing here uses floating point.
//
// JSON-lines schema (version 1; every line has "event"):
//   {"event":"start","schema":1,"command":"train","model":"m.mlir",
//    "dataset":"mnist","target":"cpu","seed":42,"epochs":150,
//    "batch_size":64,"train_images":60000,"test_images":10000,"lr_inv":512,
//    "resumed_after_epoch":40,"resumed_at_step":37480}
//   {"event":"epoch","epoch":3,"epochs":150,"train_correct":58000,
//    "train_seen":59968,"test_correct":9700,"test_seen":9984,"lr_inv":512,
//    "best_epoch":3,"epoch_ms":12000,"elapsed_ms":36500,
//    "test_correct_all":9712,"test_seen_all":10000,"step":2811,
//    "train_ms":11000,"test_ms":1000,"images_per_s":5451,
//    "head_test_correct":[9301,9655]}
//   {"event":"lr_change","epoch":40,"old_lr_inv":512,"new_lr_inv":1536}
//   {"event":"eval","dataset":"mnist","test_correct":9830,"test_seen":9984,
//    "elapsed_ms":900,"test_correct_ref":0,"test_seen_ref":0,
//    "head_test_correct_ref":[9301,9655]}
//   {"event":"summary","epochs_run":87,"epochs":150,"stop_reason":"early_stop",
//    "best_epoch":62,"best_test_correct":9830,"test_seen":9984,
//    "train_correct_at_best":59440,"train_seen_at_best":59968,
//    "final_lr_inv":1536,"elapsed_ms":5025000,"model":"mlp","dataset":"mnist",
//    "target":"cpu","seed":42,"final_test_correct":9822,
//    "final_test_seen":10000,"steps":81519,"train_ms":4900000,
//    "test_ms":100000,"images_per_s":1065}
// In "epoch" and "summary", test_seen counts the images of the reference's
// measure (the first (N // B)·B test images, 9984 for N = 10000 and B = 64)
// and the *_all / final_test_* fields all N test images. Times are integer
// milliseconds of wall time; images_per_s is training images per second of
// training-pass time. head_test_correct (epoch) and head_test_correct_ref
// (eval) count, per local block in model order, the test images its head
// classifies correctly, on the images of the reference's measure (test_seen,
// test_seen_ref); they are omitted when the runner reports no heads.
// resumed_after_epoch / resumed_at_step appear in "start" only when the run
// continues a checkpoint (the epochs and steps it had done).
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_METRICS_H
#define INTC_RUNTIME_HOST_METRICS_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace intc::host {

//===----------------------------------------------------------------------===//
// Formatting
//===----------------------------------------------------------------------===//

/// 100·correct/total with two decimals, rounded half up: (9736, 10000) →
/// "97.36", (1, 3) → "33.33", (2, 3) → "66.67". "n/a" when total is 0.
std::string formatPercent(uint64_t correct, uint64_t total);

/// "test accuracy: 97.36%" for which = "test". Scripts grep these lines, so
/// the format is fixed.
std::string formatAccuracy(llvm::StringRef which, uint64_t correct,
                           uint64_t total);

/// "0:07", "12:05", "1:02:03" (hours are not wrapped).
std::string formatDuration(uint64_t ms);

//===----------------------------------------------------------------------===//
// What is reported
//===----------------------------------------------------------------------===//

/// Facts about a run, logged once at its start.
struct RunInfo {
  std::string command = "train"; // "train" or "eval".
  std::string model;             // The model file.
  std::string dataset, target;
  uint64_t seed = 0;
  unsigned epochs = 0, batchSize = 0;
  uint64_t trainImages = 0, testImages = 0;
  int64_t lrInv = 0;
  // A resumed run: where its checkpoint left off.
  bool resumed = false;
  unsigned resumedAfterEpoch = 0;
  uint64_t resumedAtStep = 0;
};

/// One finished epoch. Train counts are the running counts measured during
/// the training pass (ALGORITHM.md §8), test counts a clean test pass.
struct EpochStats {
  unsigned epoch = 0, epochs = 0; // epoch counts from 1.
  uint64_t trainCorrect = 0, trainSeen = 0;
  uint64_t testCorrect = 0, testSeen = 0;
  int64_t lrInv = 0;      // In effect during this epoch.
  unsigned bestEpoch = 0; // Epoch of the best test accuracy so far.
  uint64_t epochMs = 0, elapsedMs = 0;
  // The same test pass scored on every test image (the last partial batch
  // padded); testSeenAll = 0 when not measured.
  uint64_t testCorrectAll = 0, testSeenAll = 0;
  uint64_t step = 0; // Global training steps done at the end of the epoch.
  uint64_t trainMs = 0, testMs = 0; // The two passes of epochMs.
  uint64_t imagesPerSec = 0;        // Training images / training-pass time.
  // Per block head (model order), correct on the testSeen images; empty
  // when not measured.
  std::vector<uint64_t> headTestCorrect;
};

/// A test-set evaluation (`intc eval`). testCorrect/testSeen score every
/// test image; testCorrectRef/testSeenRef the first (N // B)·B of them, the
/// reference's measure (0/0 when not given).
struct EvalStats {
  std::string dataset;
  uint64_t testCorrect = 0, testSeen = 0;
  uint64_t elapsedMs = 0;
  uint64_t testCorrectRef = 0, testSeenRef = 0;
  // Per block head (model order), correct on the testSeenRef images; empty
  // when not measured.
  std::vector<uint64_t> headTestCorrectRef;
};

/// The end of a training run. The reported accuracy is the best test
/// accuracy over epochs, with the train accuracy of that epoch (§8).
struct RunSummary {
  std::string dataset, target;
  uint64_t seed = 0;
  unsigned epochsRun = 0, epochs = 0;
  std::string stopReason = "completed"; // "completed", "early_stop", ...
  unsigned bestEpoch = 0;               // 0 if no epoch finished.
  uint64_t bestTestCorrect = 0, testSeen = 0;
  uint64_t trainCorrectAtBest = 0, trainSeenAtBest = 0;
  int64_t finalLrInv = 0;
  uint64_t elapsedMs = 0;
  std::string model;
  // The last evaluation of the run on every test image (the final model);
  // finalTestSeen = 0 when there was none.
  uint64_t finalTestCorrect = 0, finalTestSeen = 0;
  uint64_t steps = 0;               // Global training steps at the end.
  uint64_t trainMs = 0, testMs = 0; // Summed over this run's passes.
  uint64_t imagesPerSec = 0;        // Training images / training time.
};

/// "epoch 3/150: train 96.72% (58000/59968), test 97.16% (9700/9984),
/// lr_inv 512, 0:12" — deliberately not "test accuracy:", so that a grep for
/// the final accuracy finds only the summary. With head counts, ", heads
/// 93.16/96.02%" (block 0 first) follows the test counts.
std::string formatEpochLine(const EpochStats &stats);

/// The final block printed after training; contains `train accuracy: …%` and
/// `test accuracy: …%` lines (the best epoch, reference measure), then, when
/// known, `best test accuracy: NN.NN% (epoch E, 9984 images)` and
/// `final test accuracy: NN.NN% (10000 images)`.
void printSummary(llvm::raw_ostream &os, const RunSummary &summary);

/// The block printed by `intc eval`; contains `test accuracy: …%` (every
/// test image) and, when given, the reference measure and one
/// `head of block I: NN.NN% (C/N)` line per head (never `test accuracy:`,
/// which scripts grep for the network's accuracy).
void printEvalSummary(llvm::raw_ostream &os, const EvalStats &stats);

/// The summary as one JSON object (the "summary" event of the log), for
/// summary.json.
void writeSummaryJson(llvm::raw_ostream &os, const RunSummary &summary);

//===----------------------------------------------------------------------===//
// JSON-lines log
//===----------------------------------------------------------------------===//

/// Writes one JSON object per line and flushes it, so a crashed or running
/// job's log is complete up to its last event and can be followed live.
/// One log may write the same events to several files.
class MetricsLog {
public:
  /// Logs to \p os, which must outlive this object.
  explicit MetricsLog(llvm::raw_ostream &os) {
    outputs.push_back({"", {}, &os});
  }
  /// Logs to the file \p path (truncated, or appended to with \p append),
  /// or to stdout for "-".
  static llvm::Expected<std::unique_ptr<MetricsLog>>
  create(llvm::StringRef path, bool append = false);
  ~MetricsLog();

  /// Also writes every later event to \p path, as create() would.
  llvm::Error addFile(llvm::StringRef path, bool append = false);

  void start(const RunInfo &info);
  void epoch(const EpochStats &stats);
  void lrChange(unsigned epoch, int64_t oldLrInv, int64_t newLrInv);
  void eval(const EvalStats &stats);
  void summary(const RunSummary &summary);

  /// Flushes and reports the first write error (naming its file) since
  /// creation.
  llvm::Error close();

private:
  MetricsLog() = default;
  void emit(llvm::StringRef event,
            llvm::function_ref<void(llvm::json::OStream &)> fields);

  struct Output {
    std::string path;
    std::unique_ptr<llvm::raw_fd_ostream> file; // Null for a given stream.
    llvm::raw_ostream *os = nullptr;
  };
  std::vector<Output> outputs;
};

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_METRICS_H
