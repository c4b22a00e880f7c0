/* Checks the compiled sgd_update (Inputs/sgd_update.mlir, lowered with the
 * magic-number division) against runtime/c's intc_sgd_update, the
 * reference, on gradients of every magnitude up to INT64_MAX and on every
 * learning-rate divisor the schedule reaches and far beyond. Prints one
 * line per layer kind and "OK" when every weight matches. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "runtime/c/intc_kernels.h"

#define N 4096

void sgd_encoder(int32_t *w, const int64_t *g, int64_t lr_inv);
void sgd_head(int32_t *w, const int64_t *g, int64_t lr_inv);
void sgd_int16(int16_t *w, const int64_t *g, int64_t lr_inv);

static uint64_t state = 0x9e3779b97f4a7c15u;
static uint64_t next(void) { /* splitmix64 */
  uint64_t z = (state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

/* Gradients: random magnitudes 2^0 .. 2^63, exact multiples of the divisor
 * and their neighbours, and the extremes (INT64_MIN is outside the op's
 * domain: |G| < 2^63). */
static void gradients(int64_t *g, int64_t d) {
  for (int i = 0; i < N; ++i) {
    const uint64_t r = next();
    int64_t v;
    switch (i % 4) {
    case 0:
      v = (int64_t)(r >> (1 + r % 63));
      break;
    case 1:
      v = (int64_t)(r >> 40) * d + (int64_t)(r % 3) - 1;
      break;
    case 2:
      v = (int64_t)(r >> (20 + r % 20));
      break;
    default:
      v = (int64_t)(r % 2000001) - 1000000;
    }
    g[i] = (r & 1) ? -v : v;
  }
  g[0] = INT64_MAX;
  g[1] = INT64_MIN + 1;
  g[2] = 0;
  g[3] = 1;
  g[4] = -1;
  g[5] = d;
  g[6] = -d;
  g[7] = d - 1;
  g[8] = -(d - 1);
}

static void weights32(int32_t *w) {
  for (int i = 0; i < N; ++i)
    w[i] = (int32_t)(next() >> 32);
  w[0] = INT32_MIN;
  w[1] = INT32_MAX;
}

int main(void) {
  static int64_t g[N];
  static int32_t w[N], ref[N];
  static int16_t w16[N], ref16[N];
  const int64_t enc_lr[] = {1,
                            2,
                            3,
                            512,
                            1536,
                            4608,
                            13824,
                            41472,
                            124416,
                            373248,
                            1119744,
                            3 << 20,
                            INT64_C(1) << 40};
  const int64_t head_lr[] = {1,
                             2,
                             3,
                             7,
                             512,
                             1000003,
                             INT32_MAX,
                             (INT64_C(1) << 40) + 3,
                             (INT64_C(1) << 62) + 1,
                             INT64_MAX};
  int bad = 0;
  long checked = 0;
  for (size_t k = 0; k < sizeof enc_lr / sizeof *enc_lr; ++k) {
    gradients(g, enc_lr[k] * 640);
    weights32(w);
    memcpy(ref, w, sizeof w);
    sgd_encoder(w, g, enc_lr[k]);
    intc_sgd_update(ref, g, N, enc_lr[k], 640, 28000);
    for (int i = 0; i < N; ++i, ++checked)
      if (w[i] != ref[i] && bad++ < 5)
        printf("encoder lr_inv %" PRId64 ": g %" PRId64 " -> %d, want %d\n",
               enc_lr[k], g[i], w[i], ref[i]);
  }
  printf("encoder: %ld updates\n", checked);
  checked = 0;
  for (size_t k = 0; k < sizeof head_lr / sizeof *head_lr; ++k) {
    gradients(g, head_lr[k]);
    weights32(w);
    memcpy(ref, w, sizeof w);
    sgd_head(w, g, head_lr[k]);
    intc_sgd_update(ref, g, N, head_lr[k], 1, 3);
    for (int i = 0; i < N; ++i, ++checked)
      if (w[i] != ref[i] && bad++ < 5)
        printf("head lr_inv %" PRId64 ": g %" PRId64 " -> %d, want %d\n",
               head_lr[k], g[i], w[i], ref[i]);
  }
  printf("head: %ld updates\n", checked);
  checked = 0;
  for (size_t k = 0; k < sizeof enc_lr / sizeof *enc_lr; ++k) {
    gradients(g, enc_lr[k] * 640);
    for (int i = 0; i < N; ++i)
      ref16[i] = w16[i] = (int16_t)(next() >> 48);
    sgd_int16(w16, g, enc_lr[k]);
    /* int16 storage saturates (the op's definition); decay 40000 exceeds
     * int16, so its quotient is taken in int64. */
    for (int i = 0; i < N; ++i) {
      int64_t v = ref16[i] - (g[i] / (enc_lr[k] * 640) + ref16[i] / 40000);
      v = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
      ref16[i] = (int16_t)v;
    }
    for (int i = 0; i < N; ++i, ++checked)
      if (w16[i] != ref16[i] && bad++ < 5)
        printf("int16 lr_inv %" PRId64 ": g %" PRId64 " -> %d, want %d\n",
               enc_lr[k], g[i], w16[i], ref16[i]);
  }
  printf("int16: %ld updates\n", checked);
  printf(bad ? "MISMATCH: %d weights\n" : "OK\n", bad);
  return bad != 0;
}
