/* intc_cpu_dispatch.c - the public entry points: CPU detection (once), the
 * tuning knobs, per-thread scratch and the persistent worker pool. */
#define _GNU_SOURCE /* sysconf(_SC_NPROCESSORS_ONLN) */
#include "runtime/cpu/intc_cpu_internal.h"
#include "runtime/cpu/intc_cpu_kernels.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(INTC_CPU_X86)
#include <cpuid.h>
#include <immintrin.h>
#endif

#define INTC_CPU_MAX_THREADS 64
/* Below this many multiply-accumulates a call stays on the calling thread:
 * waking a worker costs a few microseconds. */
#define INTC_CPU_DEFAULT_THRESHOLD (INT64_C(1) << 20)
/* How long an idle worker spins before it sleeps. */
#define INTC_CPU_SPIN_NS INT64_C(200000)

/* ---- CPU detection and knobs ------------------------------------------- */

static pthread_once_t g_init_once = PTHREAD_ONCE_INIT;
static int g_supported[INTC_CPU_ISA_COUNT];
static int g_best;
static int g_default_threads = 1;
static _Atomic int g_isa;
static _Atomic int g_threads;
static _Atomic int64_t g_threshold = INTC_CPU_DEFAULT_THRESHOLD;
static _Atomic int64_t g_residual_ratio = INTC_CPU_CONV_RESIDUAL_RATIO;
static _Atomic int64_t g_lin_residual_ratio = INTC_CPU_LIN_RESIDUAL_RATIO;

static const intc_cpu_ops *const g_ops[INTC_CPU_ISA_COUNT] = {
    &intc_cpu_ops_scalar,
#if defined(INTC_CPU_X86)
    &intc_cpu_ops_avx2,     &intc_cpu_ops_avxvnni,
    &intc_cpu_ops_avx512bw, &intc_cpu_ops_avx512vnni,
#else
    0,
    0,
    0,
    0,
#endif
};

static void detect(void) {
  g_supported[INTC_CPU_ISA_SCALAR] = 1;
#if defined(INTC_CPU_X86)
  __builtin_cpu_init();
  const int avx2 = __builtin_cpu_supports("avx2") != 0;
  const int bw =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  g_supported[INTC_CPU_ISA_AVX2] = avx2;
  /* AVX-VNNI: CPUID.(EAX=7, ECX=1):EAX[4]; the OS saves the ymm state if
   * avx2 was reported usable. */
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  int avxvnni = 0;
  if (avx2 && __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx))
    avxvnni = (eax >> 4) & 1;
  g_supported[INTC_CPU_ISA_AVXVNNI] = avxvnni;
  g_supported[INTC_CPU_ISA_AVX512BW] = bw;
  g_supported[INTC_CPU_ISA_AVX512VNNI] =
      bw && __builtin_cpu_supports("avx512vnni");
#endif
  g_best = 0;
  for (int i = 0; i < INTC_CPU_ISA_COUNT; ++i)
    if (g_supported[i])
      g_best = i;
  atomic_store(&g_isa, g_best);

  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  int nt = ncpu > 0 ? (int)(ncpu < INTC_CPU_MAX_THREADS ? ncpu
                                                        : INTC_CPU_MAX_THREADS)
                    : 1;
  const char *env = getenv("INTC_THREADS");
  if (env && *env) {
    char *end = 0;
    long v = strtol(env, &end, 10);
    if (end && *end == '\0' && v > 0)
      nt = (int)(v < INTC_CPU_MAX_THREADS ? v : INTC_CPU_MAX_THREADS);
  }
  g_default_threads = nt;
  atomic_store(&g_threads, nt);
  /* For measuring the residual paths against two limbs. */
  env = getenv("INTC_CPU_CONV_RESIDUAL_RATIO");
  if (env && *env)
    atomic_store(&g_residual_ratio, strtoll(env, 0, 10));
  env = getenv("INTC_CPU_LIN_RESIDUAL_RATIO");
  if (env && *env)
    atomic_store(&g_lin_residual_ratio, strtoll(env, 0, 10));
}

