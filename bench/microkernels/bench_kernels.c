/* bench_kernels.c - times the runtime/cpu microkernels (intc-bench-kernels).
 *
 * For every kernel and shape: the portable scalar path on one thread, the
 * best SIMD path on one thread, and the best SIMD path on all threads, as
 * GMAC/s and as a fraction of the measured vpdpwssd peak. The peak is the
 * throughput of a loop of independent zmm vpdpwssd (32 MACs each), i.e. the
 * issue rate times the clock of this machine; on Zen 5 the issue rate is 2
 * per cycle per core (64 int16 MACs / cycle / core).
 *
 * Then the sparse conv weight gradient on the six VGG8B layers (B = 64): ms
 * per call and GMAC/s, scalar (1 thread), fast x1 and fast xN.
 *
 * Usage: intc-bench-kernels [-conv-batch N] [-min-ms T] [-only dense|sparse]
 *                           [-scalar 0|1]
 * Integer arithmetic only (rates are printed in fixed point). */
#include "runtime/cpu/intc_cpu_kernels.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint64_t g_rng = 0x9e3779b97f4a7c15u;
static int64_t rnd(int64_t lo, int64_t hi) {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 7;
  g_rng ^= g_rng << 17;
  return lo + (int64_t)(g_rng % (uint64_t)(hi - lo + 1));
}

static void *xalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  return p;
}

/* "12.34" for v / 100. */
static void fix2(char *buf, int64_t v100) {
  sprintf(buf, "%lld.%02lld", (long long)(v100 / 100), (long long)(v100 % 100));
}

/* ---- the peak probe ----------------------------------------------------- */

#if defined(__x86_64__)
/* iters x 16 independent zmm vpdpwssd (16 chains hide the latency). */
__attribute__((target("avx512f,avx512bw,avx512vnni"), noinline)) static void
probe_vnni512(int64_t iters) {
#define DP(n) "vpdpwssd %%zmm1, %%zmm0, %%zmm" #n "\n\t"
  __asm__ volatile(
      "vpxord %%zmm0, %%zmm0, %%zmm0\n\t"
      "vpxord %%zmm1, %%zmm1, %%zmm1\n\t"
      "1:\n\t" DP(16) DP(17) DP(18) DP(19) DP(20) DP(21) DP(22) DP(23) DP(24)
          DP(25) DP(26) DP(27) DP(28) DP(29) DP(30) DP(31) "dec %0\n\t"
                                                           "jnz 1b\n\t"
      : "+r"(iters)
      :
      : "xmm0", "xmm1", "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21",
        "xmm22", "xmm23", "xmm24", "xmm25", "xmm26", "xmm27", "xmm28", "xmm29",
        "xmm30", "xmm31", "cc");
#undef DP
}

/* Without VNNI the avx2 kernels multiply int16 pairs with vpmaddwd and add
 * the int32 pair sums with vpaddd: iters x 6 independent such pairs on ymm
 * registers, 16 MACs each. */
__attribute__((target("avx2"), noinline)) static void
probe_avx2(int64_t iters) {
#define MA(t, a)                                                               \
  "vpmaddwd %%ymm1, %%ymm0, %%ymm" #t "\n\t"                                   \
  "vpaddd %%ymm" #t ", %%ymm" #a ", %%ymm" #a "\n\t"
  __asm__ volatile("vpxor %%ymm0, %%ymm0, %%ymm0\n\t"
                   "vpxor %%ymm1, %%ymm1, %%ymm1\n\t"
                   "1:\n\t" MA(2, 8) MA(3, 9) MA(4, 10) MA(5, 11) MA(6, 12)
                       MA(7, 13) "dec %0\n\t"
                                 "jnz 1b\n\t"
                   : "+r"(iters)
                   :
                   : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
                     "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
                     "cc");
#undef MA
}
#endif

/* The instruction the fast ISA's kernels multiply int16 pairs with. */
static const char *peak_instruction(void) {
  if (intc_cpu_isa_supported(INTC_CPU_ISA_AVX512VNNI))
    return "vpdpwssd zmm";
  if (intc_cpu_isa_supported(INTC_CPU_ISA_AVX2))
    return "vpmaddwd + vpaddd ymm";
  return "none";
}

