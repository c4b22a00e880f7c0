/* intc_cpu_sgd.h - the integer SGD update (ALGORITHM.md §4.1) of int32
 * weights from int64 gradients, for the kernels that update the weights
 * right after computing their gradient (intc_cpu_linear_wgrad_sgd_*):
 *
 *   w = wrap32(w - tdiv(g, div) - tdiv(w, decay_inv))   (no decay term when
 *                                                       decay_inv == 0)
 *
 * the value the generated sgd_update stores. The divisions by the two
 * loop-invariant divisors are magic-number multiplies, the same exact
 * method as intc-lower-to-linalg's fast division (Hacker's Delight 10-1),
 * written with 32-bit halves so that the compiler vectorises the update
 * (vpmuldq / vpmuludq). Not installed, not for generated code. */
#ifndef INTC_RUNTIME_CPU_INTC_CPU_SGD_H
#define INTC_RUNTIME_CPU_INTC_CPU_SGD_H

#include <stdint.h>

/* tdiv(n, d) = ((n + mulhs(n, magic)) >> shift) - (n >> 63) for d >= 2 and
 * every int64 n > INT64_MIN; d == 1 is n itself; d == 0 means "no term"
 * (decay only). */
typedef struct intc_cpu_divisor {
  int64_t d, magic;
  int64_t shift;
} intc_cpu_divisor;

static inline intc_cpu_divisor intc_cpu_divisor_of(int64_t d) {
  intc_cpu_divisor r = {d, 0, 0};
  if (d < 2)
    return r;
  /* l = ceil(log2 d), magic = floor(2^(63 + l) / d) + 1 as a wrapped int64,
   * shift = l - 1 (d <= INT64_MAX, so l <= 63 and 2^126 fits 128 bits). */
  const int l = 64 - __builtin_clzll((uint64_t)(d - 1));
  const unsigned __int128 q = ((unsigned __int128)1 << (63 + l)) / (uint64_t)d;
  r.magic = (int64_t)((uint64_t)q + 1);
  r.shift = l - 1;
  return r;
}

/* The high 64 bits of the signed 128-bit product u * v, from 32-bit halves
 * (Hacker's Delight 8-2); every product is exact in 64 bits. */
static inline int64_t intc_cpu_mulhs(int64_t u, int64_t v) {
  const uint64_t u0 = (uint32_t)u, v0 = (uint32_t)v;
  const int64_t u1 = u >> 32, v1 = v >> 32;
  const uint64_t w0 = u0 * v0;
  const int64_t t = u1 * (int64_t)v0 + (int64_t)(w0 >> 32);
  const int64_t w1 = (int64_t)u0 * v1 + (t & INT64_C(0xffffffff));
  return u1 * v1 + (t >> 32) + (w1 >> 32);
}

/* tdiv(n, q->d) for q->d >= 1 (truncation toward zero, as C's `/`). */
static inline int64_t intc_cpu_tdiv(int64_t n, const intc_cpu_divisor *q) {
  const int64_t t =
      (int64_t)((uint64_t)n + (uint64_t)intc_cpu_mulhs(n, q->magic));
  const int64_t r = (t >> q->shift) - (n >> 63);
  return q->d == 1 ? n : r;
}

/* The same quotient for |n| <= 2^31 in 32-bit lanes (Hacker's Delight
 * 10-1 with W = 32): mode 0, quotient 0 (no decay term, or d > 2^31, which
 * no such n reaches); mode 1, n itself (d == 1); mode 2, ((n +
 * mulhs32(n, magic)) >> shift) - (n >> 31), exact for every int32 n and
 * 2 <= d <= 2^31. The kernels use it for the weights' decay term always
 * and for a gradient that fits int32 (most of them: 64 samples of int8
 * inputs times deltas below 2^17), 8 lanes at a time. */
typedef struct intc_cpu_divisor32 {
  int32_t magic, shift, mode;
} intc_cpu_divisor32;

static inline intc_cpu_divisor32 intc_cpu_divisor32_of(int64_t d) {
  intc_cpu_divisor32 r = {0, 0, 0};
  if (d == 1)
    r.mode = 1;
  if (d < 2 || d > (INT64_C(1) << 31))
    return r;
  /* l = ceil(log2 d) <= 31, magic = floor(2^(31 + l) / d) + 1 - 2^32. */
  const int l = 64 - __builtin_clzll((uint64_t)(d - 1));
  r.magic = (int32_t)(uint32_t)(((uint64_t)1 << (31 + l)) / (uint64_t)d + 1);
  r.shift = l - 1;
  r.mode = 2;
  return r;
}

/* One updated weight: the exact int64 value wrapped to int32 like the
 * reference's int32 arrays (the int64 intermediate cannot overflow: the
 * gradient's bound is proven at compile time, intc-expand-training). */
static inline int32_t intc_cpu_sgd_one(int32_t w, int64_t g,
                                       const intc_cpu_divisor *dg,
                                       const intc_cpu_divisor *dw) {
  uint64_t dv = (uint64_t)intc_cpu_tdiv(g, dg);
  if (dw->d > 0)
    dv += (uint64_t)intc_cpu_tdiv(w, dw);
  return (int32_t)(uint32_t)((uint64_t)(int64_t)w - dv);
}

/* w[r * ldw + j] = sgd(w, g[r * ldg + j]) for r < rows, j < cols; g null:
 * a zero gradient (the decay alone). */
static inline void intc_cpu_sgd_rows(int32_t *w, int64_t ldw, const int64_t *g,
                                     int64_t ldg, int64_t rows, int64_t cols,
                                     const intc_cpu_divisor *dg,
                                     const intc_cpu_divisor *dw) {
  const intc_cpu_divisor qg = *dg, qw = *dw;
  for (int64_t r = 0; r < rows; ++r) {
    int32_t *wr = w + r * ldw;
    if (!g) {
      if (qw.d > 0)
        for (int64_t j = 0; j < cols; ++j)
          wr[j] = intc_cpu_sgd_one(wr[j], 0, &qg, &qw);
      continue;
    }
    const int64_t *gr = g + r * ldg;
    if (qw.d > 0)
      for (int64_t j = 0; j < cols; ++j)
        wr[j] = intc_cpu_sgd_one(wr[j], gr[j], &qg, &qw);
    else {
      const intc_cpu_divisor none = {0, 0, 0};
      for (int64_t j = 0; j < cols; ++j)
        wr[j] = intc_cpu_sgd_one(wr[j], gr[j], &qg, &none);
    }
  }
}

#endif /* INTC_RUNTIME_CPU_INTC_CPU_SGD_H */
