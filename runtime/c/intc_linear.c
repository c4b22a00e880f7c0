/* intc_linear.c - IntegerLinear forward, weight gradient and input gradient
 * (semantics in intc_kernels.h). */
#include "runtime/c/intc_kernels.h"

/* The int8 and int16 variants share one body so their semantics cannot
 * drift apart. */
#define INTC_LINEAR_FWD_BODY                                                   \
  int32_t b, o, i;                                                             \
  for (b = 0; b < batch; ++b) {                                                \
    for (o = 0; o < out; ++o) {                                                \
      const int32_t *wr = w + (int64_t)o * in;                                 \
      const int64_t xo = (int64_t)b * in;                                      \
      int64_t acc = 0;                                                         \
      for (i = 0; i < in; ++i)                                                 \
        acc += (int64_t)x[xo + i] * wr[i];                                     \
      z[(int64_t)b * out + o] = acc;                                           \
    }                                                                          \
  }

void intc_linear_fwd_i8(const int8_t *x, const int32_t *w, int64_t *z,
                        int32_t batch, int32_t in, int32_t out) {
  INTC_LINEAR_FWD_BODY
}

void intc_linear_fwd_i16(const int16_t *x, const int32_t *w, int64_t *z,
                         int32_t batch, int32_t in, int32_t out) {
  INTC_LINEAR_FWD_BODY
}

#define INTC_LINEAR_WGRAD_BODY                                                 \
  int32_t b, o, i;                                                             \
  for (o = 0; o < out; ++o)                                                    \
    for (i = 0; i < in; ++i)                                                   \
      g[(int64_t)o * in + i] = 0;                                              \
  for (b = 0; b < batch; ++b) {                                                \
    for (o = 0; o < out; ++o) {                                                \
      const int64_t d = delta[(int64_t)b * out + o];                           \
      int64_t *gr = g + (int64_t)o * in;                                       \
      const int64_t xo = (int64_t)b * in;                                      \
      if (d == 0)                                                              \
        continue; /* exact: a zero term adds nothing */                        \
      for (i = 0; i < in; ++i)                                                 \
        gr[i] += d * x[xo + i];                                                \
    }                                                                          \
  }

void intc_linear_wgrad_i8(const int32_t *delta, const int8_t *x, int64_t *g,
                          int32_t batch, int32_t in, int32_t out) {
  INTC_LINEAR_WGRAD_BODY
}

void intc_linear_wgrad_i16(const int32_t *delta, const int16_t *x, int64_t *g,
                           int32_t batch, int32_t in, int32_t out) {
  INTC_LINEAR_WGRAD_BODY
}

void intc_linear_dgrad(const int32_t *delta, const int32_t *w, int32_t *din,
                       int32_t batch, int32_t in, int32_t out) {
  int32_t b, o, i;
  for (b = 0; b < batch; ++b) {
    for (i = 0; i < in; ++i) {
      int64_t acc = 0;
      for (o = 0; o < out; ++o)
        acc += (int64_t)delta[(int64_t)b * out + o] * w[(int64_t)o * in + i];
      din[(int64_t)b * in + i] = intc_wrap32(acc);
    }
  }
}