/* Measured single-core peak in MAC/ms of the int16-pair multiply-accumulate
 * the fast ISA's kernels use (vpdpwssd zmm with AVX-512 VNNI, else vpmaddwd
 * + vpaddd ymm with AVX2; 0 without either). */
static int64_t peak_macs_per_ms(void) {
#if defined(__x86_64__)
  const int vnni = intc_cpu_isa_supported(INTC_CPU_ISA_AVX512VNNI);
  if (!vnni && !intc_cpu_isa_supported(INTC_CPU_ISA_AVX2))
    return 0;
  /* Many short trials: the best one ran without being preempted. */
  const int64_t iters = 2000000;
  int64_t best = INT64_MAX;
  for (int t = 0; t < 30; ++t) {
    const int64_t t0 = now_ns();
    if (vnni)
      probe_vnni512(iters);
    else
      probe_avx2(iters);
    const int64_t dt = now_ns() - t0;
    best = dt < best ? dt : best;
  }
  return iters * (vnni ? 16 * 32 : 6 * 16) * 1000000 / best;
#else
  return 0;
#endif
}

/* The aggregate peak of \p nt threads probing at once, in MAC/ms. A core's
 * peak is not the same when the others are busy (a shared power and clock
 * budget, or vCPUs that share more than they say): on the 2-vCPU VMs of
 * this project two probes at once gave 1.5-1.8x one probe, not 2x. Windows
 * of the probe start together (a barrier); each window's sum over the
 * threads counts, and the best window is the figure. */
typedef struct peak_thread {
  pthread_barrier_t *barrier;
  int64_t windows, iters, *ns; /* ns[w]: this thread's time in window w */
} peak_thread;

static void probe(int64_t iters) {
#if defined(__x86_64__)
  if (intc_cpu_isa_supported(INTC_CPU_ISA_AVX512VNNI))
    probe_vnni512(iters);
  else
    probe_avx2(iters);
#else
  (void)iters;
#endif
}

static void *peak_worker(void *arg) {
  peak_thread *p = (peak_thread *)arg;
  for (int64_t w = 0; w < p->windows; ++w) {
    pthread_barrier_wait(p->barrier);
    const int64_t t0 = now_ns();
    probe(p->iters);
    p->ns[w] = now_ns() - t0;
  }
  return 0;
}

static int64_t peak_all_macs_per_ms(int nt) {
  if (peak_macs_per_ms() == 0 || nt < 1)
    return 0;
  enum { kWindows = 20 };
  const int64_t iters = 4000000;
  const int64_t macs_per_iter =
      intc_cpu_isa_supported(INTC_CPU_ISA_AVX512VNNI) ? 16 * 32 : 6 * 16;
  pthread_barrier_t barrier;
  pthread_barrier_init(&barrier, 0, (unsigned)nt);
  peak_thread *ps = calloc((size_t)nt, sizeof *ps);
  int64_t *ns = calloc((size_t)nt * kWindows, sizeof *ns);
  pthread_t *ts = calloc((size_t)nt, sizeof *ts);
  for (int t = 0; t < nt; ++t) {
    ps[t] = (peak_thread){&barrier, kWindows, iters, ns + t * kWindows};
    if (t > 0)
      pthread_create(&ts[t], 0, peak_worker, &ps[t]);
  }
  peak_worker(&ps[0]);
  for (int t = 1; t < nt; ++t)
    pthread_join(ts[t], 0);
  int64_t best = 0;
  for (int w = 0; w < kWindows; ++w) {
    int64_t sum = 0; /* MAC per ms over the threads in window w */
    for (int t = 0; t < nt; ++t)
      sum += iters * macs_per_iter * 1000000 / ns[t * kWindows + w];
    best = sum > best ? sum : best;
  }
  pthread_barrier_destroy(&barrier);
  free(ps);
  free(ns);
  free(ts);
  return best;
}

/* ---- kernels under test ---------------------------------------------------
 */

typedef struct job {
  int kind; /* 0 lin fwd, 1 lin wgrad, 2 conv fwd, 3 conv wgrad */
  int xb;
  int64_t B, IN, OUT; /* linear */
  int64_t C, H, F, K; /* conv (square, H = padded size) */
  void *x;
  int32_t *w, *d;
  int64_t *out;
} job;

