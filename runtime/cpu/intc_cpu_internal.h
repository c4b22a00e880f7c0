/* intc_cpu_internal.h - shared declarations of the runtime/cpu sources (not
 * installed, not for generated code). */
#ifndef INTC_RUNTIME_CPU_INTC_CPU_INTERNAL_H
#define INTC_RUNTIME_CPU_INTC_CPU_INTERNAL_H

#include "runtime/cpu/intc_cpu_sgd.h"

#include <stddef.h>
#include <stdint.h>

/* One kernel call, with every pointer already advanced by its offset. The
 * same struct serves every kernel; unused fields are zero. */
typedef struct intc_cpu_args {
  const void *x;    /* activations (int8 or int16, see xb) */
  const int32_t *w; /* weights (forward kernels) */
  const int32_t *d; /* deltas (weight-gradient kernels) */
  int64_t *out;     /* z or g, accumulated into */
  int zero;         /* linear weight gradient: g overwritten, not accumulated */
  /* Linear weight gradient with the update fused (wu non-null): no g; each
   * tile of the gradient updates wu (OUT x IN) in place, intc_cpu_sgd.h. */
  int32_t *wu;
  intc_cpu_divisor dg, dw;         /* lr_inv * lr_amp, decay_inv (0: none) */
  intc_cpu_divisor32 dg32, dw32;   /* the same for 32-bit lanes */
  int xb;                          /* bytes per element of x: 1 or 2 */
  int64_t B, IN, OUT;              /* linear */
  int64_t C, Hp, Wp, F, K, Ho, Wo; /* conv */
  /* Sparse conv weight gradient: d and ind are B x F x GH x GW. The SIMD
   * paths first pack x channels-last into xt (B x Hp x Wp x C, xb bytes per
   * element, shared by all threads, written by the pack task) with xmax[m] =
   * max |x| of image m. */
  const int32_t *ind;
  int64_t GH, GW;
  void *xt;
  /* intc_cpu_parallel_for: body(ctx, lo, hi) over [begin, end). */
  void (*body)(void *ctx, int64_t lo, int64_t hi);
  void *ctx;
  int64_t begin, end;
  int32_t *xmax;
  /* Conv forward on SIMD paths: the pack task (INTC_CPU_CONV_FWD_PACK)
   * packs the weights into wp, one slice of filters per chunk, described by
   * ws[chunk] (its residuals at wres + ws[chunk].roff); the conv task reads
   * them, shared by all threads. ratio: intc_cpu_conv_residual_ratio(). */
  struct intc_cpu_wslice *ws;
  int16_t *wp;
  struct intc_cpu_residual *wres;
  int64_t ratio;
} intc_cpu_args;

/* A kernel body for thread tid of nt; each thread owns a disjoint slice of
 * the OUT (linear) or F (conv) dimension, or of the images (the conv
 * forward of a batch), so results do not depend on nt. */
typedef void (*intc_cpu_task)(const intc_cpu_args *a, int tid, int nt);

enum {
  INTC_CPU_LIN_FWD = 0,
  INTC_CPU_LIN_WGRAD = 1,
  INTC_CPU_CONV_FWD = 2,
  INTC_CPU_CONV_WGRAD = 3,
  INTC_CPU_CONV_WGRAD_SPARSE_PACK = 4, /* split over images; may be null */
  INTC_CPU_CONV_WGRAD_SPARSE = 5,      /* split over filters */
  INTC_CPU_CONV_FWD_PACK = 6, /* split over filters; null: none needed */
  INTC_CPU_KIND_COUNT = 7
};

typedef struct intc_cpu_ops {
  intc_cpu_task task[INTC_CPU_KIND_COUNT];
} intc_cpu_ops;

extern const intc_cpu_ops intc_cpu_ops_scalar;
#if defined(__x86_64__) || defined(__i386__)
#define INTC_CPU_X86 1
extern const intc_cpu_ops intc_cpu_ops_avx2;
extern const intc_cpu_ops intc_cpu_ops_avxvnni;
extern const intc_cpu_ops intc_cpu_ops_avx512bw;
extern const intc_cpu_ops intc_cpu_ops_avx512vnni;
#endif

/* Splits [0, n) into nt contiguous slices made of whole `unit`s, as evenly as
 * possible; thread tid gets [*lo, *hi) (possibly empty). */
static inline void intc_cpu_split(int64_t n, int64_t unit, int tid, int nt,
                                  int64_t *lo, int64_t *hi) {
  const int64_t units = (n + unit - 1) / unit;
  const int64_t q = units / nt, r = units % nt;
  const int64_t u0 = tid * q + (tid < r ? tid : r);
  const int64_t u1 = u0 + q + (tid < r ? 1 : 0);
  *lo = u0 * unit < n ? u0 * unit : n;
  *hi = u1 * unit < n ? u1 * unit : n;
}

