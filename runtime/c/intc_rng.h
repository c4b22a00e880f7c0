/* intc_rng.h - the one counter-based integer RNG of intc.
 *
 * Every random draw of training (weight init, data shuffles, dropout masks,
 * augmentation) is a pure function of (seed, stream, counter). There is no
 * hidden state, so any target can compute any draw independently, in any
 * order, and every target produces bit-identical results. The compiler
 * re-implements these four functions in MLIR; they are the single definition,
 * so do not change a constant without changing the compiler too.
 *
 * All arithmetic is on uint64_t and wraps modulo 2^64.
 *
 *   mix64(z):  z ^= z >> 30; z *= 0xbf58476d1ce4e5b9;
 *              z ^= z >> 27; z *= 0x94d049bb133111eb; z ^= z >> 31
 *              (the SplitMix64 finaliser)
 *   key(seed, stream)  = mix64(seed ^ mix64(stream ^ 0x6a09e667f3bcc909))
 *   u64(key, counter)  = mix64(key + (counter + 1) * 0x9e3779b97f4a7c15)
 *   below(u, n)        = (uint32_t)(((u >> 32) * n) >> 32), uniform in [0, n)
 *                        for 1 <= n <= 2^32 (Lemire's multiply-shift on the
 *                        high 32 bits; bias <= n / 2^32, no rejection loop so
 *                        the number of draws is fixed)
 */
#ifndef INTC_RUNTIME_C_INTC_RNG_H
#define INTC_RUNTIME_C_INTC_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Stream identifiers. A stream with a per-object index adds the index to its
 * base, so indexes must stay below 0x100 to keep streams disjoint. */
#define INTC_RNG_STREAM_INIT UINT64_C(0x100)         /* + weight tensor index */
#define INTC_RNG_STREAM_DATA_SHUFFLE UINT64_C(0x200) /* load-time shuffle */
#define INTC_RNG_STREAM_EPOCH_SHUFFLE UINT64_C(0x300) /* per-epoch shuffle */
#define INTC_RNG_STREAM_DROPOUT UINT64_C(0x400) /* + dropout layer index */
#define INTC_RNG_STREAM_AUGMENT UINT64_C(0x500) /* per-batch augmentation */
#define INTC_RNG_STREAM_INDEX_LIMIT 0x100

static inline uint64_t intc_rng_mix64(uint64_t z) {
  z ^= z >> 30;
  z *= UINT64_C(0xbf58476d1ce4e5b9);
  z ^= z >> 27;
  z *= UINT64_C(0x94d049bb133111eb);
  z ^= z >> 31;
  return z;
}

static inline uint64_t intc_rng_key(uint64_t seed, uint64_t stream) {
  return intc_rng_mix64(seed ^
                        intc_rng_mix64(stream ^ UINT64_C(0x6a09e667f3bcc909)));
}

static inline uint64_t intc_rng_u64(uint64_t key, uint64_t counter) {
  return intc_rng_mix64(key + (counter + 1) * UINT64_C(0x9e3779b97f4a7c15));
}

/* n is taken as uint64_t so that n = 2^32 is expressible; callers pass
 * 1 <= n <= 2^32. */
static inline uint32_t intc_rng_below(uint64_t u, uint64_t n) {
  return (uint32_t)(((u >> 32) * n) >> 32);
}

/* Out-of-line copies with external linkage, for code that calls the runtime
 * by symbol (JIT-compiled modules, other languages). Same results. */
uint64_t intc_rng_key_extern(uint64_t seed, uint64_t stream);
uint64_t intc_rng_u64_extern(uint64_t key, uint64_t counter);
uint32_t intc_rng_below_extern(uint64_t u, uint64_t n);

#ifdef __cplusplus
}
#endif

#endif /* INTC_RUNTIME_C_INTC_RNG_H */