int64_t intc_cpu_conv_residual_ratio(void) {
  return atomic_load_explicit(&g_residual_ratio, memory_order_relaxed);
}

int64_t intc_cpu_lin_residual_ratio(void) {
  return atomic_load_explicit(&g_lin_residual_ratio, memory_order_relaxed);
}

static void init(void) { pthread_once(&g_init_once, detect); }

int intc_cpu_isa_supported(int isa) {
  init();
  return isa >= 0 && isa < INTC_CPU_ISA_COUNT && g_supported[isa];
}

const char *intc_cpu_isa_name(int isa) {
  static const char *const names[INTC_CPU_ISA_COUNT] = {
      "scalar", "avx2", "avxvnni", "avx512bw", "avx512vnni"};
  return isa >= 0 && isa < INTC_CPU_ISA_COUNT ? names[isa] : "?";
}

int intc_cpu_set_isa(int isa) {
  init();
  int pick = g_best;
  if (isa >= 0) {
    pick = 0;
    for (int i = 0; i < INTC_CPU_ISA_COUNT && i <= isa; ++i)
      if (g_supported[i])
        pick = i;
  }
  atomic_store(&g_isa, pick);
  return pick;
}

int intc_cpu_get_isa(void) {
  init();
  return atomic_load(&g_isa);
}

int intc_cpu_set_threads(int n) {
  init();
  if (n <= 0)
    n = g_default_threads;
  if (n > INTC_CPU_MAX_THREADS)
    n = INTC_CPU_MAX_THREADS;
  atomic_store(&g_threads, n);
  return n;
}

int intc_cpu_get_threads(void) {
  init();
  return atomic_load(&g_threads);
}

int64_t intc_cpu_set_parallel_threshold(int64_t macs) {
  if (macs < 0)
    macs = INTC_CPU_DEFAULT_THRESHOLD;
  atomic_store(&g_threshold, macs);
  return macs;
}

/* ---- per-thread scratch ------------------------------------------------ */

typedef struct scratch {
  void *p[INTC_CPU_SLOT_COUNT];
  size_t cap[INTC_CPU_SLOT_COUNT];
} scratch;

static pthread_key_t g_scratch_key;
static pthread_once_t g_scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *arg) {
  scratch *s = (scratch *)arg;
  if (!s)
    return;
  for (int i = 0; i < INTC_CPU_SLOT_COUNT; ++i)
    free(s->p[i]);
  free(s);
}

static void scratch_key_init(void) {
  if (pthread_key_create(&g_scratch_key, scratch_free) != 0)
    abort();
}

static void out_of_memory(size_t bytes) {
  fprintf(stderr, "intc_runtime_cpu: out of memory (%zu bytes of scratch)\n",
          bytes);
  abort();
}

void *intc_cpu_scratch(int slot, size_t bytes) {
  pthread_once(&g_scratch_once, scratch_key_init);
  scratch *s = (scratch *)pthread_getspecific(g_scratch_key);
  if (!s) {
    s = (scratch *)calloc(1, sizeof *s);
    if (!s || pthread_setspecific(g_scratch_key, s) != 0)
      out_of_memory(sizeof *s);
  }
  if (bytes == 0)
    bytes = 1;
  if (s->cap[slot] < bytes) {
    /* Grow geometrically (and by whole cache lines) so that a sequence of
     * slightly larger shapes does not reallocate every time. */
    size_t cap = s->cap[slot] * 2 > bytes ? s->cap[slot] * 2 : bytes;
    cap = (cap + 63) & ~(size_t)63;
    free(s->p[slot]);
    s->p[slot] = 0;
    s->cap[slot] = 0;
    void *p = 0;
    if (posix_memalign(&p, 64, cap) != 0)
      out_of_memory(cap);
    s->p[slot] = p;
    s->cap[slot] = cap;
  }
  return s->p[slot];
}

void intc_cpu_release_scratch(void) {
  pthread_once(&g_scratch_once, scratch_key_init);
  scratch *s = (scratch *)pthread_getspecific(g_scratch_key);
  if (!s)
    return;
  pthread_setspecific(g_scratch_key, 0);
  scratch_free(s);
}

