/* intc_cpu_kernels.h - fast, bit-exact host microkernels of the CPU target.
 *
 * The compiler's CPU target lowers the heavy step ops (the matmul-like
 * reductions of ALGORITHM.md §2.1-§2.2) to calls to these functions.
 *
 * Semantics (every kernel):
 * - ACCUMULATING: the output is added to (`+=`), never overwritten.
 * - Exact integer arithmetic: the result equals a plain int64 loop for every
 *   input (runtime/c/intc_linear.c and intc_conv.c are the reference). The
 *   SIMD paths use int16 x int16 -> int32 dot products (VNNI vpdpwssd) only
 *   after a run-time range check of the actual operands proves that no int32
 *   partial sum can overflow; otherwise they fall back to an exact int64 path.
 *   Results are therefore identical for every ISA and every thread count.
 * - Every tensor is (base pointer, element offset): the kernel reads
 *   base[off + ...]; the data is row-major contiguous from there. No
 *   alignment is required. Outputs must not overlap inputs.
 * - Sizes are int64_t and may be 0 (nothing happens); they must be >= 0.
 *
 * Resources: the first call detects the CPU (once) and reads INTC_THREADS
 * (default = online CPUs, at most 64). The first call of at least 2^20 MACs
 * starts a persistent pool of detached worker threads that lives until the
 * process exits; the call's OUT (linear) or F (conv) dimension is cut into
 * one chunk per thread and the chunks are claimed, so a preempted worker
 * costs at most the serial time. Idle workers spin ~200 us, then sleep. The
 * pool is not fork-safe while a call is in flight. Packing scratch (malloc,
 * 64-byte aligned) is per calling thread and per worker, grows to the largest
 * shape seen and is freed when the thread exits (or by
 * intc_cpu_release_scratch); a call aborts if it cannot be allocated. The
 * kernels are thread-safe; a caller that finds the pool busy runs serially.
 */
#ifndef INTC_RUNTIME_CPU_INTC_CPU_KERNELS_H
#define INTC_RUNTIME_CPU_INTC_CPU_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Linear (ALGORITHM.md §2.1) --------------------------------------- */

/* z[b, o] += sum_i x[b, i] * w[o, i].
 * x: B x IN, w: OUT x IN (int32), z: B x OUT (int64). */
void intc_cpu_linear_acc_i8(const int8_t *x, int64_t x_off, const int32_t *w,
                            int64_t w_off, int64_t *z, int64_t z_off, int64_t B,
                            int64_t IN, int64_t OUT);
void intc_cpu_linear_acc_i16(const int16_t *x, int64_t x_off, const int32_t *w,
                             int64_t w_off, int64_t *z, int64_t z_off,
                             int64_t B, int64_t IN, int64_t OUT);

/* g[o, i] += sum_b d[b, o] * x[b, i].
 * d: B x OUT (int32), x: B x IN, g: OUT x IN (int64). */
void intc_cpu_linear_wgrad_acc_i8(const int32_t *d, int64_t d_off,
                                  const int8_t *x, int64_t x_off, int64_t *g,
                                  int64_t g_off, int64_t B, int64_t IN,
                                  int64_t OUT);
void intc_cpu_linear_wgrad_acc_i16(const int32_t *d, int64_t d_off,
                                   const int16_t *x, int64_t x_off, int64_t *g,
                                   int64_t g_off, int64_t B, int64_t IN,
                                   int64_t OUT);

/* g[o, i] = sum_b d[b, o] * x[b, i]: the same, overwriting g. What the
 * generated code calls instead of zeroing g and accumulating into it
 * (intc-use-microkernels): each tile of g is zeroed right before its kernel
 * adds into it, while it is in L1, instead of a memset pass over the whole
 * int64 gradient (72 MB for a 3000 x 3000 layer). */
void intc_cpu_linear_wgrad_i8(const int32_t *d, int64_t d_off, const int8_t *x,
                              int64_t x_off, int64_t *g, int64_t g_off,
                              int64_t B, int64_t IN, int64_t OUT);