static int64_t job_macs(const job *j) {
  if (j->kind < 2)
    return j->B * j->IN * j->OUT;
  const int64_t ho = j->H - j->K + 1;
  return j->B * j->F * j->C * j->K * j->K * ho * ho;
}

static void job_run(const job *j) {
  switch (j->kind) {
  case 0:
    if (j->xb == 1)
      intc_cpu_linear_acc_i8(j->x, 0, j->w, 0, j->out, 0, j->B, j->IN, j->OUT);
    else
      intc_cpu_linear_acc_i16(j->x, 0, j->w, 0, j->out, 0, j->B, j->IN, j->OUT);
    break;
  case 1:
    if (j->xb == 1)
      intc_cpu_linear_wgrad_acc_i8(j->d, 0, j->x, 0, j->out, 0, j->B, j->IN,
                                   j->OUT);
    else
      intc_cpu_linear_wgrad_acc_i16(j->d, 0, j->x, 0, j->out, 0, j->B, j->IN,
                                    j->OUT);
    break;
  case 2:
    if (j->xb == 1)
      intc_cpu_conv2d_acc_i8(j->x, 0, j->w, 0, j->out, 0, j->B, j->C, j->H,
                             j->H, j->F, j->K);
    else
      intc_cpu_conv2d_acc_i16(j->x, 0, j->w, 0, j->out, 0, j->B, j->C, j->H,
                              j->H, j->F, j->K);
    break;
  default:
    if (j->xb == 1)
      intc_cpu_conv2d_wgrad_acc_i8(j->d, 0, j->x, 0, j->out, 0, j->B, j->C,
                                   j->H, j->H, j->F, j->K);
    else
      intc_cpu_conv2d_wgrad_acc_i16(j->d, 0, j->x, 0, j->out, 0, j->B, j->C,
                                    j->H, j->H, j->F, j->K);
  }
}

/* Typical NITRO-D magnitudes: |x| <= 127 (int8) or 2540 (int16, after
 * Dropout), |w| < 12000, |delta| < 2^24. */
static void job_alloc(job *j) {
  int64_t nx, nw, nd, no;
  if (j->kind < 2) {
    nx = j->B * j->IN;
    nw = j->OUT * j->IN;
    nd = j->B * j->OUT;
    no = j->kind == 0 ? j->B * j->OUT : j->OUT * j->IN;
  } else {
    const int64_t ho = j->H - j->K + 1;
    nx = j->B * j->C * j->H * j->H;
    nw = j->F * j->C * j->K * j->K;
    nd = j->B * j->F * ho * ho;
    no = j->kind == 2 ? nd : nw;
  }
  j->x = xalloc((size_t)(nx * j->xb));
  j->w = (int32_t *)xalloc((size_t)nw * 4);
  j->d = (int32_t *)xalloc((size_t)nd * 4);
  j->out = (int64_t *)xalloc((size_t)no * 8);
  for (int64_t i = 0; i < nx; ++i) {
    if (j->xb == 1)
      ((int8_t *)j->x)[i] = (int8_t)rnd(-127, 127);
    else
      ((int16_t *)j->x)[i] = (int16_t)rnd(-2540, 2540);
  }
  for (int64_t i = 0; i < nw; ++i)
    j->w[i] = (int32_t)rnd(-11999, 11999);
  for (int64_t i = 0; i < nd; ++i)
    j->d[i] = (int32_t)rnd(-(1 << 24), 1 << 24);
  memset(j->out, 0, (size_t)no * 8);
}

static void job_free(job *j) {
  free(j->x);
  free(j->w);
  free(j->d);
  free(j->out);
}

/* Best time of one call in ns, over repeated calls for at least min_ms. */
static int64_t time_job(const job *j, int64_t min_ms) {
  job_run(j); /* warm up: scratch, pool, caches */
  int64_t best = INT64_MAX;
  const int64_t start = now_ns();
  int reps = 0;
  while (reps < 3 || (now_ns() - start < min_ms * 1000000 && reps < 100000)) {
    const int64_t t0 = now_ns();
    job_run(j);
    const int64_t dt = now_ns() - t0;
    best = dt < best ? dt : best;
    ++reps;
  }
  return best > 0 ? best : 1;
}

