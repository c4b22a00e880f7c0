//===- Metrics.cpp - Training-run reporting: JSON lines and text ----------===//

#include "runtime/host/Metrics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"

#include <cassert>

using namespace llvm;
using namespace intc::host;

//===----------------------------------------------------------------------===//
// Formatting
//===----------------------------------------------------------------------===//

/// "07" for 7 (llvm::format_decimal pads with spaces, not zeros).
static std::string twoDigits(uint64_t value) {
  return (value < 10 ? "0" : "") + std::to_string(value);
}

std::string intc::host::formatPercent(uint64_t correct, uint64_t total) {
  if (total == 0)
    return "n/a";
  assert(correct <= total && "more correct answers than questions");
  // Hundredths of a percent, rounded half up: floor((x·10⁴·2 + total) /
  // (2·total)). Exact for any count below 9·10¹⁴, far above any dataset.
  uint64_t hundredths = (correct * 20000 + total) / (2 * total);
  std::string out;
  raw_string_ostream os(out);
  os << hundredths / 100 << '.' << twoDigits(hundredths % 100);
  return out;
}

std::string intc::host::formatAccuracy(StringRef which, uint64_t correct,
                                       uint64_t total) {
  std::string percent = formatPercent(correct, total);
  return (which + " accuracy: " + percent + (total ? "%" : "")).str();
}

std::string intc::host::formatDuration(uint64_t ms) {
  uint64_t seconds = ms / 1000;
  std::string out;
  raw_string_ostream os(out);
  if (seconds >= 3600)
    os << seconds / 3600 << ':' << twoDigits(seconds / 60 % 60);
  else
    os << seconds / 60;
  os << ':' << twoDigits(seconds % 60);
  return out;
}

std::string intc::host::formatEpochLine(const EpochStats &stats) {
  std::string out;
  raw_string_ostream os(out);
  os << "epoch " << stats.epoch << '/' << stats.epochs << ": train "
     << formatPercent(stats.trainCorrect, stats.trainSeen) << "% ("
     << stats.trainCorrect << '/' << stats.trainSeen << ")";
  if (stats.testSeen)
    os << ", test " << formatPercent(stats.testCorrect, stats.testSeen) << "% ("
       << stats.testCorrect << '/' << stats.testSeen << ")";
  if (stats.testSeenAll && stats.testSeenAll != stats.testSeen)
    os << ", all " << formatPercent(stats.testCorrectAll, stats.testSeenAll)
       << "% (" << stats.testCorrectAll << '/' << stats.testSeenAll << ")";
  if (stats.testSeen && !stats.headTestCorrect.empty()) {
    os << ", heads ";
    llvm::interleave(
        stats.headTestCorrect, os,
        [&](uint64_t correct) { os << formatPercent(correct, stats.testSeen); },
        "/");
    os << '%';
  }
  os << ", lr_inv " << stats.lrInv << ", " << formatDuration(stats.epochMs);
  return out;
}

void intc::host::printSummary(raw_ostream &os, const RunSummary &s) {
  os << "summary: " << s.dataset << " on " << s.target << ", seed " << s.seed
     << '\n';
  os << "epochs: " << s.epochsRun << " of " << s.epochs << " (" << s.stopReason
     << ")";
  if (s.bestEpoch)
    os << ", best test accuracy at epoch " << s.bestEpoch;
  os << '\n';
  os << formatAccuracy("train", s.trainCorrectAtBest, s.trainSeenAtBest)
     << '\n';
  os << formatAccuracy("test", s.bestTestCorrect, s.testSeen) << '\n';
  if (s.bestEpoch)
    os << formatAccuracy("best test", s.bestTestCorrect, s.testSeen)
       << " (epoch " << s.bestEpoch << ", " << s.testSeen << " images)\n";
  if (s.finalTestSeen)
    os << formatAccuracy("final test", s.finalTestCorrect, s.finalTestSeen)
       << " (" << s.finalTestSeen << " images)\n";
  os << "correct: train " << s.trainCorrectAtBest << '/' << s.trainSeenAtBest
     << ", test " << s.bestTestCorrect << '/' << s.testSeen << '\n';
  os << "time: " << formatDuration(s.elapsedMs) << ", final lr_inv "
     << s.finalLrInv << '\n';
  if (s.trainMs || s.testMs)
    os << "throughput: " << s.imagesPerSec << " img/s (train "
       << formatDuration(s.trainMs) << ", test " << formatDuration(s.testMs)
       << ", " << s.steps << " steps)\n";
}

