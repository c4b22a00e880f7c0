//===- Metrics.h - Training-run reporting: JSON lines and text --*- C++ -*-===//
//
// What `intc train` / `intc eval` report, in two forms:
//  * a JSON-lines log (one object per event, integers and strings only) for
//    scripts and plots;
//  * human-readable text: one line per epoch and a summary block whose
//    accuracy lines read exactly `test accuracy: NN.NN%`.
// Accuracies are kept as (correct, seen) counts and only formatted, with
// integer arithmetic, when printed: nothing here uses floating point.
//
// JSON-lines schema (version 1; every line has "event"):
//   {"event":"start","schema":1,"command":"train","model":"m.mlir",
//    "dataset":"mnist","target":"cpu","seed":42,"epochs":150,
//    "batch_size":64,"train_images":60000,"test_images":10000,"lr_inv":512}
//   {"event":"epoch","epoch":3,"epochs":150,"train_correct":58000,
//    "train_seen":59968,"test_correct":9700,"test_seen":9984,"lr_inv":512,
//    "best_epoch":3,"epoch_ms":12000,"elapsed_ms":36500}
//   {"event":"lr_change","epoch":40,"old_lr_inv":512,"new_lr_inv":1536}
//   {"event":"eval","dataset":"mnist","test_correct":9830,"test_seen":9984,
//    "elapsed_ms":900}
//   {"event":"summary","epochs_run":87,"epochs":150,"stop_reason":"early_stop",
//    "best_epoch":62,"best_test_correct":9830,"test_seen":9984,
//    "train_correct_at_best":59440,"train_seen_at_best":59968,
//    "final_lr_inv":1536,"elapsed_ms":5025000}
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
};

/// A test-set evaluation (`intc eval`).
struct EvalStats {
  std::string dataset;
  uint64_t testCorrect = 0, testSeen = 0;
  uint64_t elapsedMs = 0;
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
};

/// "epoch 3/150: train 96.72% (58000/59968), test 97.16% (9700/9984),
/// lr_inv 512, 0:12" — deliberately not "test accuracy:", so that a grep for
/// the final accuracy finds only the summary.
std::string formatEpochLine(const EpochStats &stats);

/// The final block printed after training; contains `train accuracy: …%` and
/// `test accuracy: …%` lines.
void printSummary(llvm::raw_ostream &os, const RunSummary &summary);

/// The block printed by `intc eval`; contains `test accuracy: …%`.
void printEvalSummary(llvm::raw_ostream &os, const EvalStats &stats);

//===----------------------------------------------------------------------===//
// JSON-lines log
//===----------------------------------------------------------------------===//

/// Writes one JSON object per line and flushes it, so a crashed or running
/// job's log is complete up to its last event and can be followed live.
class MetricsLog {
public:
  /// Logs to \p os, which must outlive this object.
  explicit MetricsLog(llvm::raw_ostream &os) : os(&os) {}
  /// Logs to the file \p path (truncated), or to stdout for "-".
  static llvm::Expected<std::unique_ptr<MetricsLog>>
  create(llvm::StringRef path);
  ~MetricsLog();

  void start(const RunInfo &info);
  void epoch(const EpochStats &stats);
  void lrChange(unsigned epoch, int64_t oldLrInv, int64_t newLrInv);
  void eval(const EvalStats &stats);
  void summary(const RunSummary &summary);

  /// Flushes and reports any write error (naming the file) since creation.
  llvm::Error close();

private:
  MetricsLog() = default;
  void emit(llvm::StringRef event,
            llvm::function_ref<void(llvm::json::OStream &)> fields);

  std::unique_ptr<llvm::raw_fd_ostream> file;
  std::string path;
  llvm::raw_ostream *os = nullptr;
};

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_METRICS_H
