/* intc_dropout.c - Dropout with integer rescaling and the counter-based mask
 * (semantics in intc_kernels.h). */
#include "runtime/c/intc_kernels.h"

/* f(r) x 1000 for r = 0.05, 0.10, ..., 0.95 (ALGORITHM.md §2.8). */
static const int32_t kDropoutFactor[19] = {
    1052, 1111, 1176, 1250, 1333, 1428, 1538, 1666,  1818, 2000,
    2222, 2500, 2857, 3333, 4000, 5000, 6666, 10000, 20000};

int32_t intc_dropout_factor(int32_t permille) {
  if (permille < 50 || permille > 950 || permille % 50 != 0)
    return 0;
  return kDropoutFactor[permille / 50 - 1];
}

void intc_dropout_fwd(const int8_t *x, int16_t *y, int64_t n, int32_t permille,
                      uint64_t seed, uint32_t layer, uint64_t step) {
  const uint64_t key = intc_rng_key(seed, INTC_RNG_STREAM_DROPOUT + layer);
  const int64_t f = intc_dropout_factor(permille);
  int64_t i;
  /* |x * f| <= 128 * 20000 and the quotient <= 2560: no wrap can occur, so
   * the int16 store is exact. */
  for (i = 0; i < n; ++i)
    y[i] = (int16_t)(intc_dropout_keep(key, step, n, i, permille)
                         ? (int64_t)x[i] * f / 1000
                         : 0);
}

void intc_dropout_bwd(const int32_t *delta, int32_t *din, int64_t n,
                      int32_t permille, uint64_t seed, uint32_t layer,
                      uint64_t step) {
  const uint64_t key = intc_rng_key(seed, INTC_RNG_STREAM_DROPOUT + layer);
  const int64_t f = intc_dropout_factor(permille);
  int64_t i;
  for (i = 0; i < n; ++i)
    din[i] = intc_dropout_keep(key, step, n, i, permille)
                 ? intc_wrap32((int64_t)delta[i] * f / 1000)
                 : 0;
}