static int64_t g_peak;         /* MAC per ms, one core */
static int64_t g_min_ms = 300; /* timing window per measurement */

static void report(const char *name, job *j, int64_t scalar_b) {
  char r0[32], r1[32], r2[32], p1[32], p2[32];
  const int nthreads = intc_cpu_set_threads(0);
  const int best = intc_cpu_set_isa(-1);
  /* Scalar on one thread, possibly on a smaller batch. */
  const int64_t b = j->B;
  j->B = scalar_b;
  intc_cpu_set_isa(INTC_CPU_ISA_SCALAR);
  intc_cpu_set_threads(1);
  const int64_t ts = time_job(j, g_min_ms);
  const int64_t ms = job_macs(j);
  j->B = b;
  intc_cpu_set_isa(best);
  const int64_t t1 = time_job(j, g_min_ms);
  intc_cpu_set_threads(nthreads);
  const int64_t tn = time_job(j, g_min_ms);
  const int64_t m = job_macs(j);
  /* GMAC/s * 100 = MAC * 100 / ns. */
  fix2(r0, ms * 100 / ts);
  fix2(r1, m * 100 / t1);
  fix2(r2, m * 100 / tn);
  /* % of peak * 100: (m / t) / (peak / 1e6) * 1e4. */
  fix2(p1, g_peak ? m * 1000000 / t1 * 10000 / g_peak : 0);
  fix2(p2, g_peak ? m * 1000000 / tn * 10000 / (g_peak * nthreads) : 0);
  printf("%-34s %9s %9s %6s%% %9s %6s%% %9lld\n", name, r0, r1, p1, r2, p2,
         (long long)(t1 / 1000));
  fflush(stdout);
}

/* ---- sparse conv weight gradient -------------------------------------------
 * The backward of every VGG8B conv block: delta on the learning-pool grid,
 * one position per window (drawn uniformly inside it), |delta| < 2^24. */

typedef struct sparse_job {
  int xb;
  int64_t B, C, H, F, K, GH, GW; /* H: padded size (square) */
  void *x;
  int32_t *d, *ind;
  int64_t *g;
} sparse_job;

static void sparse_run(const sparse_job *j) {
  if (j->xb == 1)
    intc_cpu_conv2d_wgrad_sparse_acc_i8(j->d, 0, j->ind, 0, j->x, 0, j->g, 0,
                                        j->B, j->C, j->H, j->H, j->F, j->K,
                                        j->GH, j->GW);
  else
    intc_cpu_conv2d_wgrad_sparse_acc_i16(j->d, 0, j->ind, 0, j->x, 0, j->g, 0,
                                         j->B, j->C, j->H, j->H, j->F, j->K,
                                         j->GH, j->GW);
}

/* Best time of one call in ns over at least min_ms (and 3 calls). */
static int64_t sparse_time(const sparse_job *j, int64_t min_ms) {
  sparse_run(j);
  int64_t best = INT64_MAX;
  const int64_t start = now_ns();
  int reps = 0;
  while (reps < 3 || (now_ns() - start < min_ms * 1000000 && reps < 100000)) {
    const int64_t t0 = now_ns();
    sparse_run(j);
    const int64_t dt = now_ns() - t0;
    best = dt < best ? dt : best;
    ++reps;
  }
  return best > 0 ? best : 1;
}

/* "12.345" ms and "12.34" GMAC/s. */
static void sparse_cols(char *ms, char *rate, int64_t macs, int64_t ns) {
  sprintf(ms, "%lld.%03lld", (long long)(ns / 1000000),
          (long long)(ns / 1000 % 1000));
  fix2(rate, macs * 100 / ns);
}

