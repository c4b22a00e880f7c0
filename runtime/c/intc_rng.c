/* intc_rng.c - linkable copies of the inline RNG (see intc_rng.h). */
#include "runtime/c/intc_rng.h"

uint64_t intc_rng_key_extern(uint64_t seed, uint64_t stream) {
  return intc_rng_key(seed, stream);
}

uint64_t intc_rng_u64_extern(uint64_t key, uint64_t counter) {
  return intc_rng_u64(key, counter);
}

uint32_t intc_rng_below_extern(uint64_t u, uint64_t n) {
  return intc_rng_below(u, n);
}
