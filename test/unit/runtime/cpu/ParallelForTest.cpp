//===- ParallelForTest.cpp - runtime/cpu's loop dispatch ------------------===//
//
// intc_cpu_parallel_for, which the CPU target's outlined element-wise loops
// call (intc-lower-parallel-calls): it must run every iteration exactly
// once, in contiguous slices, for any thread count, and serially when
// called from inside the pool.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/intc_cpu_kernels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <vector>

namespace {

// intc_cpu_parallel_for: every iteration of [begin, end) runs exactly once,
// in contiguous slices, for 1, 2, 3 and 7 threads; a call from inside a
// slice (the pool is busy) runs serially on its caller; fewer than 2
// iterations run inline.
struct LoopRecord {
  std::vector<int> Count;
  int64_t Begin = 0;
  std::atomic<int> Slices{0};
};

void countIterations(void *Ctx, int64_t Lo, int64_t Hi) {
  auto *R = static_cast<LoopRecord *>(Ctx);
  ASSERT_LE(Lo, Hi);
  R->Slices.fetch_add(1);
  for (int64_t I = Lo; I < Hi; ++I)
    ++R->Count[size_t(I - R->Begin)];
}

void nestedLoop(void *Ctx, int64_t Lo, int64_t Hi) {
  auto *Outer = static_cast<std::vector<LoopRecord> *>(Ctx);
  for (int64_t I = Lo; I < Hi; ++I) {
    LoopRecord &R = (*Outer)[size_t(I)];
    intc_cpu_parallel_for(countIterations, &R, R.Begin,
                          R.Begin + int64_t(R.Count.size()));
  }
}

TEST(CpuParallelFor, SlicesCoverTheRange) {
  for (int Threads : {1, 2, 3, 7}) {
    ASSERT_EQ(intc_cpu_set_threads(Threads), Threads);
    for (int64_t N :
         {int64_t(0), int64_t(1), int64_t(2), int64_t(5), int64_t(1000)}) {
      LoopRecord R;
      R.Begin = 40;
      R.Count.assign(size_t(N), 0);
      intc_cpu_parallel_for(countIterations, &R, R.Begin, R.Begin + N);
      for (int C : R.Count)
        EXPECT_EQ(C, 1) << Threads << " threads, " << N << " iterations";
      EXPECT_LE(R.Slices.load(), std::max(1, Threads));
      if (N < 2) {
        EXPECT_EQ(R.Slices.load(), N == 0 ? 0 : 1);
      }
    }
    std::vector<LoopRecord> Inner(9);
    for (LoopRecord &R : Inner)
      R.Count.assign(100, 0);
    intc_cpu_parallel_for(nestedLoop, &Inner, 0, int64_t(Inner.size()));
    for (LoopRecord &R : Inner) {
      EXPECT_EQ(R.Slices.load(), 1) << "a nested loop runs serially";
      for (int C : R.Count)
        EXPECT_EQ(C, 1);
    }
  }
  intc_cpu_set_threads(0);
}

} // namespace