static void sparse_bench(int xb, int scalar) {
  /* C -> F, padded size, grid (VGG8B on CIFAR-10, K = 3, pad 1). */
  static const int64_t L[6][5] = {{3, 128, 34, 4, 8},   {128, 256, 34, 4, 4},
                                  {256, 256, 18, 4, 4}, {256, 512, 18, 2, 4},
                                  {512, 512, 10, 2, 4}, {512, 512, 6, 2, 4}};
  printf("\nconv2d_wgrad_sparse_acc_i%d, B = 64, |delta| < 2^24: ms per call "
         "and GMAC/s (MACs = valid terms x C x 9)\n",
         8 * xb);
  printf("%-24s %7s %10s %8s %9s %8s %9s %8s\n", "layer", "GMAC", "scalar ms",
         "GMAC/s", "fast x1", "GMAC/s", "fast xN", "GMAC/s");
  const int best = intc_cpu_set_isa(-1);
  const int nthreads = intc_cpu_set_threads(0);
  for (int l = 0; l < 6; ++l) {
    sparse_job j;
    memset(&j, 0, sizeof j);
    j.xb = xb;
    j.B = 64;
    j.C = L[l][0];
    j.F = L[l][1];
    j.H = L[l][2];
    j.K = 3;
    j.GH = L[l][3];
    j.GW = L[l][4];
    const int64_t ho = j.H - j.K + 1, nx = j.B * j.C * j.H * j.H;
    const int64_t nd = j.B * j.F * j.GH * j.GW, ng = j.F * j.C * j.K * j.K;
    j.x = xalloc((size_t)(nx * xb));
    j.d = (int32_t *)xalloc((size_t)nd * 4);
    j.ind = (int32_t *)xalloc((size_t)nd * 4);
    j.g = (int64_t *)xalloc((size_t)ng * 8);
    memset(j.g, 0, (size_t)ng * 8);
    for (int64_t i = 0; i < nx; ++i) {
      const int64_t h = i / j.H % j.H, w = i % j.H;
      const int border = h == 0 || w == 0 || h == j.H - 1 || w == j.H - 1;
      if (xb == 1)
        ((int8_t *)j.x)[i] = (int8_t)(border ? 0 : rnd(-127, 127));
      else
        ((int16_t *)j.x)[i] = (int16_t)(border ? 0 : rnd(-2540, 2540));
    }
    const int64_t wh = ho / j.GH, ww = ho / j.GW;
    for (int64_t i = 0; i < nd; ++i) {
      const int64_t gh = i / j.GW % j.GH, gw = i % j.GW;
      j.ind[i] =
          (int32_t)((gh * wh + rnd(0, wh - 1)) * ho + gw * ww + rnd(0, ww - 1));
      int64_t v = rnd(-(1 << 24), (1 << 24) - 1);
      j.d[i] = (int32_t)(v == 0 ? 1 : v);
    }
    const int64_t macs = nd * j.C * j.K * j.K;
    char name[64], gm[32], s0[32], r0[32], s1[32], r1[32], s2[32], r2[32];
    sprintf(name, "%lld->%lld %lldx%lld g%lldx%lld", (long long)j.C,
            (long long)j.F, (long long)j.H, (long long)j.H, (long long)j.GH,
            (long long)j.GW);
    sprintf(gm, "%lld.%03lld", (long long)(macs / 1000000000),
            (long long)(macs / 1000000 % 1000));
    strcpy(s0, "-");
    strcpy(r0, "-");
    if (scalar) {
      intc_cpu_set_isa(INTC_CPU_ISA_SCALAR);
      intc_cpu_set_threads(1);
      sparse_cols(s0, r0, macs, sparse_time(&j, g_min_ms));
    }
    intc_cpu_set_isa(best);
    intc_cpu_set_threads(1);
    sparse_cols(s1, r1, macs, sparse_time(&j, g_min_ms));
    intc_cpu_set_threads(nthreads);
    sparse_cols(s2, r2, macs, sparse_time(&j, g_min_ms));
    printf("%-24s %7s %10s %8s %9s %8s %9s %8s\n", name, gm, s0, r0, s1, r1, s2,
           r2);
    fflush(stdout);
    free(j.x);
    free(j.d);
    free(j.ind);
    free(j.g);
  }
}