/* The number of int16-pair steps an int32 lane may accumulate exactly when
 * every A element has |a| <= ma and every B element |b| <= mb: each step adds
 * a0 * b0 + a1 * b1, so S steps stay within 2 * S * ma * mb <= 2^31 - 1 and
 * the wrapping int32 sum equals the true sum. 0 means even one step may not
 * fit (the caller must take the int64 path); ma or mb == 0: unlimited. */
static inline int64_t intc_cpu_chunk_steps(int64_t ma, int64_t mb) {
  const int64_t p = 2 * ma * mb;
  return p == 0 ? INT64_MAX : INT64_C(2147483647) / p;
}

/* Exact int64 kernels over a slice (the reference path and the fallback of
 * the SIMD paths). o/f: output-row slice; m: image slice. The linear weight
 * gradient with a->wu updates those weights row by row instead. */
void intc_cpu_scalar_lin_fwd(const intc_cpu_args *a, int64_t o0, int64_t o1);
void intc_cpu_scalar_lin_wgrad(const intc_cpu_args *a, int64_t o0, int64_t o1);
void intc_cpu_scalar_conv_fwd(const intc_cpu_args *a, int64_t f0, int64_t f1,
                              int64_t m0, int64_t m1);
void intc_cpu_scalar_conv_wgrad(const intc_cpu_args *a, int64_t f0, int64_t f1,
                                int64_t m0, int64_t m1);
/* Reads x in its own B x C x Hp x Wp layout (not xt) and adds into g. */
void intc_cpu_scalar_conv_wgrad_sparse(const intc_cpu_args *a, int64_t f0,
                                       int64_t f1, int64_t m0, int64_t m1);

/* An int32 operand beyond int16 that a SIMD kernel clamped to int16, and
 * the remainder r = v - clamp(v) it adds back afterwards, exactly, in int64:
 * conv forward: weight of filter f (of the thread's slice), channel c, tap
 * t = u * K + v; linear forward: weight of output f (of the panel) and input
 * c; linear weight gradient: delta of output f (of the slice) and sample c
 * (t unused in both). */
typedef struct intc_cpu_residual {
  int64_t f, c, t;
  int32_t r; /* |v| < 2^31 and |clamp(v)| <= 2^15: r fits int32 */
} intc_cpu_residual;

/* One slice of filters of the conv forward's packed weights (the pack
 * task's chunk): how its weights were packed, chosen from their own range
 * (FN(limbs_or_clamp)). Every slice records how many there are: the conv
 * task may run on another number of chunks (a busy pool runs one). */
typedef struct intc_cpu_wslice {
  int64_t f0, f1;     /* filters [f0, f1) */
  int64_t mw;         /* max |packed value| */
  int64_t l1;         /* one limb: max over filters and KC_CONV-step chunks
                         of the chunk's sum of |packed value| */
  int64_t roff, nres; /* residuals (absolute filter index) at wres + roff */
  int nl;             /* limbs; 0: beyond two, the int64 path */
  int lsh;            /* limb shift (nl == 2) */
  int zero;           /* every weight is 0, or the slice is empty */
  int nslices;
} intc_cpu_wslice;

/* The conv forward (weights) and the linear weight gradient (deltas) clamp
 * a slice's operand to int16 when at most one value in this many is beyond
 * it, and add the residuals; with more, two int16 limbs are cheaper. The
 * ratio in use: $INTC_CPU_CONV_RESIDUAL_RATIO if set (0: always two limbs,
 * for comparisons), else this default. */
#define INTC_CPU_CONV_RESIDUAL_RATIO 64
int64_t intc_cpu_conv_residual_ratio(void);

/* The same for the linear forward (weights), whose residuals cost one
 * multiply-add per sample each (lin_fwd_residual), so they pay at a higher
 * density, and for the linear weight gradient fused with its update
 * (deltas; residuals summed per row group and band, added tile by tile).
 * $INTC_CPU_LIN_RESIDUAL_RATIO overrides it (0: always two limbs). */
#define INTC_CPU_LIN_RESIDUAL_RATIO 8
int64_t intc_cpu_lin_residual_ratio(void);

/* Per-thread packing scratch: slot `slot` of the calling thread, at least
 * `bytes` long, 64-byte aligned, contents unspecified. Aborts when out of
 * memory (the kernels have no error channel). */
enum {
  INTC_CPU_SLOT_A = 0,
  INTC_CPU_SLOT_B = 1,
  INTC_CPU_SLOT_OFF = 2,
  INTC_CPU_SLOT_C = 3,
  INTC_CPU_SLOT_SHARED = 4, /* filled by the caller, read by every worker */
  INTC_CPU_SLOT_RES = 5,    /* residuals of a clamped operand */
  INTC_CPU_SLOT_COUNT = 6
};
void *intc_cpu_scratch(int slot, size_t bytes);

#endif /* INTC_RUNTIME_CPU_INTC_CPU_INTERNAL_H */
