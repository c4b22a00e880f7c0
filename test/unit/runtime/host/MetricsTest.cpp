//===- MetricsTest.cpp - Percentages, JSON lines, summary, progress -------===//

#include "runtime/host/Metrics.h"
#include "runtime/host/Progress.h"
#include "runtime/host/RunMetrics.h"

#include "TestUtil.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Regex.h"

#include "gtest/gtest.h"

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

TEST(Metrics, FormatPercentRoundsHalfUp) {
  EXPECT_EQ(formatPercent(9736, 10000), "97.36");
  EXPECT_EQ(formatPercent(1, 3), "33.33");
  EXPECT_EQ(formatPercent(2, 3), "66.67");
  EXPECT_EQ(formatPercent(1, 8), "12.50");
  EXPECT_EQ(formatPercent(1, 20000), "0.01");       // 0.005 rounds up.
  EXPECT_EQ(formatPercent(1, 20001), "0.00");       // Just below half.
  EXPECT_EQ(formatPercent(19999, 20000), "100.00"); // 99.995 rounds up.
  EXPECT_EQ(formatPercent(9983, 9984), "99.99");
  EXPECT_EQ(formatPercent(9830, 9984), "98.46");
  EXPECT_EQ(formatPercent(0, 9984), "0.00");
  EXPECT_EQ(formatPercent(9984, 9984), "100.00");
  EXPECT_EQ(formatPercent(0, 0), "n/a");
}

TEST(Metrics, FormatPercentMatchesExactRationalRounding) {
  // Compare with round-half-up of the exact fraction for many pairs.
  for (uint64_t total : {1u, 3u, 7u, 64u, 9984u, 10000u, 59968u})
    for (uint64_t correct = 0; correct <= total; correct += 1 + total / 97) {
      uint64_t scaled = correct * 10000; // hundredths of a percent, times total
      uint64_t q = scaled / total, r = scaled % total;
      uint64_t rounded = q + (2 * r >= total ? 1 : 0);
      std::string want = std::to_string(rounded / 100) + "." +
                         (rounded % 100 < 10 ? "0" : "") +
                         std::to_string(rounded % 100);
      EXPECT_EQ(formatPercent(correct, total), want) << correct << "/" << total;
    }
}

TEST(Metrics, AccuracyLineIsExact) {
  EXPECT_EQ(formatAccuracy("test", 9736, 10000), "test accuracy: 97.36%");
  EXPECT_EQ(formatAccuracy("train", 1, 3), "train accuracy: 33.33%");
}

TEST(Metrics, FormatDuration) {
  EXPECT_EQ(formatDuration(0), "0:00");
  EXPECT_EQ(formatDuration(7999), "0:07");
  EXPECT_EQ(formatDuration(725000), "12:05");
  EXPECT_EQ(formatDuration(3723000), "1:02:03");
  EXPECT_EQ(formatDuration(100 * 3600000ull), "100:00:00");
}

TEST(Metrics, EpochLineDoesNotLookLikeTheFinalAccuracy) {
  EpochStats stats;
  stats.epoch = 3;
  stats.epochs = 150;
  stats.trainCorrect = 58000;
  stats.trainSeen = 59968;
  stats.testCorrect = 9700;
  stats.testSeen = 9984;
  stats.lrInv = 512;
  stats.epochMs = 12345;
  EXPECT_EQ(formatEpochLine(stats),
            "epoch 3/150: train 96.72% (58000/59968), test 97.16% "
            "(9700/9984), lr_inv 512, 0:12");
  EXPECT_THAT(formatEpochLine(stats),
              ::testing::Not(HasSubstr("test accuracy:")));
}

TEST(Metrics, EpochLineAllImagesAndNoTest) {
  EpochStats stats;
  stats.epoch = 1;
  stats.epochs = 2;
  stats.trainCorrect = 50;
  stats.trainSeen = 64;
  stats.testCorrect = 9700;
  stats.testSeen = 9984;
  stats.testCorrectAll = 9712;
  stats.testSeenAll = 10000;
  stats.lrInv = 512;
  EXPECT_EQ(formatEpochLine(stats),
            "epoch 1/2: train 78.13% (50/64), test 97.16% (9700/9984), all "
            "97.12% (9712/10000), lr_inv 512, 0:00");
  stats.testSeen = stats.testSeenAll = 0; // noEval
  EXPECT_EQ(formatEpochLine(stats),
            "epoch 1/2: train 78.13% (50/64), lr_inv 512, 0:00");
}

