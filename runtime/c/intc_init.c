/* intc_init.c - init bounds and the uniform integer draw (intc_init.h). */
#include "runtime/c/intc_init.h"

#include "runtime/c/intc_rng.h"

int64_t intc_int_sqrt(int64_t n) {
  int64_t x, y;
  if (n <= 0)
    return 0;
  x = n;
  y = x / 2 + (x & 1); /* (x + 1) / 2 without overflow at INT64_MAX */
  while (y < x) {
    x = y;
    y = (x + n / x) / 2;
  }
  return x;
}

int32_t intc_kaiming_leaky_gain(int32_t nsi) {
  switch (nsi) {
  case 3:
    return 1342;
  case 4:
    return 1372;
  case 5:
    return 1387;
  case 7:
    return 1400;
  case 8:
    return 1403;
  case 10:
    return 1407;
  case 15:
  case 16:
    return 1411;
  case 20:
    return 1412;
  default:
    return 0;
  }
}

static int32_t cap(int64_t b) {
  return (int32_t)(b > INTC_INIT_BOUND_CAP ? INTC_INIT_BOUND_CAP : b);
}

int32_t intc_init_bound(int32_t scheme, int64_t fan_in, int64_t fan_out,
                        int32_t gain_nsi) {
  if (fan_in <= 0 || fan_out <= 0)
    return -1;
  switch (scheme) {
  case INTC_INIT_KAIMING_LEAKY_RELU: {
    const int64_t gain = intc_kaiming_leaky_gain(gain_nsi);
    if (gain == 0)
      return -1;
    return cap(gain * 128 * 1732 / (intc_int_sqrt(fan_in) * 1000000));
  }
  case INTC_INIT_KAIMING_RELU:
    return cap((int64_t)1414 * 128 * 1732 / (intc_int_sqrt(fan_in) * 1000000));
  case INTC_INIT_XAVIER:
    return cap((int64_t)1667 * 128 * 2449 /
               (intc_int_sqrt(fan_in + fan_out) * 1000000));
  case INTC_INIT_STD:
    return cap(intc_int_sqrt((int64_t)64 * 32767 / fan_in));
  case INTC_INIT_FIXED:
    return INTC_INIT_BOUND_CAP;
  case INTC_INIT_ZEROS:
  case INTC_INIT_ONES:
    return 0;
  default:
    return -1;
  }
}

void intc_init_uniform(int32_t *w, int64_t n, int32_t bound, uint64_t seed,
                       uint32_t tensor_index) {
  const uint64_t key =
      intc_rng_key(seed, INTC_RNG_STREAM_INIT + (uint64_t)tensor_index);
  const uint64_t span = 2 * (uint64_t)bound + 1;
  int64_t i;
  for (i = 0; i < n; ++i)
    w[i] =
        (int32_t)intc_rng_below(intc_rng_u64(key, (uint64_t)i), span) - bound;
}

void intc_init_tensor(int32_t scheme, int32_t *w, int64_t n, int32_t bound,
                      uint64_t seed, uint32_t tensor_index) {
  int64_t i;
  if (scheme == INTC_INIT_ZEROS || scheme == INTC_INIT_ONES) {
    const int32_t v = scheme == INTC_INIT_ONES;
    for (i = 0; i < n; ++i)
      w[i] = v;
    return;
  }
  intc_init_uniform(w, n, bound, seed, tensor_index);
}