/* ---- worker pool ---------------------------------------------------------
 * A call is split into nt chunks (chunk i = slice i of nt of the output, see
 * intc_cpu_split). The caller and the workers claim chunks from one atomic
 * word, state = gen << 16 | nchunks << 8 | next, so a worker that is late
 * (descheduled, still asleep) simply gets none and the caller runs the chunk
 * itself: a busy machine costs at most the serial time. A claim succeeds only
 * for the current generation, and the job fields are read only after a
 * successful claim, so a stale worker never touches a finished job. The
 * caller returns once `done` reaches nchunks. Idle workers spin for
 * INTC_CPU_SPIN_NS before sleeping on a condition variable, so the
 * back-to-back kernels of a training step do not pay a futex wake each.
 * Which thread runs a chunk never changes its result: every output element
 * belongs to exactly one chunk and the arithmetic is exact. */

static pthread_mutex_t g_busy = PTHREAD_MUTEX_INITIALIZER; /* pool owner */
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_work_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t g_done_cv = PTHREAD_COND_INITIALIZER;
static _Atomic uint64_t g_state;
static _Atomic int g_done;
static intc_cpu_task g_task;        /* valid while a chunk is claimed */
static const intc_cpu_args *g_args; /* valid while a chunk is claimed */
static int g_nworkers;              /* started so far; guarded by g_busy */

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline void cpu_relax(void) {
#if defined(INTC_CPU_X86)
  _mm_pause();
#endif
}

/* Claims the next chunk of generation gen; 0 if there is none. */
static int claim(uint64_t gen, int *chunk, int *nchunks) {
  uint64_t s = atomic_load_explicit(&g_state, memory_order_acquire);
  for (;;) {
    const int n = (int)((s >> 8) & 0xff), next = (int)(s & 0xff);
    if ((s >> 16) != gen || next >= n)
      return 0;
    if (atomic_compare_exchange_weak_explicit(
            &g_state, &s, s + 1, memory_order_acq_rel, memory_order_acquire)) {
      *chunk = next;
      *nchunks = n;
      return 1;
    }
  }
}

/* Runs every chunk of generation gen that is still unclaimed. */
static void run_chunks(uint64_t gen) {
  int c, n;
  while (claim(gen, &c, &n)) {
    g_task(g_args, c, n);
    if (atomic_fetch_add_explicit(&g_done, 1, memory_order_acq_rel) + 1 == n) {
      pthread_mutex_lock(&g_mu);
      pthread_cond_signal(&g_done_cv);
      pthread_mutex_unlock(&g_mu);
    }
  }
}

static void *worker_main(void *arg) {
  uint64_t seen = (uint64_t)(uintptr_t)arg;
  for (;;) {
    const int64_t t0 = now_ns();
    for (int i = 1;
         (atomic_load_explicit(&g_state, memory_order_acquire) >> 16) == seen;
         ++i) {
      cpu_relax();
      if ((i & 255) == 0 && now_ns() - t0 > INTC_CPU_SPIN_NS) {
        pthread_mutex_lock(&g_mu);
        while ((atomic_load(&g_state) >> 16) == seen)
          pthread_cond_wait(&g_work_cv, &g_mu);
        pthread_mutex_unlock(&g_mu);
        break;
      }
    }
    seen = atomic_load_explicit(&g_state, memory_order_acquire) >> 16;
    run_chunks(seen);
  }
  return 0;
}

/* Starts workers until nt - 1 exist (the caller holds g_busy). */
static void pool_grow(int nt) {
  while (g_nworkers < nt - 1) {
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    const uint64_t gen = atomic_load(&g_state) >> 16;
    const int rc =
        pthread_create(&th, &attr, worker_main, (void *)(uintptr_t)gen);
    pthread_attr_destroy(&attr);
    if (rc != 0)
      break; /* fewer helpers: the caller claims their chunks */
    ++g_nworkers;
  }
}