void intc_cpu_linear_wgrad_i16(const int32_t *d, int64_t d_off,
                               const int16_t *x, int64_t x_off, int64_t *g,
                               int64_t g_off, int64_t B, int64_t IN,
                               int64_t OUT);

/* w[o, i] = wrap32(w - tdiv(g[o, i], div) - tdiv(w, decay_inv)) with
 * g[o, i] = sum_b d[b, o] * x[b, i] (no decay term when decay_inv == 0):
 * the weight gradient and the integer SGD update (ALGORITHM.md §4.1) in one
 * pass, each tile of g summed in L1 and applied at once, so g never exists
 * in memory. What the generated code calls for a linear weight gradient
 * whose only use is its update (intc-use-microkernels). div = lr_inv *
 * lr_amp >= 1, decay_inv >= 0 (anything else aborts: a compiler bug). */
void intc_cpu_linear_wgrad_sgd_i8(const int32_t *d, int64_t d_off,
                                  const int8_t *x, int64_t x_off, int32_t *w,
                                  int64_t w_off, int64_t B, int64_t IN,
                                  int64_t OUT, int64_t div, int64_t decay_inv);
void intc_cpu_linear_wgrad_sgd_i16(const int32_t *d, int64_t d_off,
                                   const int16_t *x, int64_t x_off, int32_t *w,
                                   int64_t w_off, int64_t B, int64_t IN,
                                   int64_t OUT, int64_t div, int64_t decay_inv);

/* ---- Conv2d, stride 1, input already zero-padded (ALGORITHM.md §2.2) --- */

/* z[m, f, i, j] += sum_{c,u,v} w[f, c, u, v] * xp[m, c, i + u, j + v].
 * xp: B x C x Hp x Wp, w: F x C x K x K (int32), z: B x F x Ho x Wo (int64)
 * with Ho = Hp - K + 1, Wo = Wp - K + 1 (nothing happens unless both > 0). */
void intc_cpu_conv2d_acc_i8(const int8_t *xp, int64_t x_off, const int32_t *w,
                            int64_t w_off, int64_t *z, int64_t z_off, int64_t B,
                            int64_t C, int64_t Hp, int64_t Wp, int64_t F,
                            int64_t K);
void intc_cpu_conv2d_acc_i16(const int16_t *xp, int64_t x_off, const int32_t *w,
                             int64_t w_off, int64_t *z, int64_t z_off,
                             int64_t B, int64_t C, int64_t Hp, int64_t Wp,
                             int64_t F, int64_t K);

/* g[f, c, u, v] += sum_{m,i,j} d[m, f, i, j] * xp[m, c, i + u, j + v].
 * d: B x F x Ho x Wo (int32), xp as above, g: F x C x K x K (int64). */
void intc_cpu_conv2d_wgrad_acc_i8(const int32_t *d, int64_t d_off,
                                  const int8_t *xp, int64_t x_off, int64_t *g,
                                  int64_t g_off, int64_t B, int64_t C,
                                  int64_t Hp, int64_t Wp, int64_t F, int64_t K);
void intc_cpu_conv2d_wgrad_acc_i16(const int32_t *d, int64_t d_off,
                                   const int16_t *xp, int64_t x_off, int64_t *g,
                                   int64_t g_off, int64_t B, int64_t C,
                                   int64_t Hp, int64_t Wp, int64_t F,
                                   int64_t K);

/* Sparse weight gradient (ALGORITHM.md §6.5): delta is non-zero at one
 * position per learning-pool cell, given on the pooled grid with its flat
 * position idx = i * Wo + j in the Ho x Wo output plane (Ho = Hp - K + 1,
 * Wo = Wp - K + 1):
 *   g[f, c, u, v] += sum_{m, gh, gw : 0 <= idx < Ho * Wo}
 *                      d[m, f, gh, gw] * xp[m, c, i + u, j + v]
 * with idx = ind[m, f, gh, gw], i = idx / Wo, j = idx % Wo; ind = -1 (any
 * value outside [0, Ho * Wo)) means "no position" and adds nothing. This is
 * intc_cpu_conv2d_wgrad_acc on the delta scattered to (i, j) (summed where
 * two cells name the same position) with GH * GW terms per image and filter
 * instead of Ho * Wo. d, ind: B x F x GH x GW (int32), xp: B x C x Hp x Wp
 * (already padded), g: F x C x K x K (int64). The SIMD paths pack xp
 * channels-last into the caller's scratch (B * Hp * Wp * C * sizeof(*xp)
 * bytes, kept like the other scratch). */
