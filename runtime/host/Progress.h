//===- Progress.h - Progress display for the training loop ------*- C++ -*-===//
//
// On a terminal, a single redrawn line (batch i/n, images/s, elapsed, ETA);
// in a log file or pipe, a plain line at most every lineIntervalMs, so logs
// carry occasional progress without carriage-return noise. The clock is
// injectable so tests are deterministic.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_PROGRESS_H
#define INTC_RUNTIME_HOST_PROGRESS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <functional>
#include <string>

namespace intc::host {

class ProgressBar {
public:
  enum class Style {
    Bar,   // Redraw one line with '\r' (a terminal).
    Lines, // Occasional plain lines (a log file or a pipe).
    Off,   // Print nothing.
  };
  /// Monotonic milliseconds.
  using Clock = std::function<uint64_t()>;

  /// Bar when stderr is a terminal, Lines otherwise.
  static Style styleForStderr();
  /// std::chrono::steady_clock in milliseconds.
  static uint64_t steadyClockMs();

  /// \p columns bounds the bar line so it never wraps (wrapping breaks the
  /// redraw); 0 means ask the terminal, falling back to 80.
  ProgressBar(llvm::raw_ostream &os, Style style, Clock clock = steadyClockMs,
              unsigned columns = 0);
  ~ProgressBar();

  /// Begins a pass of \p totalSteps batches of \p imagesPerStep images.
  /// \p label names the pass, e.g. "epoch 3/150 train".
  void start(llvm::StringRef label, uint64_t totalSteps,
             uint64_t imagesPerStep);
  /// Reports that \p stepsDone batches are finished; cheap when nothing is
  /// due to be printed.
  void update(uint64_t stepsDone);
  /// Ends the pass; on a terminal the bar line is erased so the caller's
  /// next line starts clean.
  void finish();

  uint64_t redrawIntervalMs = 100; // Bar style: at most 10 redraws/s.
  uint64_t lineIntervalMs = 30000; // Lines style: at most one line per 30 s.

  /// The text shown for the current state (without '\r'); for tests.
  std::string render(uint64_t stepsDone, uint64_t nowMs) const;

private:
  llvm::raw_ostream &os;
  Style style;
  Clock clock;
  unsigned columns;
  std::string label;
  uint64_t total = 0, imagesPerStep = 0;
  uint64_t startMs = 0, lastPrintMs = 0;
  bool active = false, drawn = false;
};

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_PROGRESS_H
