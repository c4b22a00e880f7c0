//===- IntegerRng.h - The counter-based RNG in arith ops --------*- C++ -*-===//
//
// Emits the integer RNG of runtime/c/intc_rng.h as arith ops, so generated
// code draws exactly the numbers the C runtime draws (SplitMix64 mixing on
// (seed, stream, counter), 64-bit wrapping arithmetic).
//
//===----------------------------------------------------------------------===//

#ifndef INTC_PASSES_INTEGERRNG_H
#define INTC_PASSES_INTEGERRNG_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

namespace mlir::intc::rng {

/// The stream bases of runtime/c/intc_rng.h.
constexpr int64_t kStreamInit = 0x100;
constexpr int64_t kStreamDropout = 0x400;

/// mix64(z), the SplitMix64 finaliser. `z` is an i64.
Value mix64(OpBuilder &b, Location loc, Value z);
/// rng_key(seed, stream) = mix64(seed ^ mix64(stream ^ 0x6a09e667f3bcc909)).
Value key(OpBuilder &b, Location loc, Value seed, Value stream);
/// rng_u64(key, counter) = mix64(key + (counter + 1) * 0x9e3779b97f4a7c15).
Value u64(OpBuilder &b, Location loc, Value key, Value counter);
/// rng_below(u, n) = ((u >> 32) * n) >> 32 (unsigned), uniform in [0, n).
Value below(OpBuilder &b, Location loc, Value u, uint64_t n);

} // namespace mlir::intc::rng

#endif // INTC_PASSES_INTEGERRNG_H