void intc::host::printEvalSummary(raw_ostream &os, const EvalStats &s) {
  os << "eval: " << s.dataset << '\n';
  os << formatAccuracy("test", s.testCorrect, s.testSeen) << '\n';
  os << "correct: test " << s.testCorrect << '/' << s.testSeen << '\n';
  if (s.testSeenRef)
    os << "first " << s.testSeenRef << " images (the reference's measure): "
       << formatPercent(s.testCorrectRef, s.testSeenRef) << "% ("
       << s.testCorrectRef << '/' << s.testSeenRef << ")\n";
  for (auto [block, correct] : llvm::enumerate(s.headTestCorrectRef))
    os << "head of block " << block << ": "
       << formatPercent(correct, s.testSeenRef) << "% (" << correct << '/'
       << s.testSeenRef << ")\n";
  os << "time: " << formatDuration(s.elapsedMs) << '\n';
}

//===----------------------------------------------------------------------===//
// JSON-lines log
//===----------------------------------------------------------------------===//

Expected<std::unique_ptr<MetricsLog>> MetricsLog::create(StringRef path,
                                                         bool append) {
  std::unique_ptr<MetricsLog> log(new MetricsLog());
  if (Error err = log->addFile(path, append))
    return std::move(err);
  return std::move(log);
}

Error MetricsLog::addFile(StringRef path, bool append) {
  if (path == "-") {
    outputs.push_back({path.str(), nullptr, &outs()});
    return Error::success();
  }
  std::error_code ec;
  auto file = std::make_unique<raw_fd_ostream>(
      path, ec,
      append ? sys::fs::OF_Append | sys::fs::OF_Text : sys::fs::OF_Text);
  if (ec) {
    file->clear_error();
    return createFileError(path, ec);
  }
  raw_ostream *os = file.get();
  outputs.push_back({path.str(), std::move(file), os});
  return Error::success();
}

MetricsLog::~MetricsLog() { consumeError(close()); }

Error MetricsLog::close() {
  Error first = Error::success();
  for (Output &out : outputs) {
    out.os->flush();
    if (!out.file || !out.file->has_error())
      continue;
    std::error_code ec = out.file->error();
    // Report the error once; raw_fd_ostream would abort on an unchecked one.
    out.file->clear_error();
    if (!first)
      first = createFileError(out.path, ec);
  }
  return first;
}

void MetricsLog::emit(StringRef event,
                      function_ref<void(json::OStream &)> fields) {
  // json::OStream keeps the attribute order, so "event" always comes first.
  std::string line;
  raw_string_ostream text(line);
  {
    json::OStream json(text);
    json.object([&] {
      json.attribute("event", event);
      fields(json);
    });
  }
  text << '\n';
  // The same line to every file, flushed: a crashed run's log is complete.
  for (Output &out : outputs) {
    *out.os << line;
    out.os->flush();
  }
}

/// `"key":[c0,c1,...]`, left out when \p counts is empty (no heads).
static void countsAttribute(json::OStream &json, StringRef key,
                            const std::vector<uint64_t> &counts) {
  if (counts.empty())
    return;
  json.attributeArray(key, [&] {
    for (uint64_t c : counts)
      json.value(c);
  });
}

