//===- KernelTestUtil.h - Shared harness of the runtime/cpu kernel tests --===//
//
// Random operands, offset buffers with guards, and the loop over every
// supported ISA x {1, 2, 3} threads that checks a kernel's output bit for
// bit (KernelsTest.cpp, SparseWgradTest.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef INTC_TEST_UNIT_RUNTIME_CPU_KERNELTESTUTIL_H
#define INTC_TEST_UNIT_RUNTIME_CPU_KERNELTESTUTIL_H

#include "runtime/cpu/intc_cpu_kernels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace intc_cpu_test {

using Rng = std::mt19937_64;

constexpr int64_t Guard = 9; // output elements checked on each side

inline int64_t uniform(Rng &R, int64_t Lo, int64_t Hi) {
  return std::uniform_int_distribution<int64_t>(Lo, Hi)(R);
}

// n values in [Lo, Hi]; with Extreme, each value is Lo or Hi (or 0).
template <typename T>
std::vector<T> values(Rng &R, int64_t N, int64_t Lo, int64_t Hi,
                      bool Extreme = false) {
  std::vector<T> V(N);
  for (auto &E : V) {
    if (Extreme) {
      const int64_t Pick = uniform(R, 0, 8);
      E = static_cast<T>(Pick == 0 ? 0 : (Pick & 1) ? Lo : Hi);
    } else {
      E = static_cast<T>(uniform(R, Lo, Hi));
    }
  }
  return V;
}

// A buffer holding `Data` after `Off` garbage elements (and, for outputs,
// Guard more at the end).
template <typename T>
std::vector<T> withOffset(Rng &R, const std::vector<T> &Data, int64_t Off,
                          int64_t Tail = 0) {
  std::vector<T> Buf(Off + Data.size() + Tail);
  for (auto &E : Buf)
    E = static_cast<T>(uniform(R, -100, 100));
  std::copy(Data.begin(), Data.end(), Buf.begin() + Off);
  return Buf;
}

struct Config {
  int Isa;
  int Threads;
  std::string name() const {
    return std::string(intc_cpu_isa_name(Isa)) + " x" + std::to_string(Threads);
  }
};

// Every supported ISA x {1, 2, 3} threads, with splitting forced on.
inline std::vector<Config> configs() {
  std::vector<Config> Cs;
  for (int Isa = 0; Isa < INTC_CPU_ISA_COUNT; ++Isa) {
    if (!intc_cpu_isa_supported(Isa))
      continue;
    for (int Nt : {1, 2, 3})
      Cs.push_back({Isa, Nt});
  }
  return Cs;
}

class CpuKernels : public ::testing::Test {
protected:
  void SetUp() override { intc_cpu_set_parallel_threshold(0); }
  void TearDown() override {
    intc_cpu_set_isa(-1);
    intc_cpu_set_threads(0);
    intc_cpu_set_parallel_threshold(-1);
  }
  static void select(const Config &C) {
    ASSERT_EQ(intc_cpu_set_isa(C.Isa), C.Isa);
    ASSERT_EQ(intc_cpu_set_threads(C.Threads), C.Threads);
  }
};

// Runs `Call(out_buffer)` under every config and checks the buffer against
// Want (the whole buffer: offset prefix, data and guard tail).
template <typename Fn>
void forEachConfig(const std::vector<int64_t> &Init,
                   const std::vector<int64_t> &Want, Fn Call) {
  for (const Config &C : configs()) {
    SCOPED_TRACE(C.name());
    ASSERT_EQ(intc_cpu_set_isa(C.Isa), C.Isa);
    ASSERT_EQ(intc_cpu_set_threads(C.Threads), C.Threads);
    std::vector<int64_t> Out = Init;
    Call(Out.data());
    ASSERT_EQ(Out.size(), Want.size());
    int64_t Bad = 0;
    for (size_t I = 0; I < Out.size(); ++I)
      if (Out[I] != Want[I] && Bad++ < 5)
        ADD_FAILURE() << "element " << I << ": got " << Out[I] << ", want "
                      << Want[I];
    EXPECT_EQ(Bad, 0) << C.name();
  }
}

// Value ranges of a case: activations, weights, deltas; with Extreme, each
// value is an end of its range (or 0).
struct Ranges {
  int64_t XLo, XHi, WLo, WHi, DLo, DHi;
  bool Extreme;
};

// Every Every-th value of V (from the first; none when Every is 0) made
// beyond int16, up to 2^29 and down to INT16_MIN - 1 - 2^29, and the middle
// one INT16_MIN - 1: trained weights or deltas of which a few leave int16.
inline void sprinkleWide(Rng &R, std::vector<int32_t> &V, int64_t Every,
                         int Bits = 29) {
  for (size_t I = 0; Every && I < V.size(); I += size_t(Every)) {
    const int32_t Mag = 32768 + int32_t(R() % (1u << Bits));
    V[I] = (R() & 1) ? Mag : -Mag - 1;
  }
  V[V.size() / 2] = INT16_MIN - 1;
}

} // namespace intc_cpu_test

#endif // INTC_TEST_UNIT_RUNTIME_CPU_KERNELTESTUTIL_H
