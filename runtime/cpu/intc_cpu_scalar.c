/* intc_cpu_scalar.c - the portable exact path: plain int64 loops over a slice
 * of the output. It is both INTC_CPU_ISA_SCALAR and the fallback the SIMD
 * paths take when a range check fails. */
#include "runtime/cpu/intc_cpu_internal.h"

#include <string.h>

/* The int8 and int16 variants share one body (X is the element type). */
#define LIN_FWD_BODY(X)                                                        \
  do {                                                                         \
    const X *x = (const X *)a->x;                                              \
    const int64_t in = a->IN, out = a->OUT;                                    \
    for (int64_t b = 0; b < a->B; ++b) {                                       \
      const X *xr = x + b * in;                                                \
      for (int64_t o = o0; o < o1; ++o) {                                      \
        const int32_t *wr = a->w + o * in;                                     \
        int64_t acc = 0;                                                       \
        for (int64_t i = 0; i < in; ++i)                                       \
          acc += (int64_t)xr[i] * wr[i];                                       \
        a->out[b * out + o] += acc;                                            \
      }                                                                        \
    }                                                                          \
  } while (0)

void intc_cpu_scalar_lin_fwd(const intc_cpu_args *a, int64_t o0, int64_t o1) {
  if (a->xb == 1)
    LIN_FWD_BODY(int8_t);
  else
    LIN_FWD_BODY(int16_t);
}

#define LIN_WGRAD_BODY(X)                                                      \
  do {                                                                         \
    const X *x = (const X *)a->x;                                              \
    const int64_t in = a->IN, out = a->OUT;                                    \
    for (int64_t o = o0; o < o1; ++o) {                                        \
      int64_t *gr = a->out + o * in;                                           \
      for (int64_t b = 0; b < a->B; ++b) {                                     \
        const int64_t dv = a->d[b * out + o];                                  \
        const X *xr = x + b * in;                                              \
        if (dv == 0)                                                           \
          continue; /* exact: a zero term adds nothing */                      \
        for (int64_t i = 0; i < in; ++i)                                       \
          gr[i] += dv * xr[i];                                                 \
      }                                                                        \
    }                                                                          \
  } while (0)

/* The gradient of one row o at a time into a scratch row, then the row's
 * update (a->wu: the fused weight gradient and SGD update). */
#define LIN_WGRAD_SGD_BODY(X)                                                  \
  do {                                                                         \
    const X *x = (const X *)a->x;                                              \
    const int64_t in = a->IN, out = a->OUT;                                    \
    int64_t *gr =                                                              \
        (int64_t *)intc_cpu_scratch(INTC_CPU_SLOT_C, (size_t)in * 8);          \
    for (int64_t o = o0; o < o1; ++o) {                                        \
      memset(gr, 0, (size_t)in * 8);                                           \
      for (int64_t b = 0; b < a->B; ++b) {                                     \
        const int64_t dv = a->d[b * out + o];                                  \
        const X *xr = x + b * in;                                              \
        if (dv == 0)                                                           \
          continue;                                                            \
        for (int64_t i = 0; i < in; ++i)                                       \
          gr[i] += dv * xr[i];                                                 \
      }                                                                        \
      intc_cpu_sgd_rows(a->wu + o * in, in, gr, in, 1, in, &a->dg, &a->dw);    \
    }                                                                          \
  } while (0)

void intc_cpu_scalar_lin_wgrad(const intc_cpu_args *a, int64_t o0, int64_t o1) {
  if (a->wu) {
    if (a->xb == 1)
      LIN_WGRAD_SGD_BODY(int8_t);
    else
      LIN_WGRAD_SGD_BODY(int16_t);
    return;
  }
  if (a->zero)
    memset(a->out + o0 * a->IN, 0, (size_t)((o1 - o0) * a->IN) * 8);
  if (a->xb == 1)
    LIN_WGRAD_BODY(int8_t);
  else
    LIN_WGRAD_BODY(int16_t);
}

