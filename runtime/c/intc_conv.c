/* intc_conv.c - IntegerConv2d (stride 1, zero padding) forward and weight
 * gradient (semantics in intc_kernels.h). */
#include "runtime/c/intc_kernels.h"

/* Padding is handled by skipping taps that fall outside the input: a zero
 * pad contributes nothing to an exact integer sum. */
#define INTC_CONV_FWD_BODY                                                     \
  const int32_t ho = intc_conv2d_out_size(h, k, pad);                          \
  const int32_t wo = intc_conv2d_out_size(wd, k, pad);                         \
  int32_t m, fi, ci, i, j, u, v;                                               \
  for (m = 0; m < batch; ++m) {                                                \
    for (fi = 0; fi < f; ++fi) {                                               \
      for (i = 0; i < ho; ++i) {                                               \
        for (j = 0; j < wo; ++j) {                                             \
          int64_t acc = 0;                                                     \
          for (ci = 0; ci < c; ++ci) {                                         \
            const int64_t xp = ((int64_t)m * c + ci) * h * wd;                 \
            const int64_t wp = (((int64_t)fi * c + ci) * k) * k;               \
            for (u = 0; u < k; ++u) {                                          \
              const int32_t xi = i + u - pad;                                  \
              if (xi < 0 || xi >= h)                                           \
                continue;                                                      \
              for (v = 0; v < k; ++v) {                                        \
                const int32_t xj = j + v - pad;                                \
                if (xj < 0 || xj >= wd)                                        \
                  continue;                                                    \
                acc += (int64_t)w[wp + (int64_t)u * k + v] *                   \
                       x[xp + (int64_t)xi * wd + xj];                          \
              }                                                                \
            }                                                                  \
          }                                                                    \
          z[(((int64_t)m * f + fi) * ho + i) * wo + j] = acc;                  \
        }                                                                      \
      }                                                                        \
    }                                                                          \
  }

void intc_conv2d_fwd_i8(const int8_t *x, const int32_t *w, int64_t *z,
                        int32_t batch, int32_t c, int32_t h, int32_t wd,
                        int32_t f, int32_t k, int32_t pad) {
  INTC_CONV_FWD_BODY
}

void intc_conv2d_fwd_i16(const int16_t *x, const int32_t *w, int64_t *z,
                         int32_t batch, int32_t c, int32_t h, int32_t wd,
                         int32_t f, int32_t k, int32_t pad) {
  INTC_CONV_FWD_BODY
}

/* Loops over delta first and skips zero entries: after a learning-head
 * max-pool most of delta is zero, and skipping zero terms is exact. */
#define INTC_CONV_WGRAD_BODY                                                   \
  const int32_t ho = intc_conv2d_out_size(h, k, pad);                          \
  const int32_t wo = intc_conv2d_out_size(wd, k, pad);                         \
  const int64_t ng = (int64_t)f * c * k * k;                                   \
  int64_t n;                                                                   \
  int32_t m, fi, ci, i, j, u, v;                                               \
  for (n = 0; n < ng; ++n)                                                     \
    g[n] = 0;                                                                  \
  for (m = 0; m < batch; ++m) {                                                \
    for (fi = 0; fi < f; ++fi) {                                               \
      for (i = 0; i < ho; ++i) {                                               \
        for (j = 0; j < wo; ++j) {                                             \
          const int64_t d = delta[(((int64_t)m * f + fi) * ho + i) * wo + j];  \
          if (d == 0)                                                          \
            continue;                                                          \
          for (ci = 0; ci < c; ++ci) {                                         \
            const int64_t xp = ((int64_t)m * c + ci) * h * wd;                 \
            int64_t *gp = g + (((int64_t)fi * c + ci) * k) * k;                \
            for (u = 0; u < k; ++u) {                                          \
              const int32_t xi = i + u - pad;                                  \
              if (xi < 0 || xi >= h)                                           \
                continue;                                                      \
              for (v = 0; v < k; ++v) {                                        \
                const int32_t xj = j + v - pad;                                \
                if (xj < 0 || xj >= wd)                                        \
                  continue;                                                    \
                gp[(int64_t)u * k + v] += d * x[xp + (int64_t)xi * wd + xj];   \
              }                                                                \
            }                                                                  \
          }                                                                    \
        }                                                                      \
      }                                                                        \
    }                                                                          \
  }

void intc_conv2d_wgrad_i8(const int32_t *delta, const int8_t *x, int64_t *g,
                          int32_t batch, int32_t c, int32_t h, int32_t wd,
                          int32_t f, int32_t k, int32_t pad) {
  INTC_CONV_WGRAD_BODY
}

void intc_conv2d_wgrad_i16(const int32_t *delta, const int16_t *x, int64_t *g,
                           int32_t batch, int32_t c, int32_t h, int32_t wd,
                           int32_t f, int32_t k, int32_t pad) {
  INTC_CONV_WGRAD_BODY
}
