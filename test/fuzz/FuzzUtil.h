//===- FuzzUtil.h - What every intc fuzz target shares -----------*- C++
//-*-===//
//
// The contract of a target (README.md): bad input must come back as an
// llvm::Error or a diagnostic, which the target drops (or prints, with
// INTC_FUZZ_VERBOSE=1, to see why a seed is rejected); a crash, a sanitizer
// report, a hang or a broken INTC_FUZZ_CHECK is a bug. INTC_FUZZ_CHECK states
// what a successful read promises (sizes that match shapes, values in range)
// and aborts when it does not hold: a reader that accepts input and returns
// something inconsistent is a silent wrong result, worse than a crash.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_TEST_FUZZ_FUZZUTIL_H
#define INTC_TEST_FUZZ_FUZZUTIL_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace intc::fuzz {

/// INTC_FUZZ_VERBOSE=1: print every rejection.
inline bool verbose() {
  static const bool on = [] {
    const char *v = std::getenv("INTC_FUZZ_VERBOSE");
    return v && *v && *v != '0';
  }();
  return on;
}

/// Drops an error (the input was bad), printing it when verbose.
inline void reject(llvm::Error err) {
  if (!err)
    return;
  if (verbose())
    llvm::errs() << "rejected: " << llvm::toString(std::move(err)) << "\n";
  else
    llvm::consumeError(std::move(err));
}

/// The value of \p result, or nullptr after reject()ing its error.
template <typename T> T *accept(llvm::Expected<T> &result) {
  if (result)
    return &*result;
  reject(result.takeError());
  return nullptr;
}

inline llvm::ArrayRef<uint8_t> bytesOf(const uint8_t *data, size_t size) {
  return llvm::ArrayRef<uint8_t>(data, size);
}

[[noreturn]] inline void checkFailed(const char *cond, const char *msg,
                                     const char *file, int line) {
  std::fprintf(stderr, "%s:%d: INTC_FUZZ_CHECK(%s) failed: %s\n", file, line,
               cond, msg);
  std::abort();
}

} // namespace intc::fuzz

/// An invariant of a successful read; on whatever NDEBUG says.
#define INTC_FUZZ_CHECK(cond, msg)                                             \
  do {                                                                         \
    if (!(cond))                                                               \
      ::intc::fuzz::checkFailed(#cond, msg, __FILE__, __LINE__);               \
  } while (false)

#endif // INTC_TEST_FUZZ_FUZZUTIL_H
