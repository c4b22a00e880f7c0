//===- Progress.cpp - Progress display for the training loop --------------===//

#include "runtime/host/Progress.h"

#include "runtime/host/Metrics.h"

#include "llvm/Support/Process.h"

#include <algorithm>
#include <chrono>

using namespace llvm;
using namespace intc::host;

/// Characters between the brackets of the bar.
static constexpr unsigned kBarWidth = 24;

ProgressBar::Style ProgressBar::styleForStderr() {
  return sys::Process::StandardErrIsDisplayed() ? Style::Bar : Style::Lines;
}

uint64_t ProgressBar::steadyClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

ProgressBar::ProgressBar(raw_ostream &os, Style style, Clock clock,
                         unsigned columns)
    : os(os), style(style), clock(std::move(clock)), columns(columns) {
  if (this->columns == 0 && style == Style::Bar)
    this->columns = sys::Process::StandardErrColumns();
  if (this->columns == 0)
    this->columns = 80;
}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::start(StringRef newLabel, uint64_t totalSteps,
                        uint64_t images) {
  finish();
  label = newLabel.str();
  total = totalSteps;
  imagesPerStep = images;
  startMs = lastPrintMs = clock();
  active = true;
}

std::string ProgressBar::render(uint64_t done, uint64_t nowMs) const {
  uint64_t elapsed = nowMs - startMs;
  // Integer rates: images per second, and the remaining time scaled from the
  // time taken so far.
  uint64_t rate = elapsed ? done * imagesPerStep * 1000 / elapsed : 0;
  std::string out;
  raw_string_ostream line(out);
  line << label;
  if (style == Style::Bar) {
    unsigned filled =
        total ? unsigned(std::min(done, total) * kBarWidth / total) : 0;
    line << " [" << std::string(filled, '=')
         << std::string(kBarWidth - filled, ' ') << "] ";
  } else {
    line << ": batch ";
  }
  line << done << '/' << total << ", " << rate << " img/s, "
       << formatDuration(elapsed);
  if (done && done < total)
    line << ", eta " << formatDuration(elapsed * (total - done) / done);
  return out;
}

void ProgressBar::update(uint64_t done) {
  if (!active || style == Style::Off)
    return;
  uint64_t now = clock();
  uint64_t interval = style == Style::Bar ? redrawIntervalMs : lineIntervalMs;
  if (now - lastPrintMs < interval)
    return;
  lastPrintMs = now;
  std::string text = render(done, now);
  if (style == Style::Bar) {
    // Never wrap: a wrapped line cannot be redrawn in place with '\r'.
    if (text.size() >= columns)
      text.resize(columns - 1);
    os << '\r' << text << "\x1b[K";
    drawn = true;
  } else {
    os << text << '\n';
  }
  os.flush();
}

void ProgressBar::finish() {
  if (!active)
    return;
  active = false;
  if (drawn) {
    os << "\r\x1b[K";
    os.flush();
  }
  drawn = false;
}