static void run_task(intc_cpu_task task, const intc_cpu_args *a, int64_t macs) {
  int nt = atomic_load(&g_threads);
  if (macs < atomic_load(&g_threshold))
    nt = 1;
  if (nt > 1 && pthread_mutex_trylock(&g_busy) != 0)
    nt = 1; /* another caller owns the pool: same results, serially */
  if (nt <= 1) {
    task(a, 0, 1);
    return;
  }
  pool_grow(nt);
  g_task = task;
  g_args = a;
  atomic_store(&g_done, 0);
  pthread_mutex_lock(&g_mu);
  const uint64_t gen = (atomic_load(&g_state) >> 16) + 1;
  atomic_store_explicit(&g_state, gen << 16 | (uint64_t)nt << 8,
                        memory_order_release);
  pthread_cond_broadcast(&g_work_cv);
  pthread_mutex_unlock(&g_mu);
  run_chunks(gen);
  const int64_t t0 = now_ns();
  for (int i = 1; atomic_load_explicit(&g_done, memory_order_acquire) < nt;
       ++i) {
    cpu_relax();
    if ((i & 255) == 0 && now_ns() - t0 > INTC_CPU_SPIN_NS) {
      pthread_mutex_lock(&g_mu);
      while (atomic_load(&g_done) < nt)
        pthread_cond_wait(&g_done_cv, &g_mu);
      pthread_mutex_unlock(&g_mu);
      break;
    }
  }
  pthread_mutex_unlock(&g_busy);
}

static void run(int kind, const intc_cpu_args *a, int64_t macs) {
  init();
  run_task(g_ops[atomic_load(&g_isa)]->task[kind], a, macs);
}

/* ---- loops of generated code ------------------------------------------- */

static void parallel_for_task(const intc_cpu_args *a, int tid, int nt) {
  int64_t lo, hi;
  intc_cpu_split(a->end - a->begin, 1, tid, nt, &lo, &hi);
  if (lo < hi)
    a->body(a->ctx, a->begin + lo, a->begin + hi);
}

void intc_cpu_parallel_for(intc_cpu_loop_body body, void *ctx, int64_t begin,
                           int64_t end) {
  if (end - begin < 2) {
    if (begin < end)
      body(ctx, begin, end);
    return;
  }
  init();
  intc_cpu_args a;
  memset(&a, 0, sizeof a);
  a.body = body;
  a.ctx = ctx;
  a.begin = begin;
  a.end = end;
  /* The compiler sized the loop (intc-outline-parallel-loops' min-work):
   * the kernels' MAC threshold does not apply. */
  run_task(parallel_for_task, &a, INT64_MAX);
}

/* ---- public kernels ---------------------------------------------------- */

#define LIN_ARGS(X, W, D)                                                      \
  intc_cpu_args a;                                                             \
  memset(&a, 0, sizeof a);                                                     \
  a.x = (X);                                                                   \
  a.w = (W);                                                                   \
  a.d = (D);                                                                   \
  a.B = B;                                                                     \
  a.IN = IN;                                                                   \
  a.OUT = OUT

void intc_cpu_linear_acc_i8(const int8_t *x, int64_t x_off, const int32_t *w,
                            int64_t w_off, int64_t *z, int64_t z_off, int64_t B,
                            int64_t IN, int64_t OUT) {
  if (B <= 0 || IN <= 0 || OUT <= 0)
    return;
  LIN_ARGS(x + x_off, w + w_off, 0);
  a.out = z + z_off;
  a.xb = 1;
  run(INTC_CPU_LIN_FWD, &a, B * IN * OUT);
}

void intc_cpu_linear_acc_i16(const int16_t *x, int64_t x_off, const int32_t *w,
                             int64_t w_off, int64_t *z, int64_t z_off,
                             int64_t B, int64_t IN, int64_t OUT) {
  if (B <= 0 || IN <= 0 || OUT <= 0)
    return;
  LIN_ARGS(x + x_off, w + w_off, 0);
  a.out = z + z_off;
  a.xb = 2;
  run(INTC_CPU_LIN_FWD, &a, B * IN * OUT);
}

/* g (+)= d^T x for the four public weight-gradient kernels: zero selects
 * the overwriting ones. */