TEST(Metrics, EpochLineWithHeads) {
  EpochStats stats;
  stats.epoch = 2;
  stats.epochs = 2;
  stats.trainCorrect = 50;
  stats.trainSeen = 64;
  stats.testCorrect = 9700;
  stats.testSeen = 9984;
  stats.headTestCorrect = {9301, 9655};
  stats.lrInv = 512;
  EXPECT_EQ(formatEpochLine(stats),
            "epoch 2/2: train 78.13% (50/64), test 97.16% (9700/9984), heads "
            "93.16/96.70%, lr_inv 512, 0:00");
}

RunSummary sampleSummary() {
  RunSummary s;
  s.dataset = "mnist";
  s.target = "cpu";
  s.seed = 42;
  s.epochsRun = 87;
  s.epochs = 150;
  s.stopReason = "early_stop";
  s.bestEpoch = 62;
  s.bestTestCorrect = 9830;
  s.testSeen = 9984;
  s.trainCorrectAtBest = 59440;
  s.trainSeenAtBest = 59968;
  s.finalLrInv = 1536;
  s.elapsedMs = 5025000;
  return s;
}

/// The lines of \p text matching \p pattern.
std::vector<std::string> grep(llvm::StringRef text, llvm::StringRef pattern) {
  llvm::Regex regex(pattern);
  llvm::SmallVector<llvm::StringRef> lines;
  text.split(lines, '\n');
  std::vector<std::string> out;
  for (llvm::StringRef line : lines)
    if (regex.match(line))
      out.push_back(line.str());
  return out;
}

TEST(Metrics, SummaryHasExactlyOneGreppableTestAccuracy) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printSummary(os, sampleSummary());
  EXPECT_EQ(grep(text, "^test accuracy: [0-9]+\\.[0-9][0-9]%$"),
            std::vector<std::string>{"test accuracy: 98.46%"});
  EXPECT_EQ(grep(text, "^train accuracy: [0-9]+\\.[0-9][0-9]%$"),
            std::vector<std::string>{"train accuracy: 99.12%"});
  EXPECT_THAT(text, HasSubstr("epochs: 87 of 150 (early_stop), best test "
                              "accuracy at epoch 62"));
  EXPECT_THAT(text, HasSubstr("correct: train 59440/59968, test 9830/9984"));
  EXPECT_THAT(text, HasSubstr("time: 1:23:45"));

  std::string evalText;
  llvm::raw_string_ostream evalOs(evalText);
  printEvalSummary(evalOs, {"mnist", 9830, 9984, 900, 0, 0, {}});
  EXPECT_EQ(grep(evalText, "^test accuracy: [0-9]+\\.[0-9][0-9]%$"),
            std::vector<std::string>{"test accuracy: 98.46%"});
}

TEST(Metrics, SummaryBestAndFinalLines) {
  RunSummary s = sampleSummary();
  s.finalTestCorrect = 9822;
  s.finalTestSeen = 10000;
  s.trainMs = 4900000;
  s.testMs = 100000;
  s.imagesPerSec = 1065;
  s.steps = 81519;
  std::string text;
  llvm::raw_string_ostream os(text);
  printSummary(os, s);
  EXPECT_EQ(grep(text, "^test accuracy: "),
            std::vector<std::string>{"test accuracy: 98.46%"});
  EXPECT_THAT(text, HasSubstr("\nbest test accuracy: 98.46% (epoch 62, 9984 "
                              "images)\n"));
  EXPECT_THAT(text,
              HasSubstr("\nfinal test accuracy: 98.22% (10000 images)\n"));
  EXPECT_THAT(text, HasSubstr("throughput: 1065 img/s (train 1:21:40, test "
                              "1:40, 81519 steps)"));

  std::string json;
  llvm::raw_string_ostream jsonOs(json);
  writeSummaryJson(jsonOs, s);
  llvm::Expected<llvm::json::Value> value = llvm::json::parse(json);
  ASSERT_EXPECTED(value);
  const llvm::json::Object &object = *value->getAsObject();
  EXPECT_EQ(object.getString("event"), "summary");
  EXPECT_EQ(object.getInteger("final_test_correct"), 9822);
  EXPECT_EQ(object.getInteger("images_per_s"), 1065);
  EXPECT_EQ(object.getString("dataset"), "mnist");
}