#define CONV_FWD_BODY(X)                                                       \
  do {                                                                         \
    const X *x = (const X *)a->x;                                              \
    const int64_t C = a->C, Hp = a->Hp, Wp = a->Wp, F = a->F, K = a->K;        \
    const int64_t Ho = a->Ho, Wo = a->Wo;                                      \
    for (int64_t m = m0; m < m1; ++m) {                                        \
      for (int64_t f = f0; f < f1; ++f) {                                      \
        int64_t *zp = a->out + (m * F + f) * Ho * Wo;                          \
        for (int64_t c = 0; c < C; ++c) {                                      \
          const X *xc = x + (m * C + c) * Hp * Wp;                             \
          const int32_t *wc = a->w + (f * C + c) * K * K;                      \
          for (int64_t u = 0; u < K; ++u) {                                    \
            for (int64_t v = 0; v < K; ++v) {                                  \
              const int64_t wv = wc[u * K + v];                                \
              if (wv == 0)                                                     \
                continue;                                                      \
              for (int64_t i = 0; i < Ho; ++i) {                               \
                const X *xr = xc + (i + u) * Wp + v;                           \
                int64_t *zr = zp + i * Wo;                                     \
                for (int64_t j = 0; j < Wo; ++j)                               \
                  zr[j] += wv * xr[j];                                         \
              }                                                                \
            }                                                                  \
          }                                                                    \
        }                                                                      \
      }                                                                        \
    }                                                                          \
  } while (0)

void intc_cpu_scalar_conv_fwd(const intc_cpu_args *a, int64_t f0, int64_t f1,
                              int64_t m0, int64_t m1) {
  if (a->xb == 1)
    CONV_FWD_BODY(int8_t);
  else
    CONV_FWD_BODY(int16_t);
}

#define CONV_WGRAD_BODY(X)                                                     \
  do {                                                                         \
    const X *x = (const X *)a->x;                                              \
    const int64_t C = a->C, Hp = a->Hp, Wp = a->Wp, F = a->F, K = a->K;        \
    const int64_t Ho = a->Ho, Wo = a->Wo;                                      \
    for (int64_t f = f0; f < f1; ++f) {                                        \
      for (int64_t c = 0; c < C; ++c) {                                        \
        int64_t *gp = a->out + (f * C + c) * K * K;                            \
        for (int64_t u = 0; u < K; ++u) {                                      \
          for (int64_t v = 0; v < K; ++v) {                                    \
            int64_t acc = 0;                                                   \
            for (int64_t m = m0; m < m1; ++m) {                                \
              const int32_t *dp = a->d + (m * F + f) * Ho * Wo;                \
              const X *xc = x + (m * C + c) * Hp * Wp;                         \
              for (int64_t i = 0; i < Ho; ++i) {                               \
                const int32_t *dr = dp + i * Wo;                               \
                const X *xr = xc + (i + u) * Wp + v;                           \
                for (int64_t j = 0; j < Wo; ++j)                               \
                  acc += (int64_t)dr[j] * xr[j];                               \
              }                                                                \
            }                                                                  \
            gp[u * K + v] += acc;                                              \
          }                                                                    \
        }                                                                      \
      }                                                                        \
    }                                                                          \
  } while (0)

void intc_cpu_scalar_conv_wgrad(const intc_cpu_args *a, int64_t f0, int64_t f1,
                                int64_t m0, int64_t m1) {
  if (a->xb == 1)
    CONV_WGRAD_BODY(int8_t);
  else
    CONV_WGRAD_BODY(int16_t);
}

/* The literal definition: for each term (m, f, cell) with a position, d times
 * the C x K x K input patch at that position, in int64. Positions outside
 * [0, Ho * Wo) (-1: none) contribute nothing. */