static void linear_wgrad(const int32_t *d, const void *x, int xb, int64_t *g,
                         int64_t B, int64_t IN, int64_t OUT, int zero) {
  if (IN <= 0 || OUT <= 0)
    return;
  if (B <= 0) {
    if (zero)
      memset(g, 0, (size_t)(IN * OUT) * 8);
    return;
  }
  LIN_ARGS(x, 0, d);
  a.out = g;
  a.xb = xb;
  a.zero = zero;
  run(INTC_CPU_LIN_WGRAD, &a, B * IN * OUT);
}

void intc_cpu_linear_wgrad_acc_i8(const int32_t *d, int64_t d_off,
                                  const int8_t *x, int64_t x_off, int64_t *g,
                                  int64_t g_off, int64_t B, int64_t IN,
                                  int64_t OUT) {
  linear_wgrad(d + d_off, x + x_off, 1, g + g_off, B, IN, OUT, 0);
}

void intc_cpu_linear_wgrad_acc_i16(const int32_t *d, int64_t d_off,
                                   const int16_t *x, int64_t x_off, int64_t *g,
                                   int64_t g_off, int64_t B, int64_t IN,
                                   int64_t OUT) {
  linear_wgrad(d + d_off, x + x_off, 2, g + g_off, B, IN, OUT, 0);
}

void intc_cpu_linear_wgrad_i8(const int32_t *d, int64_t d_off, const int8_t *x,
                              int64_t x_off, int64_t *g, int64_t g_off,
                              int64_t B, int64_t IN, int64_t OUT) {
  linear_wgrad(d + d_off, x + x_off, 1, g + g_off, B, IN, OUT, 1);
}

void intc_cpu_linear_wgrad_i16(const int32_t *d, int64_t d_off,
                               const int16_t *x, int64_t x_off, int64_t *g,
                               int64_t g_off, int64_t B, int64_t IN,
                               int64_t OUT) {
  linear_wgrad(d + d_off, x + x_off, 2, g + g_off, B, IN, OUT, 1);
}

/* w -= sgd(d^T x) for the two fused weight-gradient-and-update kernels. */
static void linear_wgrad_sgd(const int32_t *d, const void *x, int xb,
                             int32_t *w, int64_t B, int64_t IN, int64_t OUT,
                             int64_t div, int64_t decay_inv) {
  if (IN <= 0 || OUT <= 0)
    return;
  if (div < 1 || decay_inv < 0) {
    /* The generated code passes lr_inv * lr_amp >= 1 (the host refuses any
     * other lr_inv) and a decay_inv >= 0 from the model. */
    fprintf(stderr,
            "intc_cpu_linear_wgrad_sgd: divisor %lld, decay_inv %lld: "
            "expected >= 1 and >= 0\n",
            (long long)div, (long long)decay_inv);
    abort();
  }
  LIN_ARGS(x, 0, d);
  a.xb = xb;
  a.wu = w;
  a.dg = intc_cpu_divisor_of(div);
  a.dw = intc_cpu_divisor_of(decay_inv);
  a.dg32 = intc_cpu_divisor32_of(div);
  a.dw32 = intc_cpu_divisor32_of(decay_inv);
  if (B <= 0) {
    intc_cpu_sgd_rows(w, IN, 0, 0, OUT, IN, &a.dg, &a.dw);
    return;
  }
  run(INTC_CPU_LIN_WGRAD, &a, B * IN * OUT);
}

void intc_cpu_linear_wgrad_sgd_i8(const int32_t *d, int64_t d_off,
                                  const int8_t *x, int64_t x_off, int32_t *w,
                                  int64_t w_off, int64_t B, int64_t IN,
                                  int64_t OUT, int64_t div, int64_t decay_inv) {
  linear_wgrad_sgd(d + d_off, x + x_off, 1, w + w_off, B, IN, OUT, div,
                   decay_inv);
}

void intc_cpu_linear_wgrad_sgd_i16(const int32_t *d, int64_t d_off,
                                   const int16_t *x, int64_t x_off, int32_t *w,
                                   int64_t w_off, int64_t B, int64_t IN,
                                   int64_t OUT, int64_t div,
                                   int64_t decay_inv) {
  linear_wgrad_sgd(d + d_off, x + x_off, 2, w + w_off, B, IN, OUT, div,
                   decay_inv);
}