void MetricsLog::start(const RunInfo &info) {
  emit("start", [&](json::OStream &json) {
    json.attribute("schema", 1);
    json.attribute("command", info.command);
    json.attribute("model", info.model);
    json.attribute("dataset", info.dataset);
    json.attribute("target", info.target);
    json.attribute("seed", info.seed);
    json.attribute("epochs", info.epochs);
    json.attribute("batch_size", info.batchSize);
    json.attribute("train_images", info.trainImages);
    json.attribute("test_images", info.testImages);
    json.attribute("lr_inv", info.lrInv);
    if (info.resumed) {
      json.attribute("resumed_after_epoch", info.resumedAfterEpoch);
      json.attribute("resumed_at_step", info.resumedAtStep);
    }
  });
}

void MetricsLog::epoch(const EpochStats &stats) {
  emit("epoch", [&](json::OStream &json) {
    json.attribute("epoch", stats.epoch);
    json.attribute("epochs", stats.epochs);
    json.attribute("train_correct", stats.trainCorrect);
    json.attribute("train_seen", stats.trainSeen);
    json.attribute("test_correct", stats.testCorrect);
    json.attribute("test_seen", stats.testSeen);
    json.attribute("lr_inv", stats.lrInv);
    json.attribute("best_epoch", stats.bestEpoch);
    json.attribute("epoch_ms", stats.epochMs);
    json.attribute("elapsed_ms", stats.elapsedMs);
    json.attribute("test_correct_all", stats.testCorrectAll);
    json.attribute("test_seen_all", stats.testSeenAll);
    json.attribute("step", stats.step);
    json.attribute("train_ms", stats.trainMs);
    json.attribute("test_ms", stats.testMs);
    json.attribute("images_per_s", stats.imagesPerSec);
    countsAttribute(json, "head_test_correct", stats.headTestCorrect);
  });
}

void MetricsLog::lrChange(unsigned epoch, int64_t oldLrInv, int64_t newLrInv) {
  emit("lr_change", [&](json::OStream &json) {
    json.attribute("epoch", epoch);
    json.attribute("old_lr_inv", oldLrInv);
    json.attribute("new_lr_inv", newLrInv);
  });
}

void MetricsLog::eval(const EvalStats &stats) {
  emit("eval", [&](json::OStream &json) {
    json.attribute("dataset", stats.dataset);
    json.attribute("test_correct", stats.testCorrect);
    json.attribute("test_seen", stats.testSeen);
    json.attribute("elapsed_ms", stats.elapsedMs);
    json.attribute("test_correct_ref", stats.testCorrectRef);
    json.attribute("test_seen_ref", stats.testSeenRef);
    countsAttribute(json, "head_test_correct_ref", stats.headTestCorrectRef);
  });
}

/// The fields of the "summary" event, after "event".
static void summaryFields(json::OStream &json, const RunSummary &s) {
  json.attribute("epochs_run", s.epochsRun);
  json.attribute("epochs", s.epochs);
  json.attribute("stop_reason", s.stopReason);
  json.attribute("best_epoch", s.bestEpoch);
  json.attribute("best_test_correct", s.bestTestCorrect);
  json.attribute("test_seen", s.testSeen);
  json.attribute("train_correct_at_best", s.trainCorrectAtBest);
  json.attribute("train_seen_at_best", s.trainSeenAtBest);
  json.attribute("final_lr_inv", s.finalLrInv);
  json.attribute("elapsed_ms", s.elapsedMs);
  json.attribute("model", s.model);
  json.attribute("dataset", s.dataset);
  json.attribute("target", s.target);
  json.attribute("seed", s.seed);
  json.attribute("final_test_correct", s.finalTestCorrect);
  json.attribute("final_test_seen", s.finalTestSeen);
  json.attribute("steps", s.steps);
  json.attribute("train_ms", s.trainMs);
  json.attribute("test_ms", s.testMs);
  json.attribute("images_per_s", s.imagesPerSec);
}

void MetricsLog::summary(const RunSummary &s) {
  emit("summary", [&](json::OStream &json) { summaryFields(json, s); });
}

void intc::host::writeSummaryJson(raw_ostream &os, const RunSummary &s) {
  json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    json.attribute("event", "summary");
    summaryFields(json, s);
  });
  os << '\n';
}