void intc_cpu_conv2d_wgrad_sparse_acc_i8(const int32_t *d, int64_t d_off,
                                         const int32_t *ind, int64_t ind_off,
                                         const int8_t *xp, int64_t x_off,
                                         int64_t *g, int64_t g_off, int64_t B,
                                         int64_t C, int64_t Hp, int64_t Wp,
                                         int64_t F, int64_t K, int64_t GH,
                                         int64_t GW);
void intc_cpu_conv2d_wgrad_sparse_acc_i16(const int32_t *d, int64_t d_off,
                                          const int32_t *ind, int64_t ind_off,
                                          const int16_t *xp, int64_t x_off,
                                          int64_t *g, int64_t g_off, int64_t B,
                                          int64_t C, int64_t Hp, int64_t Wp,
                                          int64_t F, int64_t K, int64_t GH,
                                          int64_t GW);

/* ---- Tuning and testing knobs (not for generated code) ----------------- */

/* Instruction-set levels, in increasing preference. */
enum {
  INTC_CPU_ISA_SCALAR = 0,     /* portable int64 loops (the reference) */
  INTC_CPU_ISA_AVX2 = 1,       /* ymm, vpmaddwd + vpaddd */
  INTC_CPU_ISA_AVXVNNI = 2,    /* ymm, VEX vpdpwssd */
  INTC_CPU_ISA_AVX512BW = 3,   /* zmm, vpmaddwd + vpaddd */
  INTC_CPU_ISA_AVX512VNNI = 4, /* zmm, EVEX vpdpwssd */
  INTC_CPU_ISA_COUNT = 5
};

/* Non-zero if this CPU (and OS) can run `isa`. */
int intc_cpu_isa_supported(int isa);
/* Short lower-case name of `isa` ("scalar", "avx2", ...); "?" if invalid. */
const char *intc_cpu_isa_name(int isa);
/* Selects the highest supported level <= isa (a negative isa restores the
 * automatic choice, the best supported level). Returns the level now used. */
int intc_cpu_set_isa(int isa);
int intc_cpu_get_isa(void);

/* Number of threads a large call is split over (1..64). n <= 0 restores the
 * default: $INTC_THREADS if set, else the number of online CPUs. Returns the
 * value now used. */
int intc_cpu_set_threads(int n);
int intc_cpu_get_threads(void);

/* Calls with fewer multiply-accumulates than this run on the calling thread
 * only. A negative value restores the default; 0 splits every call. Returns
 * the value now used. */
int64_t intc_cpu_set_parallel_threshold(int64_t macs);

/* ---- Loops of generated code ------------------------------------------ */

/* The body of a parallel loop: iterations [lo, hi) of it, with `ctx` the
 * values the loop reads (intc-outline-parallel-loops and
 * intc-lower-parallel-calls generate both). */
typedef void (*intc_cpu_loop_body)(void *ctx, int64_t lo, int64_t hi);

/* Runs body(ctx, lo, hi) over [begin, end), cut into one contiguous slice
 * per thread of the pool (intc_cpu_set_threads), the calling thread taking
 * its share; returns when every slice is done. The slices are disjoint and
 * cover the range, so a body whose iterations write disjoint memory gives
 * the same result for every thread count. Runs body(ctx, begin, end) on the
 * calling thread when there is one thread, fewer than 2 iterations, or the
 * pool is busy (a call from inside a kernel or another loop). The compiler
 * only emits calls for loops worth a dispatch. */
void intc_cpu_parallel_for(intc_cpu_loop_body body, void *ctx, int64_t begin,
                           int64_t end);

/* Frees the calling thread's packing scratch (it is re-allocated on demand). */
void intc_cpu_release_scratch(void);

#ifdef __cplusplus
}
#endif

#endif /* INTC_RUNTIME_CPU_INTC_CPU_KERNELS_H */
