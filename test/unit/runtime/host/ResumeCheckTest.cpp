//===- ResumeCheckTest.cpp - Which checkpoints may continue a run ---------===//
//
// checkResumable on loop states a checkpoint file can hold but no run
// reaches: the regressions of what intc-fuzz-checkpoint found (each of these
// states used to be accepted, and the resumed run went on from numbers no
// training produced; test/fuzz/reproducers/checkpoint). The training loop's
// resume tests, on real runs, are in TrainerTest.
//
//===----------------------------------------------------------------------===//

#include "runtime/host/ResumeCheck.h"

#include "TestUtil.h"

#include "runtime/c/intc_schedule.h"

#include "gtest/gtest.h"

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

/// A run of 16 training and 8 test images in batches of 4 (4 batches per
/// epoch), lr_inv 512, plateau factor 3 with patience 1 from epoch 1, early
/// stopping with patience 2 from epoch 1.
struct Scenario {
  static constexpr uint32_t kBatchesPerEpoch = 4;
  LoopState fresh;
  RunContext context;
  TrainData data;
  /// The checkpoint after 2 evaluated epochs: epoch 1 is the best (5 of 8
  /// correct), epoch 2 did not improve, so the plateau rule cut lr_inv to
  /// 1536 and early stopping counts 1.
  LoadedCheckpoint saved;

  Scenario() {
    fresh.seed = 7;
    intc_schedule_init(&fresh.schedule, 512);
    fresh.schedule.plateau.patience = 1;
    fresh.schedule.plateau.from_epoch = 1;
    fresh.schedule.early_stop.patience = 2;
    fresh.schedule.early_stop.from_epoch = 1;
    context = {"m", "cpu", "data", 4, 16, 8, 100, {3}, {9}, {}};
    data.datasetName = "data";
    data.mean = {3};
    data.mad = {9};

    LoopState &loop = saved.loop;
    loop = fresh;
    loop.epochsDone = 2;
    loop.step = 8;
    loop.bestEpoch = 1;
    loop.bestTestCorrect = 5;
    loop.bestTestSeen = 8;
    loop.trainCorrectAtBest = 10;
    loop.trainSeenAtBest = 16;
    loop.schedule.lr_inv = 1536;
    for (intc_monitor *m :
         {&loop.schedule.early_stop, &loop.schedule.plateau}) {
      m->epoch_count = 2;
      m->best_correct = 5;
    }
    loop.schedule.early_stop.counter = 1;
    loop.schedule.plateau.counter = 0;
    saved.context = context;
  }

  Error check() const {
    return checkResumable("ckpt", saved, fresh, context, data,
                          kBatchesPerEpoch);
  }
};

TEST(ResumeCheck, TheBaseStateResumes) {
  Scenario run;
  ASSERT_NO_ERROR(run.check());
  // Two reductions fit in two epochs; the stopped run is consistent too.
  run.saved.loop.schedule.lr_inv = 512 * 9;
  ASSERT_NO_ERROR(run.check());
  run.saved.loop.schedule.early_stop.counter = 2;
  run.saved.loop.schedule.plateau.epoch_count = 1;
  run.saved.loop.earlyStopped = true;
  ASSERT_NO_ERROR(run.check());
}

// reproducers/checkpoint/lr-inv-unreachable.safetensors: lr_inv 511.
TEST(ResumeCheck, LrInvThePlateauRuleCannotGiveIsAnError) {
  Scenario run;
  run.saved.loop.schedule.lr_inv = 511;
  EXPECT_THAT(errorMessage(run.check()),
              HasSubstr("has lr_inv 511, which the model's lr_inv 512 and "
                        "plateau factor 3 do not give after 2 epochs"));
  run.saved.loop.schedule.lr_inv = 512 * 27; // Three reductions.
  EXPECT_THAT(errorMessage(run.check()), HasSubstr("has lr_inv 13824"));
}

// reproducers/checkpoint/best-counts-without-best-epoch.safetensors.
TEST(ResumeCheck, BestEpochCountsNoEvaluationGivesAreAnError) {
  auto expectRefused = [](auto change) {
    Scenario run;
    change(run.saved.loop);
    EXPECT_THAT(errorMessage(run.check()),
                HasSubstr("has an inconsistent best epoch"));
  };
  expectRefused([](LoopState &l) { l.bestEpoch = 0; }); // Counts, no epoch.
  expectRefused([](LoopState &l) { l.bestEpoch = 3; }); // After the last.
  expectRefused([](LoopState &l) { l.bestTestCorrect = 9; });
  expectRefused([](LoopState &l) { l.bestTestSeen = 7; });
  expectRefused([](LoopState &l) { l.trainCorrectAtBest = 17; });
  expectRefused([](LoopState &l) { l.trainSeenAtBest = 12; });
}

// reproducers/checkpoint/schedule-epoch-count.safetensors.
TEST(ResumeCheck, ScheduleFedOtherEpochsIsAnError) {
  Scenario run;
  run.saved.loop.schedule.plateau.epoch_count = 1;
  EXPECT_THAT(errorMessage(run.check()),
              HasSubstr("has an inconsistent plateau state (epoch count 1"));
}

// reproducers/checkpoint/epoch-train-correct.safetensors.
TEST(ResumeCheck, MoreCorrectTrainingImagesThanSeenIsAnError) {
  Scenario run;
  run.saved.loop.epochBatchesDone = 1;
  run.saved.loop.step = 9;
  run.saved.loop.epochTrainCorrect = 4;
  ASSERT_NO_ERROR(run.check());
  run.saved.loop.epochTrainCorrect = 5;
  EXPECT_THAT(errorMessage(run.check()),
              HasSubstr("has an inconsistent position (epoch 2, batch 1, "
                        "step 9, 5 training images correct)"));
}

// reproducers/checkpoint/early-stopped-flag.safetensors.
TEST(ResumeCheck, EarlyStoppedFlagThatDisagreesWithTheCounterIsAnError) {
  Scenario run;
  run.saved.loop.earlyStopped = true; // Counter 1 of 2: not stopped.
  run.saved.loop.schedule.plateau.epoch_count = 1;
  EXPECT_THAT(errorMessage(run.check()),
              HasSubstr("has an inconsistent early-stopping state"));
  Scenario notStopped;
  notStopped.saved.loop.schedule.early_stop.counter = 2; // Should have.
  EXPECT_THAT(errorMessage(notStopped.check()),
              HasSubstr("has an inconsistent early-stopping state"));
  // The plateau rule resets its counter on reaching patience.
  Scenario plateau;
  plateau.saved.loop.schedule.plateau.counter = 1;
  EXPECT_THAT(errorMessage(plateau.check()),
              HasSubstr("has an inconsistent plateau state"));
}

} // namespace
