/* intc_arith.h - the integer helpers every kernel shares.
 *
 * tdiv: every division in the algorithm rounds toward zero, which is exactly
 * C99's `/` on signed integers (C99 6.5.5p6), so the kernels simply write `/`.
 * Divisors are never 0 and INT64_MIN / -1 never occurs (ALGORITHM.md §1.1).
 *
 * The wrap helpers reproduce two's-complement truncation to a narrower type
 * without relying on the implementation-defined conversion of out-of-range
 * values to a signed type (C99 6.3.1.3p3): the result is the unique value of
 * the narrow type congruent to v modulo 2^bits. They are how this library
 * states "stored as int32 by truncation" precisely.
 */
#ifndef INTC_RUNTIME_C_INTC_ARITH_H
#define INTC_RUNTIME_C_INTC_ARITH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* clip(v, lo, hi) = min(hi, max(lo, v)). */
/* a * b for counts (a, b >= 0; a negative count counts as 0), saturating at
 * INT64_MAX: size and layout checks must not overflow on hostile
 * descriptors. */
static inline int64_t intc_count_mul(int64_t a, int64_t b) {
  if (a <= 0 || b <= 0)
    return 0;
  return a > INT64_MAX / b ? INT64_MAX : a * b;
}

/* a + b for counts (a, b >= 0), saturating at INT64_MAX. */
static inline int64_t intc_count_add(int64_t a, int64_t b) {
  return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static inline int64_t intc_clip64(int64_t v, int64_t lo, int64_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

static inline int32_t intc_clip32(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/* ((v + 2^31) mod 2^32) - 2^31, computed on the unsigned bit pattern. */
static inline int32_t intc_wrap32(int64_t v) {
  uint32_t u = (uint32_t)(uint64_t)v;
  if (u <= (uint32_t)INT32_MAX)
    return (int32_t)u;
  return (int32_t)(u - UINT32_C(0x80000000)) + INT32_MIN;
}

/* ((v + 2^15) mod 2^16) - 2^15. */
static inline int16_t intc_wrap16(int64_t v) {
  uint32_t u = (uint32_t)(uint64_t)v & UINT32_C(0xffff);
  return (int16_t)((int32_t)u - (u >= UINT32_C(0x8000) ? 0x10000 : 0));
}

/* wrap8(v) = ((v + 128) mod 256) - 128 (ALGORITHM.md notation). */
static inline int8_t intc_wrap8(int64_t v) {
  uint32_t u = (uint32_t)(uint64_t)v & UINT32_C(0xff);
  return (int8_t)((int32_t)u - (u >= UINT32_C(0x80) ? 0x100 : 0));
}

#ifdef __cplusplus
}
#endif

#endif /* INTC_RUNTIME_C_INTC_ARITH_H */
