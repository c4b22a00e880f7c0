/* intc_init.h - weight initialisation (ALGORITHM.md §5).
 *
 * Every weight is drawn uniformly from the integers in [-b, b] with the
 * counter-based RNG:
 *   key  = intc_rng_key(seed, INTC_RNG_STREAM_INIT + tensor_index)
 *   w[i] = (int32_t)intc_rng_below(intc_rng_u64(key, i), 2 * b + 1) - b
 * where tensor_index numbers the weight tensors of a model in construction
 * order from 0 (block by block, encoder then head, then the output layer).
 * The reference's CuPy draws are not reproducible and need not be (§5).
 */
#ifndef INTC_RUNTIME_C_INTC_INIT_H
#define INTC_RUNTIME_C_INTC_INIT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Init schemes; the values are part of the descriptor ABI (intc_layer.init).
 */
#define INTC_INIT_KAIMING_LEAKY_RELU 0 /* every published config */
#define INTC_INIT_KAIMING_RELU 1
#define INTC_INIT_XAVIER 2
#define INTC_INIT_STD 3
#define INTC_INIT_FIXED 4
#define INTC_INIT_ZEROS 5
#define INTC_INIT_ONES 6

/* Every bound is capped at 64. */
#define INTC_INIT_BOUND_CAP 64

/* The reference computes the Kaiming-leaky gain with negative_slope_inv
 * hard-coded to 4, whatever the activation's slope; pass this to reproduce
 * it. */
#define INTC_INIT_REFERENCE_GAIN_NSI 4

/* floor(sqrt(n)) by the integer Newton iteration of §1.1:
 * x = n, y = (x + 1) / 2; while y < x { x = y; y = (x + n / x) / 2 }; x.
 * n >= 0 (negative n returns 0). */
int64_t intc_int_sqrt(int64_t n);

/* Kaiming-leaky gain x 1000 by nsi:
 * {3:1342, 4:1372, 5:1387, 7:1400, 8:1403, 10:1407, 15:1411, 16:1411,
 *  20:1412}; 0 for any other nsi. */
int32_t intc_kaiming_leaky_gain(int32_t nsi);

/* The bound b for a scheme, already capped at 64 (floor divisions on
 * non-negative values):
 *   KAIMING_LEAKY_RELU: gain(gain_nsi) * 128 * 1732 / (isqrt(fan_in) * 10^6)
 *   KAIMING_RELU:       1414 * 128 * 1732 / (isqrt(fan_in) * 10^6)
 *   XAVIER:             1667 * 128 * 2449 / (isqrt(fan_in + fan_out) * 10^6)
 *   STD:                isqrt(64 * 32767 / fan_in)
 *   FIXED:              64
 *   ZEROS, ONES:        0 (no draw; the value is fixed)
 * fan_in = in_features (linear) or C_in * k * k (conv); fan_out =
 * out_features * k * k (k = 1 for linear). Returns -1 on an unknown scheme,
 * a non-positive fan or an invalid gain_nsi. */
int32_t intc_init_bound(int32_t scheme, int64_t fan_in, int64_t fan_out,
                        int32_t gain_nsi);

/* w[i] = uniform integer in [-bound, bound] as documented above. */
void intc_init_uniform(int32_t *w, int64_t n, int32_t bound, uint64_t seed,
                       uint32_t tensor_index);

/* Fills one tensor by scheme: ZEROS -> 0, ONES -> 1, otherwise
 * intc_init_uniform with the given bound. */
void intc_init_tensor(int32_t scheme, int32_t *w, int64_t n, int32_t bound,
                      uint64_t seed, uint32_t tensor_index);

#ifdef __cplusplus
}
#endif

#endif /* INTC_RUNTIME_C_INTC_INIT_H */
