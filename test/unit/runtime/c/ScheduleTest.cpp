//===- ScheduleTest.cpp - ALGORITHM.md §4.3, Q9 ---------------------------===//

#include "runtime/c/intc_schedule.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

// Runs the reference schedule on a per-epoch correct-count function; returns
// the stopping epoch (or max) and the epochs with an LR reduction.
template <typename Fn>
int run(Fn Correct, std::vector<int> &Reductions, int64_t &LrInv) {
  intc_schedule S;
  intc_schedule_init(&S, INTC_REFERENCE_LR_INV);
  for (int E = 1; E <= INTC_REFERENCE_MAX_EPOCHS; ++E) {
    const int32_t R =
        intc_schedule_epoch_end(&S, Correct(E), INTC_REFERENCE_N_EVAL);
    if (R & INTC_SCHEDULE_LR_REDUCED)
      Reductions.push_back(E);
    if (R & INTC_SCHEDULE_STOP) {
      LrInv = S.lr_inv;
      return E;
    }
  }
  LrInv = S.lr_inv;
  return INTC_REFERENCE_MAX_EPOCHS;
}

TEST(Schedule, ConstantAccuracyStopsAtEpoch65) {
  std::vector<int> Red;
  int64_t Lr;
  const int Stop = run([](int) { return 9700; }, Red, Lr);
  EXPECT_EQ(Stop, 65);
  // Plateau from epoch 10 (sets best), reductions every 15 epochs.
  EXPECT_EQ(Red, (std::vector<int>{25, 40, 55}));
  EXPECT_EQ(Lr, 512 * 27);
}

TEST(Schedule, OnePointEveryTwentyEpochs) {
  // +5 correct per epoch: +100 correct (>= 1 pp of 9984) every 20 epochs.
  // Early stopping (patience 35) is reset every 20 epochs and never fires;
  // the plateau rule (patience 15) fires 15 epochs after each improvement.
  std::vector<int> Red;
  int64_t Lr;
  const int Stop = run([](int E) { return 5000 + 5 * E; }, Red, Lr);
  EXPECT_EQ(Stop, 150);
  EXPECT_EQ(Red, (std::vector<int>{25, 45, 65, 85, 105, 125, 145}));
}

TEST(Schedule, ImprovementThresholdIsOnePercentagePoint) {
  intc_monitor M;
  intc_early_stop_init(&M);
  M.from_epoch = 1;
  M.patience = 100;
  EXPECT_EQ(intc_monitor_step(&M, 5000, 9984, nullptr), 0);
  EXPECT_EQ(M.best_correct, 5000);
  // 99 more correct is 0.99 pp: not an improvement.
  intc_monitor_step(&M, 5099, 9984, nullptr);
  EXPECT_EQ(M.best_correct, 5000);
  EXPECT_EQ(M.counter, 1);
  // 100 more is 1.0016 pp: improvement.
  intc_monitor_step(&M, 5100, 9984, nullptr);
  EXPECT_EQ(M.best_correct, 5100);
  EXPECT_EQ(M.counter, 0);
}

TEST(Schedule, ZeroAccuracyDoesNotSetBest) {
  // best starts at 0: an epoch must reach 1 % to count as an improvement.
  intc_monitor M;
  intc_plateau_init(&M);
  M.from_epoch = 1;
  int64_t Lr = 512;
  intc_monitor_step(&M, 99, 9984, &Lr);
  EXPECT_EQ(M.counter, 1);
  intc_monitor_step(&M, 100, 9984, &Lr);
  EXPECT_EQ(M.counter, 0);
  EXPECT_EQ(M.best_correct, 100);
}

TEST(Schedule, EarlyStopIsCheckedBeforePlateau) {
  // Make both fire on the same epoch: the plateau must not run.
  intc_schedule S;
  intc_schedule_init(&S, 512);
  S.early_stop.from_epoch = 1;
  S.early_stop.patience = 3;
  S.plateau.from_epoch = 1;
  S.plateau.patience = 3;
  EXPECT_EQ(intc_schedule_epoch_end(&S, 5000, 9984), 0);
  EXPECT_EQ(intc_schedule_epoch_end(&S, 5000, 9984), 0);
  EXPECT_EQ(intc_schedule_epoch_end(&S, 5000, 9984), 0);
  EXPECT_EQ(intc_schedule_epoch_end(&S, 5000, 9984), INTC_SCHEDULE_STOP);
  EXPECT_EQ(S.lr_inv, 512);
  EXPECT_EQ(S.plateau.counter, 2);
}

TEST(Schedule, ReductionsMultiplyByThree) {
  intc_schedule S;
  intc_schedule_init(&S, 512);
  S.early_stop.from_epoch = 1000; // never stops
  int64_t Seen[8];
  int N = 0;
  for (int E = 1; E <= 150 && N < 8; ++E)
    if (intc_schedule_epoch_end(&S, 9000, 9984) & INTC_SCHEDULE_LR_REDUCED)
      Seen[N++] = S.lr_inv;
  ASSERT_GE(N, 5);
  EXPECT_EQ(Seen[0], 1536);
  EXPECT_EQ(Seen[1], 4608);
  EXPECT_EQ(Seen[2], 13824);
  EXPECT_EQ(Seen[3], 41472);
  EXPECT_EQ(Seen[4], 124416);
}

// A reduction saturates at INTC_LR_INV_MAX instead of overflowing (with a
// factor of 2^55 the product would wrap after two reductions).
TEST(Schedule, ReductionsSaturate) {
  intc_monitor M;
  intc_plateau_init(&M);
  M.from_epoch = 1;
  M.patience = 1;
  M.factor = INT64_C(1) << 55;
  int64_t LrInv = 512;
  ASSERT_EQ(intc_monitor_step(&M, 9000, 9984, &LrInv), 0); // sets best
  ASSERT_EQ(intc_monitor_step(&M, 9000, 9984, &LrInv), 1);
  EXPECT_EQ(LrInv, INTC_LR_INV_MAX);
  ASSERT_EQ(intc_monitor_step(&M, 9000, 9984, &LrInv), 1);
  EXPECT_EQ(LrInv, INTC_LR_INV_MAX);

  // Just below the limit, a factor of 3 saturates too; factor 1 is a no-op.
  M.factor = 3;
  LrInv = INTC_LR_INV_MAX / 3 + 1;
  ASSERT_EQ(intc_monitor_step(&M, 9000, 9984, &LrInv), 1);
  EXPECT_EQ(LrInv, INTC_LR_INV_MAX);
  M.factor = 1;
  LrInv = 777;
  ASSERT_EQ(intc_monitor_step(&M, 9000, 9984, &LrInv), 1);
  EXPECT_EQ(LrInv, 777);
}

} // namespace