/// Parses JSON lines; every value must be an integer or a string.
std::vector<llvm::json::Object> parseLines(llvm::StringRef text) {
  std::vector<llvm::json::Object> out;
  llvm::SmallVector<llvm::StringRef> lines;
  text.split(lines, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef line : lines) {
    EXPECT_TRUE(line.starts_with("{\"event\":")) << line.str();
    llvm::Expected<llvm::json::Value> value = llvm::json::parse(line);
    if (!value) {
      ADD_FAILURE() << llvm::toString(value.takeError());
      continue;
    }
    for (const auto &[key, field] : *value->getAsObject()) {
      if (field.getAsString())
        continue;
      if (const llvm::json::Array *list = field.getAsArray()) {
        for (const llvm::json::Value &element : *list)
          EXPECT_TRUE(element.getAsInteger())
              << key.str() << " in " << line.str();
        continue;
      }
      std::string number;
      llvm::raw_string_ostream(number) << field;
      EXPECT_TRUE(field.getAsInteger() &&
                  number.find_first_not_of("-0123456789") == std::string::npos)
          << key.str() << " in " << line.str();
    }
    out.push_back(std::move(*value->getAsObject()));
  }
  return out;
}

TEST(Metrics, JsonLinesSchema) {
  std::string text;
  llvm::raw_string_ostream os(text);
  {
    MetricsLog log(os);
    RunInfo info;
    info.model = "examples/mlp.mlir";
    info.dataset = "mnist";
    info.target = "cpu";
    info.seed = 42;
    info.epochs = 150;
    info.batchSize = 64;
    info.trainImages = 60000;
    info.testImages = 10000;
    info.lrInv = 512;
    log.start(info);
    EpochStats epoch;
    epoch.epoch = 1;
    epoch.epochs = 150;
    epoch.trainCorrect = 55000;
    epoch.trainSeen = 59968;
    epoch.testCorrect = 9500;
    epoch.testSeen = 9984;
    epoch.lrInv = 512;
    epoch.bestEpoch = 1;
    epoch.epochMs = 12000;
    epoch.elapsedMs = 12500;
    log.epoch(epoch);
    log.lrChange(40, 512, 1536);
    log.eval({"mnist", 9830, 9984, 900, 0, 0, {}});
    log.summary(sampleSummary());
    ASSERT_NO_ERROR(log.close());
  }
  std::vector<llvm::json::Object> events = parseLines(text);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].getString("event"), "start");
  EXPECT_EQ(events[0].getInteger("schema"), 1);
  EXPECT_EQ(events[0].getString("dataset"), "mnist");
  EXPECT_EQ(events[0].getInteger("batch_size"), 64);
  EXPECT_EQ(events[1].getString("event"), "epoch");
  EXPECT_EQ(events[1].getInteger("train_correct"), 55000);
  EXPECT_EQ(events[1].getInteger("test_seen"), 9984);
  EXPECT_EQ(events[1].getInteger("epoch_ms"), 12000);
  EXPECT_EQ(events[2].getString("event"), "lr_change");
  EXPECT_EQ(events[2].getInteger("new_lr_inv"), 1536);
  EXPECT_EQ(events[3].getString("event"), "eval");
  EXPECT_EQ(events[3].getInteger("test_correct"), 9830);
  EXPECT_EQ(events[4].getString("event"), "summary");
  EXPECT_EQ(events[4].getString("stop_reason"), "early_stop");
  EXPECT_EQ(events[4].getInteger("best_epoch"), 62);
  EXPECT_EQ(events[4].getInteger("train_seen_at_best"), 59968);
}