/* Fills the conv fields; returns the number of multiply-accumulates, or 0
 * when there is nothing to do. */
static int64_t conv_args(intc_cpu_args *a, int64_t B, int64_t C, int64_t Hp,
                         int64_t Wp, int64_t F, int64_t K) {
  memset(a, 0, sizeof *a);
  if (B <= 0 || C <= 0 || F <= 0 || K <= 0 || Hp < K || Wp < K)
    return 0;
  a->B = B;
  a->C = C;
  a->Hp = Hp;
  a->Wp = Wp;
  a->F = F;
  a->K = K;
  a->Ho = Hp - K + 1;
  a->Wo = Wp - K + 1;
  return B * F * C * K * K * a->Ho * a->Wo;
}

/* The dense conv kernels: z (+)= conv(x, w) (task INTC_CPU_CONV_FWD, w
 * set) or g += the weight gradient of d (INTC_CPU_CONV_WGRAD, d set). The
 * SIMD forward runs in two phases on the same instruction set: the weights
 * packed once into the caller's shared scratch, split over filters, then
 * the conv. */
static void conv_dense(int task, const void *x, int xb, const int32_t *w,
                       const int32_t *d, int64_t *out, int64_t B, int64_t C,
                       int64_t Hp, int64_t Wp, int64_t F, int64_t K) {
  intc_cpu_args a;
  const int64_t macs = conv_args(&a, B, C, Hp, Wp, F, K);
  if (!macs)
    return;
  a.x = x;
  a.xb = xb;
  a.w = w;
  a.d = d;
  a.out = out;
  init();
  const intc_cpu_ops *ops = g_ops[atomic_load(&g_isa)];
  if (task == INTC_CPU_CONV_FWD && ops->task[INTC_CPU_CONV_FWD_PACK]) {
    /* Slice headers, both limbs of every filter's packed weights, then the
     * residuals (at most one weight in `ratio`), each part 64-byte aligned. */
    const int64_t kp = (C + 1) / 2 * K * K;
    a.ratio = intc_cpu_conv_residual_ratio();
    const size_t hdr =
        ((INTC_CPU_MAX_THREADS * sizeof(intc_cpu_wslice) + 63) / 64) * 64;
    const size_t wbytes = (size_t)(F * kp) * 8;
    const size_t nres = a.ratio > 0 ? (size_t)(F * C * K * K / a.ratio) : 0;
    unsigned char *p = (unsigned char *)intc_cpu_scratch(
        INTC_CPU_SLOT_SHARED, hdr + wbytes + nres * sizeof(intc_cpu_residual));
    a.ws = (intc_cpu_wslice *)p;
    a.wp = (int16_t *)(p + hdr);
    a.wres = (intc_cpu_residual *)(p + hdr + wbytes);
    run_task(ops->task[INTC_CPU_CONV_FWD_PACK], &a, macs);
  }
  run_task(ops->task[task], &a, macs);
}

void intc_cpu_conv2d_acc_i8(const int8_t *xp, int64_t x_off, const int32_t *w,
                            int64_t w_off, int64_t *z, int64_t z_off, int64_t B,
                            int64_t C, int64_t Hp, int64_t Wp, int64_t F,
                            int64_t K) {
  conv_dense(INTC_CPU_CONV_FWD, xp + x_off, 1, w + w_off, 0, z + z_off, B, C,
             Hp, Wp, F, K);
}

void intc_cpu_conv2d_acc_i16(const int16_t *xp, int64_t x_off, const int32_t *w,
                             int64_t w_off, int64_t *z, int64_t z_off,
                             int64_t B, int64_t C, int64_t Hp, int64_t Wp,
                             int64_t F, int64_t K) {
  conv_dense(INTC_CPU_CONV_FWD, xp + x_off, 2, w + w_off, 0, z + z_off, B, C,
             Hp, Wp, F, K);
}

