/* intc-bench-tile-loop: the loop of the avx2 forward microkernel
 * (runtime/cpu/intc_cpu_microkernel.inc, mode M_ONE, 3 rows x 3 vectors) alone,
 * without packing, epilogue or tail tiles: how close its 9 vpmaddwd +
 * 9 vpaddd + 3 broadcasts + 3 loads per step come to the probe's peak
 * (intc-bench-kernels -peak). 576 steps a call (one conv chunk of VGG8B's
 * 128-channel layers), B rows STRIDE bytes apart (96: the panel of one
 * column block, 54 KB, in L2), the best of 2,000 runs of 10 calls.
 *
 * usage: intc-bench-tile-loop [STRIDE]   (default 96) */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

#define ROW(r)                                                                 \
  do {                                                                         \
    int32_t t;                                                                 \
    memcpy(&t, ap[r] + ao, 4);                                                 \
    const __m256i av = _mm256_set1_epi32(t);                                   \
    acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(av, b0));        \
    acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(av, b1));        \
    acc[r][2] = _mm256_add_epi32(acc[r][2], _mm256_madd_epi16(av, b2));        \
  } while (0)

__attribute__((noinline, target("avx2"))) static void
tile(int64_t kn, const unsigned char *const *ap, const unsigned char *b,
     const int64_t *off, int32_t *out) {
  __m256i acc[3][3];
  for (int r = 0; r < 3; ++r)
    for (int v = 0; v < 3; ++v)
      acc[r][v] = _mm256_setzero_si256();
  for (int64_t k = 0; k < kn; ++k) {
    const int64_t ao = off[2 * k];
    const unsigned char *br = b + off[2 * k + 1];
    const __m256i b0 = _mm256_loadu_si256((const __m256i *)br);
    const __m256i b1 = _mm256_loadu_si256((const __m256i *)(br + 32));
    const __m256i b2 = _mm256_loadu_si256((const __m256i *)(br + 64));
    ROW(0);
    ROW(1);
    ROW(2);
  }
  __m256i s = _mm256_setzero_si256();
  for (int r = 0; r < 3; ++r)
    for (int v = 0; v < 3; ++v)
      s = _mm256_add_epi32(s, acc[r][v]);
  _mm256_storeu_si256((__m256i *)out, s);
}

int main(int argc, char **argv) {
  if (!__builtin_cpu_supports("avx2")) {
    printf("intc-bench-tile-loop: no AVX2 on this CPU\n");
    return 0;
  }
  const int64_t kn = 576, stride = argc > 1 ? atoll(argv[1]) : 96;
  const int64_t bbytes = kn * stride + 128;
  unsigned char *b = malloc((size_t)bbytes), *a = malloc((size_t)kn * 12);
  int64_t *off = malloc((size_t)kn * 16);
  for (int64_t i = 0; i < bbytes; ++i)
    b[i] = (unsigned char)i;
  for (int64_t i = 0; i < kn * 12; ++i)
    a[i] = (unsigned char)(i * 7);
  for (int64_t k = 0; k < kn; ++k) {
    off[2 * k] = 4 * k;
    off[2 * k + 1] = k * stride;
  }
  const unsigned char *ap[3] = {a, a + kn * 4, a + kn * 8};
  int32_t out[8];
  int64_t best = INT64_MAX;
  for (int run = 0; run < 2000; ++run) {
    const int64_t t0 = now_ns();
    for (int j = 0; j < 10; ++j)
      tile(kn, ap, b, off, out);
    const int64_t dt = now_ns() - t0;
    best = dt < best ? dt : best;
  }
  const int64_t macs = 10 * kn * 9 * 16;
  printf("3x3 avx2 tile loop, B rows %lld bytes apart (panel %lld KB): "
         "%lld.%02lld GMAC/s (checksum %d)\n",
         (long long)stride, (long long)(bbytes >> 10), (long long)(macs / best),
         (long long)(macs * 100 / best % 100), out[0]);
  free(b);
  free(a);
  free(off);
  return 0;
}