TEST(Metrics, JsonLinesHeadCountsAndResume) {
  std::string text;
  llvm::raw_string_ostream os(text);
  {
    MetricsLog log(os);
    RunInfo info;
    info.dataset = "mnist";
    log.start(info);
    info.resumed = true;
    info.resumedAfterEpoch = 40;
    info.resumedAtStep = 37480;
    log.start(info);
    EpochStats epoch;
    epoch.epoch = 41;
    epoch.testSeen = 9984;
    log.epoch(epoch); // No heads measured: no key.
    epoch.headTestCorrect = {9301, 9655, 0};
    log.epoch(epoch);
    EvalStats eval;
    eval.testSeenRef = 9984;
    eval.headTestCorrectRef = {9000, 9100};
    log.eval(eval);
    ASSERT_NO_ERROR(log.close());
  }
  std::vector<llvm::json::Object> events = parseLines(text);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_FALSE(events[0].get("resumed_after_epoch"));
  EXPECT_FALSE(events[0].get("resumed_at_step"));
  EXPECT_EQ(events[1].getInteger("resumed_after_epoch"), 40);
  EXPECT_EQ(events[1].getInteger("resumed_at_step"), 37480);
  EXPECT_FALSE(events[2].get("head_test_correct"));
  const llvm::json::Array *heads = events[3].getArray("head_test_correct");
  ASSERT_TRUE(heads);
  ASSERT_EQ(heads->size(), 3u);
  EXPECT_EQ((*heads)[0].getAsInteger(), 9301);
  EXPECT_EQ((*heads)[1].getAsInteger(), 9655);
  EXPECT_EQ((*heads)[2].getAsInteger(), 0);
  // The last field, so that the fields before it stay where they were.
  EXPECT_THAT(text, HasSubstr("\"head_test_correct\":[9301,9655,0]}\n"));
  const llvm::json::Array *ref = events[4].getArray("head_test_correct_ref");
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->size(), 2u);
}

TEST(Metrics, EvalSummaryHeadLinesAreNotTestAccuracyLines) {
  std::string text;
  llvm::raw_string_ostream os(text);
  EvalStats stats;
  stats.dataset = "mnist";
  stats.testCorrect = 9830;
  stats.testSeen = 10000;
  stats.testCorrectRef = 9820;
  stats.testSeenRef = 9984;
  stats.headTestCorrectRef = {9301, 9655};
  printEvalSummary(os, stats);
  EXPECT_THAT(text, HasSubstr("head of block 0: 93.16% (9301/9984)\n"));
  EXPECT_THAT(text, HasSubstr("head of block 1: 96.70% (9655/9984)\n"));
  EXPECT_EQ(grep(text, "test accuracy:").size(), 1u) << text;
}

TEST(Metrics, JsonLinesFile) {
  TempDir dir;
  std::string path = dir.file("metrics.jsonl");
  llvm::Expected<std::unique_ptr<MetricsLog>> log = MetricsLog::create(path);
  ASSERT_EXPECTED(log);
  (*log)->lrChange(2, 8, 24);
  // Each event is flushed as it is written.
  std::vector<uint8_t> bytes = readFile(path);
  EXPECT_EQ(std::string(bytes.begin(), bytes.end()),
            "{\"event\":\"lr_change\",\"epoch\":2,\"old_lr_inv\":8,"
            "\"new_lr_inv\":24}\n");
  ASSERT_NO_ERROR((*log)->close());

  std::string bad = dir.file("no/such/dir/metrics.jsonl");
  std::string msg = errorMessage(MetricsLog::create(bad));
  EXPECT_THAT(msg, HasSubstr(bad));
}

/// The events of a JSON-lines file.
std::vector<std::string> eventsOf(const std::string &path) {
  std::vector<uint8_t> bytes = readFile(path);
  std::vector<std::string> events;
  for (const llvm::json::Object &object : parseLines(llvm::StringRef(
           reinterpret_cast<const char *>(bytes.data()), bytes.size())))
    events.push_back(object.getString("event")->str());
  return events;
}

TEST(Metrics, JsonLinesAppendAndSeveralFiles) {
  TempDir dir;
  std::string a = dir.file("a.jsonl"), b = dir.file("b.jsonl");
  {
    auto log = MetricsLog::create(a);
    ASSERT_EXPECTED(log);
    (*log)->start({});
  }
  {
    auto log = MetricsLog::create(a, /*append=*/true);
    ASSERT_EXPECTED(log);
    (*log)->lrChange(1, 2, 6);
    ASSERT_NO_ERROR((*log)->addFile(b));
    (*log)->summary({});
    ASSERT_NO_ERROR((*log)->close());
  }
  EXPECT_EQ(eventsOf(a),
            (std::vector<std::string>{"start", "lr_change", "summary"}));
  EXPECT_EQ(eventsOf(b), (std::vector<std::string>{"summary"}));
  {
    auto log = MetricsLog::create(a); // Truncates.
    ASSERT_EXPECTED(log);
    (*log)->summary({});
  }
  EXPECT_EQ(eventsOf(a), (std::vector<std::string>{"summary"}));
}

