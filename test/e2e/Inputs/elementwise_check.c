/* Checks NITRO-Scaling and the activation backward as compiled from
 * Inputs/elementwise_ops.mlir against runtime/c (intc_rescale,
 * intc_act_bwd), the reference: sums across the whole int64 range and
 * around the clamp bounds ±128·F, every int8 activation with deltas up to
 * the int32 extremes. Prints a line per function and "OK" when all agree. */
#include <inttypes.h>
#include <stdio.h>

#include "runtime/c/intc_activations.h"
#include "runtime/c/intc_kernels.h"

#define N 8192

void rescale_200704(const int64_t *z, int8_t *y);
void rescale_16777215(const int64_t *z, int8_t *y);
void rescale_16777216(const int64_t *z, int8_t *y);
void nitro_grad(const int8_t *x, const int32_t *d, int32_t *out);
void tanh_grad(const int8_t *x, const int32_t *d, int32_t *out);

static uint64_t state = 0x2545f4914f6cdd1du;
static uint64_t next(void) { /* splitmix64 */
  uint64_t z = (state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

static int bad = 0;

static void check_rescale(const char *name,
                          void (*fn)(const int64_t *, int8_t *),
                          int64_t factor) {
  static int64_t z[N];
  static int8_t y[N], ref[N];
  const int64_t bound = 128 * factor;
  for (int i = 0; i < N; ++i) {
    const uint64_t r = next();
    switch (i % 4) {
    case 0: /* anywhere in int64 */
      z[i] = (int64_t)(r >> (1 + r % 63));
      break;
    case 1: /* around the clamp bounds */
      z[i] = bound - 2 * factor + (int64_t)(r % (uint64_t)(4 * factor + 1));
      break;
    case 2: /* the unsaturated range, near multiples of the factor */
      z[i] = (int64_t)(r % 255 - 127) * factor + (int64_t)(r >> 62) - 1;
      break;
    default:
      z[i] = (int64_t)(r % (uint64_t)(2 * bound + 1)) - bound;
    }
    if (r & 1)
      z[i] = -z[i];
  }
  z[0] = INT64_MAX;
  z[1] = INT64_MIN;
  z[2] = bound;
  z[3] = -bound;
  z[4] = bound - 1;
  z[5] = -bound + 1;
  fn(z, y);
  intc_rescale(z, ref, N, factor);
  int mism = 0;
  for (int i = 0; i < N; ++i)
    if (y[i] != ref[i] && mism++ < 5)
      printf("%s: z %" PRId64 " -> %d, want %d\n", name, z[i], y[i], ref[i]);
  bad += mism;
  printf("%s: %d values\n", name, N);
}

static void check_act(const char *name,
                      void (*fn)(const int8_t *, const int32_t *, int32_t *),
                      int32_t kind, int32_t nsi) {
  static int8_t x[N];
  static int32_t d[N], out[N], ref[N];
  for (int i = 0; i < N; ++i) {
    const uint64_t r = next();
    x[i] = (int8_t)(i & 255); /* every int8 value, 32 times */
    d[i] = (int32_t)(r >> 32) >> (r % 32);
  }
  d[0] = INT32_MIN;
  d[1] = INT32_MAX;
  d[2] = -1;
  fn(x, d, out);
  intc_act_bwd(kind, nsi, 2, x, d, ref, N, 1, 1, 1);
  int mism = 0;
  for (int i = 0; i < N; ++i)
    if (out[i] != ref[i] && mism++ < 5)
      printf("%s: x %d, delta %d -> %d, want %d\n", name, x[i], d[i], out[i],
             ref[i]);
  bad += mism;
  printf("%s: %d values\n", name, N);
}

int main(void) {
  check_rescale("rescale F=200704", rescale_200704, 200704);
  check_rescale("rescale F=16777215", rescale_16777215, 16777215);
  check_rescale("rescale F=16777216", rescale_16777216, 16777216);
  check_act("nitro_leaky_relu<4> backward", nitro_grad,
            INTC_ACT_NITRO_LEAKY_RELU, 4);
  check_act("pocket_tanh backward", tanh_grad, INTC_ACT_POCKET_TANH, 0);
  printf(bad ? "MISMATCH: %d values\n" : "OK\n", bad);
  return bad != 0;
}
