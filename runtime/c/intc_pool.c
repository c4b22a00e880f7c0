/* intc_pool.c - MaxPool2d with kernel = stride: forward with first-maximum
 * argmax, and the routing backward (semantics in intc_kernels.h). */
#include "runtime/c/intc_kernels.h"

#include <stddef.h>

/* Windows are scanned row-major over the padded window and only a strictly
 * greater value replaces the current best, which makes the first maximum win
 * (the reference's argmax tie rule). */
#define INTC_MAXPOOL_FWD_BODY                                                  \
  const int32_t oh = intc_maxpool_out_size(h, kh, ph);                         \
  const int32_t ow = intc_maxpool_out_size(wd, kw, pw);                        \
  int32_t m, ci, oi, oj, u, v;                                                 \
  for (m = 0; m < batch; ++m) {                                                \
    for (ci = 0; ci < c; ++ci) {                                               \
      const int64_t plane = (int64_t)m * c + ci;                               \
      const int64_t xp = plane * h * wd;                                       \
      for (oi = 0; oi < oh; ++oi) {                                            \
        for (oj = 0; oj < ow; ++oj) {                                          \
          int32_t best = 0, best_idx = -1, have = 0;                           \
          const int64_t yo = (plane * oh + oi) * ow + oj;                      \
          for (u = 0; u < kh; ++u) {                                           \
            const int32_t xi = oi * kh + u - ph;                               \
            for (v = 0; v < kw; ++v) {                                         \
              const int32_t xj = oj * kw + v - pw;                             \
              const int32_t inside = xi >= 0 && xi < h && xj >= 0 && xj < wd;  \
              const int32_t val =                                              \
                  inside ? (int32_t)x[xp + (int64_t)xi * wd + xj] : pad_value; \
              if (!have || val > best) {                                       \
                best = val;                                                    \
                best_idx = inside ? xi * wd + xj : -1;                         \
                have = 1;                                                      \
              }                                                                \
            }                                                                  \
          }                                                                    \
          y[yo] = best;                                                        \
          if (argmax != NULL)                                                  \
            argmax[yo] = best_idx;                                             \
        }                                                                      \
      }                                                                        \
    }                                                                          \
  }

void intc_maxpool2d_fwd_i8(const int8_t *x, int8_t *y, int32_t *argmax,
                           int32_t batch, int32_t c, int32_t h, int32_t wd,
                           int32_t kh, int32_t kw, int32_t ph, int32_t pw,
                           int32_t pad_value) {
  INTC_MAXPOOL_FWD_BODY
}

void intc_maxpool2d_fwd_i16(const int16_t *x, int16_t *y, int32_t *argmax,
                            int32_t batch, int32_t c, int32_t h, int32_t wd,
                            int32_t kh, int32_t kw, int32_t ph, int32_t pw,
                            int32_t pad_value) {
  INTC_MAXPOOL_FWD_BODY
}

void intc_maxpool2d_bwd(const int32_t *delta, const int32_t *argmax,
                        int32_t *din, int32_t batch, int32_t c, int32_t h,
                        int32_t wd, int32_t oh, int32_t ow) {
  const int64_t in_plane = (int64_t)h * wd, out_plane = (int64_t)oh * ow;
  const int64_t planes = (int64_t)batch * c;
  int64_t p, i;
  for (i = 0; i < planes * in_plane; ++i)
    din[i] = 0;
  for (p = 0; p < planes; ++p) {
    for (i = 0; i < out_plane; ++i) {
      const int32_t a = argmax[p * out_plane + i];
      if (a >= 0)
        din[p * in_plane + a] = delta[p * out_plane + i];
    }
  }
}