TEST(RunMetrics, HistoryAndCopy) {
  TempDir dir;
  std::string history = dir.file("metrics.jsonl"),
              copy = dir.file("copy.jsonl"),
              checkpoint = dir.file("model.safetensors");
  // Nothing asked for: no log.
  auto none = openRunMetrics({});
  ASSERT_EXPECTED(none);
  EXPECT_FALSE(*none);
  // A fresh run: the history and the copy both get its events.
  {
    auto log = openRunMetrics({history, false, copy, {checkpoint}});
    ASSERT_EXPECTED(log);
    (*log)->start({});
    (*log)->summary({});
  }
  // A resume appends to the history; the copy has this invocation only.
  {
    auto log = openRunMetrics({history, true, copy, {checkpoint}});
    ASSERT_EXPECTED(log);
    (*log)->start({});
  }
  EXPECT_EQ(eventsOf(history),
            (std::vector<std::string>{"start", "summary", "start"}));
  EXPECT_EQ(eventsOf(copy), (std::vector<std::string>{"start"}));
  // -metrics naming the history (spelled differently) writes it once.
  {
    auto log = openRunMetrics(
        {history, true, dir.file("./metrics.jsonl"), {checkpoint}});
    ASSERT_EXPECTED(log);
    (*log)->summary({});
  }
  EXPECT_EQ(eventsOf(history),
            (std::vector<std::string>{"start", "summary", "start", "summary"}));
  // -metrics naming another file of the run is refused, with its name.
  std::string msg =
      errorMessage(openRunMetrics({history, false, checkpoint, {checkpoint}}));
  EXPECT_THAT(msg, HasSubstr("-metrics names a file the run writes itself"));
  EXPECT_THAT(msg, HasSubstr(checkpoint));
}

/// A clock the test moves by hand.
struct FakeClock {
  uint64_t now = 1000;
  ProgressBar::Clock clock() {
    return [this] { return now; };
  }
};

TEST(Progress, LinesModePrintsOccasionallyWithoutCarriageReturns) {
  std::string text;
  llvm::raw_string_ostream os(text);
  FakeClock clock;
  ProgressBar bar(os, ProgressBar::Style::Lines, clock.clock());
  bar.lineIntervalMs = 10000;
  bar.start("epoch 1/2 train", 937, 64);
  for (uint64_t i = 1; i <= 100; ++i) {
    clock.now += 50;
    bar.update(i);
  }
  EXPECT_EQ(text, ""); // 5 s: not yet time for a line.
  clock.now += 5000;   // 10 s since start.
  bar.update(200);
  EXPECT_EQ(text, "epoch 1/2 train: batch 200/937, 1280 img/s, 0:10, "
                  "eta 0:36\n");
  clock.now += 100;
  bar.update(202);
  bar.finish();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  EXPECT_EQ(text.find('\r'), std::string::npos);
}

TEST(Progress, BarModeRedrawsInPlaceAndClearsAtTheEnd) {
  std::string text;
  llvm::raw_string_ostream os(text);
  FakeClock clock;
  ProgressBar bar(os, ProgressBar::Style::Bar, clock.clock(), 200);
  bar.start("train", 10, 64);
  clock.now += 1000;
  bar.update(5);
  EXPECT_EQ(text, "\rtrain [============            ] 5/10, 320 img/s, "
                  "0:01, eta 0:01\x1b[K");
  clock.now += 50; // Within the redraw interval: nothing.
  bar.update(6);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 1);
  clock.now += 1000;
  bar.update(10);
  bar.finish();
  EXPECT_TRUE(llvm::StringRef(text).ends_with("\r\x1b[K"));
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

TEST(Progress, BarNeverWraps) {
  std::string text;
  llvm::raw_string_ostream os(text);
  FakeClock clock;
  ProgressBar bar(os, ProgressBar::Style::Bar, clock.clock(), 30);
  bar.start("a very long label for a narrow terminal", 10, 64);
  clock.now += 1000;
  bar.update(5);
  // '\r' + 29 visible characters + the erase sequence.
  EXPECT_EQ(text.size(), 1u + 29u + 3u);
}

TEST(Progress, OffPrintsNothing) {
  std::string text;
  llvm::raw_string_ostream os(text);
  FakeClock clock;
  ProgressBar bar(os, ProgressBar::Style::Off, clock.clock());
  bar.start("train", 10, 64);
  clock.now += 100000;
  bar.update(5);
  bar.finish();
  EXPECT_EQ(text, "");
}

} // namespace