int main(int argc, char **argv) {
  int64_t conv_b = 4;
  int sparse = 1, dense = 1, scalar = 1;
  /* -peak: only the peak line (for the model benchmarks in bench/speed);
   * -peak N: also the aggregate of N threads probing at once. */
  if ((argc == 2 || argc == 3) && !strcmp(argv[1], "-peak")) {
    char pk[32];
    fix2(pk, peak_macs_per_ms() / 10000);
    printf("peak: %s GMAC/s per core (%s)\n", pk, peak_instruction());
    if (argc == 3) {
      const int nt = atoi(argv[2]);
      const int64_t all = peak_all_macs_per_ms(nt);
      char a[32], per[32];
      fix2(a, all / 10000);
      fix2(per, nt > 0 ? all / nt / 10000 : 0);
      printf("peak with %d threads at once: %s GMAC/s (%s per thread)\n", nt, a,
             per);
    }
    return 0;
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "-conv-batch"))
      conv_b = atoll(argv[i + 1]);
    else if (!strcmp(argv[i], "-min-ms"))
      g_min_ms = atoll(argv[i + 1]);
    else if (!strcmp(argv[i], "-only")) {
      dense = !strcmp(argv[i + 1], "dense");
      sparse = !strcmp(argv[i + 1], "sparse");
    } else if (!strcmp(argv[i], "-scalar"))
      scalar = atoi(argv[i + 1]) != 0;
  }
  const int best = intc_cpu_set_isa(-1);
  const int nthreads = intc_cpu_set_threads(0);
  g_peak = peak_macs_per_ms();
  char pk[32];
  fix2(pk, g_peak / 10000);
  printf("intc-bench-kernels: fast ISA %s, %d threads (INTC_THREADS)\n",
         intc_cpu_isa_name(best), nthreads);
  printf("peak: %s GMAC/s per core (measured %s throughput)\n", pk,
         peak_instruction());
  printf("GMAC/s: scalar = portable int64 path, 1 thread; fast = %s; %% = "
         "of peak x threads; us = fast 1-thread time per call\n\n",
         intc_cpu_isa_name(best));
  if (sparse) {
    sparse_bench(1, scalar);
    sparse_bench(2, 0);
  }
  if (!dense)
    return 0;
  printf("\n%-34s %9s %9s %7s %9s %7s %9s\n", "kernel / shape", "scalar",
         "fast x1", "peak", "fast xN", "peak", "us x1");

  static const int64_t mlp[4][2] = {{784, 100}, {100, 50}, {100, 10}, {50, 10}};
  for (int kind = 0; kind < 2; ++kind)
    for (int xb = 1; xb <= 2; ++xb)
      for (int s = 0; s < 4; ++s) {
        if (xb == 2 && s > 0)
          continue; /* int16 input only on the big layer */
        job j;
        memset(&j, 0, sizeof j);
        j.kind = kind;
        j.xb = xb;
        j.B = 64;
        j.IN = mlp[s][0];
        j.OUT = mlp[s][1];
        job_alloc(&j);
        char name[64];
        sprintf(name, "linear_%s_i%d 64x%lld->%lld",
                kind == 0 ? "acc" : "wgrad", 8 * xb, (long long)j.IN,
                (long long)j.OUT);
        report(name, &j, j.B);
        job_free(&j);
      }
  /* The conv forward on the VGG8B encoders (C -> F, padded size; the first
   * layer's 3 channels are too few to matter), the other convs on the
   * largest of them. */
  static const int64_t vgg[5][3] = {{128, 256, 34},
                                    {256, 256, 18},
                                    {256, 512, 18},
                                    {512, 512, 10},
                                    {512, 512, 6}};
  for (int kind = 2; kind < 4; ++kind)
    for (int xb = 1; xb <= 2; ++xb)
      for (int l = 0; l < 5; ++l) {
        if (l > 0 && (kind != 2 || xb != 1))
          continue;
        job j;
        memset(&j, 0, sizeof j);
        j.kind = kind;
        j.xb = xb;
        j.B = conv_b;
        j.C = vgg[l][0];
        j.F = vgg[l][1];
        j.H = vgg[l][2];
        j.K = 3;
        job_alloc(&j);
        char name[64];
        sprintf(name, "conv2d_%s_i%d B%lld %lld->%lld %lldx%lld",
                kind == 2 ? "acc" : "wgrad", 8 * xb, (long long)conv_b,
                (long long)j.C, (long long)j.F, (long long)(j.H - 2),
                (long long)(j.H - 2));
        report(name, &j, 1);
        job_free(&j);
      }
  return 0;
}