void intc_cpu_conv2d_wgrad_acc_i8(const int32_t *d, int64_t d_off,
                                  const int8_t *xp, int64_t x_off, int64_t *g,
                                  int64_t g_off, int64_t B, int64_t C,
                                  int64_t Hp, int64_t Wp, int64_t F,
                                  int64_t K) {
  conv_dense(INTC_CPU_CONV_WGRAD, xp + x_off, 1, 0, d + d_off, g + g_off, B, C,
             Hp, Wp, F, K);
}

void intc_cpu_conv2d_wgrad_acc_i16(const int32_t *d, int64_t d_off,
                                   const int16_t *xp, int64_t x_off, int64_t *g,
                                   int64_t g_off, int64_t B, int64_t C,
                                   int64_t Hp, int64_t Wp, int64_t F,
                                   int64_t K) {
  conv_dense(INTC_CPU_CONV_WGRAD, xp + x_off, 2, 0, d + d_off, g + g_off, B, C,
             Hp, Wp, F, K);
}

/* Two phases on the same instruction set: the pack (if the ISA has one) into
 * the caller's shared scratch, split over images, then the gradient, split
 * over filters. */
static void conv_wgrad_sparse(const int32_t *d, const int32_t *ind,
                              const void *x, int xb, int64_t *g, int64_t B,
                              int64_t C, int64_t Hp, int64_t Wp, int64_t F,
                              int64_t K, int64_t GH, int64_t GW) {
  intc_cpu_args a;
  if (!conv_args(&a, B, C, Hp, Wp, F, K) || GH <= 0 || GW <= 0)
    return;
  init();
  const intc_cpu_ops *ops = g_ops[atomic_load(&g_isa)];
  a.x = x;
  a.xb = xb;
  a.d = d;
  a.ind = ind;
  a.out = g;
  a.GH = GH;
  a.GW = GW;
  const int64_t macs = B * F * GH * GW * C * K * K;
  if (ops->task[INTC_CPU_CONV_WGRAD_SPARSE_PACK]) {
    /* x channels-last, 128 spare zero bytes (the SIMD loads of a patch row
     * round its length up to whole vectors), then the per-image maxima. */
    /* Rounded up to 64 so that the int32 maxima after it are aligned; all
     * the bytes after the packed x are zero. */
    const size_t xdata = (size_t)(B * Hp * Wp * C * xb);
    const size_t xbytes = ((xdata + 128 + 63) / 64) * 64;
    unsigned char *p = (unsigned char *)intc_cpu_scratch(
        INTC_CPU_SLOT_SHARED, xbytes + (size_t)B * sizeof(int32_t));
    memset(p + xdata, 0, xbytes - xdata);
    a.xt = p;
    a.xmax = (int32_t *)(p + xbytes);
    run_task(ops->task[INTC_CPU_CONV_WGRAD_SPARSE_PACK], &a, macs);
  }
  run_task(ops->task[INTC_CPU_CONV_WGRAD_SPARSE], &a, macs);
}

void intc_cpu_conv2d_wgrad_sparse_acc_i8(const int32_t *d, int64_t d_off,
                                         const int32_t *ind, int64_t ind_off,
                                         const int8_t *xp, int64_t x_off,
                                         int64_t *g, int64_t g_off, int64_t B,
                                         int64_t C, int64_t Hp, int64_t Wp,
                                         int64_t F, int64_t K, int64_t GH,
                                         int64_t GW) {
  conv_wgrad_sparse(d + d_off, ind + ind_off, xp + x_off, 1, g + g_off, B, C,
                    Hp, Wp, F, K, GH, GW);
}

void intc_cpu_conv2d_wgrad_sparse_acc_i16(const int32_t *d, int64_t d_off,
                                          const int32_t *ind, int64_t ind_off,
                                          const int16_t *xp, int64_t x_off,
                                          int64_t *g, int64_t g_off, int64_t B,
                                          int64_t C, int64_t Hp, int64_t Wp,
                                          int64_t F, int64_t K, int64_t GH,
                                          int64_t GW) {
  conv_wgrad_sparse(d + d_off, ind + ind_off, xp + x_off, 2, g + g_off, B, C,
                    Hp, Wp, F, K, GH, GW);
}
