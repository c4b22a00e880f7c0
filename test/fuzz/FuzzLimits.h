//===- FuzzLimits.h - Output bounds of the fuzz targets ---------*- C++ -*-===//
//
// The readers cap what one file may decompress to at kMaxDataFileBytes
// (1 GiB), which is right for MNIST's 47 MB but lets a 1 KB xz bomb spend
// seconds and gigabytes under ASan before the cap ends it. The targets pass
// this smaller cap instead; the code that enforces a cap is the same.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_TEST_FUZZ_FUZZLIMITS_H
#define INTC_TEST_FUZZ_FUZZLIMITS_H

#include <cstdint>

namespace intc::fuzz {

constexpr uint64_t kMaxFuzzOutputBytes = uint64_t(1) << 24; // 16 MiB.

} // namespace intc::fuzz

#endif // INTC_TEST_FUZZ_FUZZLIMITS_H