#define CONV_WGRAD_SPARSE_BODY(X)                                              \
  do {                                                                         \
    const X *x = (const X *)a->x;                                              \
    const int64_t C = a->C, Hp = a->Hp, Wp = a->Wp, F = a->F, K = a->K;        \
    const int64_t KK = K * K, P = a->Ho * a->Wo, Wo = a->Wo;                   \
    const int64_t cells = a->GH * a->GW;                                       \
    for (int64_t f = f0; f < f1; ++f) {                                        \
      int64_t *gf = a->out + f * C * KK;                                       \
      for (int64_t m = m0; m < m1; ++m) {                                      \
        const int32_t *dm = a->d + (m * F + f) * cells;                        \
        const int32_t *im = a->ind + (m * F + f) * cells;                      \
        for (int64_t t = 0; t < cells; ++t) {                                  \
          const int64_t idx = im[t], dv = dm[t];                               \
          if (idx < 0 || idx >= P || dv == 0)                                  \
            continue; /* exact: a zero term adds nothing */                    \
          const X *xm = x + m * C * Hp * Wp + (idx / Wo) * Wp + idx % Wo;      \
          for (int64_t c = 0; c < C; ++c) {                                    \
            const X *xc = xm + c * Hp * Wp;                                    \
            int64_t *gc = gf + c * KK;                                         \
            for (int64_t u = 0; u < K; ++u)                                    \
              for (int64_t v = 0; v < K; ++v)                                  \
                gc[u * K + v] += dv * xc[u * Wp + v];                          \
          }                                                                    \
        }                                                                      \
      }                                                                        \
    }                                                                          \
  } while (0)

void intc_cpu_scalar_conv_wgrad_sparse(const intc_cpu_args *a, int64_t f0,
                                       int64_t f1, int64_t m0, int64_t m1) {
  if (a->xb == 1)
    CONV_WGRAD_SPARSE_BODY(int8_t);
  else
    CONV_WGRAD_SPARSE_BODY(int16_t);
}

/* ---- INTC_CPU_ISA_SCALAR: the same slices as the SIMD paths ----------- */

static void task_lin_fwd(const intc_cpu_args *a, int tid, int nt) {
  int64_t lo, hi;
  intc_cpu_split(a->OUT, 1, tid, nt, &lo, &hi);
  if (lo < hi)
    intc_cpu_scalar_lin_fwd(a, lo, hi);
}

static void task_lin_wgrad(const intc_cpu_args *a, int tid, int nt) {
  int64_t lo, hi;
  intc_cpu_split(a->OUT, 1, tid, nt, &lo, &hi);
  if (lo < hi)
    intc_cpu_scalar_lin_wgrad(a, lo, hi);
}

static void task_conv_fwd(const intc_cpu_args *a, int tid, int nt) {
  int64_t lo, hi;
  intc_cpu_split(a->F, 1, tid, nt, &lo, &hi);
  if (lo < hi)
    intc_cpu_scalar_conv_fwd(a, lo, hi, 0, a->B);
}

static void task_conv_wgrad(const intc_cpu_args *a, int tid, int nt) {
  int64_t lo, hi;
  intc_cpu_split(a->F, 1, tid, nt, &lo, &hi);
  if (lo < hi)
    intc_cpu_scalar_conv_wgrad(a, lo, hi, 0, a->B);
}

static void task_conv_wgrad_sparse(const intc_cpu_args *a, int tid, int nt) {
  int64_t lo, hi;
  intc_cpu_split(a->F, 1, tid, nt, &lo, &hi);
  if (lo < hi)
    intc_cpu_scalar_conv_wgrad_sparse(a, lo, hi, 0, a->B);
}

/* No packing: the scalar path reads x in place. */
const intc_cpu_ops intc_cpu_ops_scalar = {{task_lin_fwd, task_lin_wgrad,
                                           task_conv_fwd, task_conv_wgrad, 0,
                                           task_conv_wgrad_sparse}};
