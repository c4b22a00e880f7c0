/* intc_kernels.h - reference kernels for every step-level op of intc.
 *
 * These are the executable specification the compiled code is compared with
 * bit for bit, and the kernels of the portable C target. Conventions:
 *
 * - Layouts are row-major: matrices (rows, cols), images NCHW. "x int8/int16"
 *   kernels come in _i8 and _i16 variants with identical semantics; an int16
 *   input only arises after a training-mode Dropout.
 * - tdiv(a, b) is division rounding toward zero (C `/`).
 * - Deviation from the reference (ALGORITHM.md §11.1): every dot product and
 *   gradient sum accumulates in int64 and is returned as int64, where the
 *   reference accumulates in (wrapping) int32. The results are equal whenever
 *   the reference did not overflow. Values that the reference stores as int32
 *   are narrowed here with intc_wrap32 (two's-complement truncation).
 * - Output buffers must not alias inputs unless a function says otherwise.
 * - Sizes are int32_t, element counts of whole tensors int64_t.
 */
#ifndef INTC_RUNTIME_C_INTC_KERNELS_H
#define INTC_RUNTIME_C_INTC_KERNELS_H

#include <stdint.h>

#include "runtime/c/intc_activations.h"
#include "runtime/c/intc_arith.h"
#include "runtime/c/intc_rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Linear (ALGORITHM.md §2.1) --------------------------------------- */

/* z[b, o] = sum_i x[b, i] * W[o, i]. x (batch, in), W (out, in), z (batch,
 * out). */
void intc_linear_fwd_i8(const int8_t *x, const int32_t *w, int64_t *z,
                        int32_t batch, int32_t in, int32_t out);
void intc_linear_fwd_i16(const int16_t *x, const int32_t *w, int64_t *z,
                         int32_t batch, int32_t in, int32_t out);

/* Weight gradient G[o, i] = sum_b delta[b, o] * x[b, i] (a sum over the
 * batch, not a mean). delta (batch, out), x (batch, in), G (out, in). */
void intc_linear_wgrad_i8(const int32_t *delta, const int8_t *x, int64_t *g,
                          int32_t batch, int32_t in, int32_t out);
void intc_linear_wgrad_i16(const int32_t *delta, const int16_t *x, int64_t *g,
                           int32_t batch, int32_t in, int32_t out);

/* Input gradient din[b, i] = wrap32(sum_o delta[b, o] * W[o, i]), with the
 * pre-update W. The int64 sum narrowed by truncation equals the reference's
 * wrapping int32 arithmetic exactly. din (batch, in). */
void intc_linear_dgrad(const int32_t *delta, const int32_t *w, int32_t *din,
                       int32_t batch, int32_t in, int32_t out);

/* ---- Conv2d, stride 1, zero padding (ALGORITHM.md §2.2) --------------- */

/* Output size of a stride-1 conv: h + 2 * pad - k + 1 (computed in int64;
 * 0 when the kernel does not fit, INT32_MAX at most). */
static inline int32_t intc_conv2d_out_size(int32_t h, int32_t k, int32_t pad) {
  const int64_t o = (int64_t)h + 2 * (int64_t)pad - k + 1;
  return o < 0 ? 0 : o > INT32_MAX ? INT32_MAX : (int32_t)o;
}

/* Cross-correlation (no kernel flip):
 * z[m, f, i, j] = sum_{c,u,v} W[f, c, u, v] * x_pad[m, c, i + u, j + v]
 * where x_pad is x zero-padded by pad on each side of H and W.
 * x (batch, c, h, w), W (f, c, k, k), z (batch, f, ho, wo). */
void intc_conv2d_fwd_i8(const int8_t *x, const int32_t *w, int64_t *z,
                        int32_t batch, int32_t c, int32_t h, int32_t wd,
                        int32_t f, int32_t k, int32_t pad);
void intc_conv2d_fwd_i16(const int16_t *x, const int32_t *w, int64_t *z,
                         int32_t batch, int32_t c, int32_t h, int32_t wd,
                         int32_t f, int32_t k, int32_t pad);

/* Weight gradient G[f, c, u, v] = sum_{m,i,j} delta[m, f, i, j] *
 * x_pad[m, c, i + u, j + v]. delta (batch, f, ho, wo), G (f, c, k, k). No
 * input gradient exists: conv encoders never propagate (§2.2, Q15). */
void intc_conv2d_wgrad_i8(const int32_t *delta, const int8_t *x, int64_t *g,
                          int32_t batch, int32_t c, int32_t h, int32_t wd,
                          int32_t f, int32_t k, int32_t pad);
void intc_conv2d_wgrad_i16(const int32_t *delta, const int16_t *x, int64_t *g,
                           int32_t batch, int32_t c, int32_t h, int32_t wd,
                           int32_t f, int32_t k, int32_t pad);

/* ---- NITRO-Scaling (ALGORITHM.md §2.3) -------------------------------- */

/* y = int8(clip(tdiv(z, factor), -127, 127)), factor > 0. Backward is the
 * identity, so there is no backward kernel. */
void intc_rescale(const int64_t *z, int8_t *y, int64_t n, int64_t factor);

/* ---- MaxPool2d, kernel = stride (ALGORITHM.md §2.5) ------------------- */

/* Output size floor((h + 2 * pad - k) / k) + 1 (k >= 1); leftover rows are
 * ignored, and a window larger than the padded input gives 0. */
static inline int32_t intc_maxpool_out_size(int32_t h, int32_t k, int32_t pad) {
  const int64_t span = (int64_t)h + 2 * (int64_t)pad - k;
  if (k < 1 || span < 0)
    return 0;
  return span / k + 1 > INT32_MAX ? INT32_MAX : (int32_t)(span / k + 1);
}

/* y[m, c, oi, oj] = max over the kh x kw window whose top-left corner is
 * (oi * kh - ph, oj * kw - pw) in unpadded coordinates; positions outside the
 * input read pad_value (the reference's learning-head pools pad with 0, Q5).
 * argmax (same shape as y, may be NULL when no backward follows) receives the
 * FIRST maximum in row-major order within the window, encoded as the flat
 * index hi * wd + wi into the unpadded input plane of (m, c), or -1 when that
 * first maximum lies in the padding. */
void intc_maxpool2d_fwd_i8(const int8_t *x, int8_t *y, int32_t *argmax,
                           int32_t batch, int32_t c, int32_t h, int32_t wd,
                           int32_t kh, int32_t kw, int32_t ph, int32_t pw,
                           int32_t pad_value);
void intc_maxpool2d_fwd_i16(const int16_t *x, int16_t *y, int32_t *argmax,
                            int32_t batch, int32_t c, int32_t h, int32_t wd,
                            int32_t kh, int32_t kw, int32_t ph, int32_t pw,
                            int32_t pad_value);

/* din (batch, c, h, wd) = 0 everywhere except din[m, c, argmax] =
 * delta[m, c, oi, oj] for every output element whose argmax is not -1
 * (padding winners are dropped). Windows never overlap, so no position
 * receives two values. oh, ow: the pooled size. */
void intc_maxpool2d_bwd(const int32_t *delta, const int32_t *argmax,
                        int32_t *din, int32_t batch, int32_t c, int32_t h,
                        int32_t wd, int32_t oh, int32_t ow);

/* ---- Flatten (ALGORITHM.md §2.7) --------------------------------------
 * (batch, c, h, w) -> (batch, c * h * w) in C order is the identity on
 * contiguous NCHW memory, so there is no kernel: callers reinterpret the
 * buffer. The same holds for its backward. */

/* ---- Dropout (ALGORITHM.md §2.8) -------------------------------------- */

/* 1000 x rescale factor for a rate given in permille: 50 -> 1052,
 * 100 -> 1111, ..., 950 -> 20000; 0 if permille is not a multiple of 50 in
 * [50, 950]. */
int32_t intc_dropout_factor(int32_t permille);

/* Keep decision for flat element i of training step `step` of dropout layer
 * `layer` (numel = elements of the whole batch tensor):
 *   key = intc_rng_key(seed, INTC_RNG_STREAM_DROPOUT + layer)
 *   kept iff intc_rng_below(intc_rng_u64(key, step * numel + i), 1000)
 *            >= permille
 * so P(keep) = 1 - permille / 1000 exactly. A data-parallel shard (the
 * generated train_grads) holding samples [offset, offset + b) of a global
 * batch of G samples of s elements each uses numel = G * s and
 * i = offset * s + (its own flat index): the global batch's masks. */
static inline int32_t intc_dropout_keep(uint64_t key, uint64_t step,
                                        int64_t numel, int64_t i,
                                        int32_t permille) {
  uint64_t counter = step * (uint64_t)numel + (uint64_t)i;
  return intc_rng_below(intc_rng_u64(key, counter), 1000) >= (uint32_t)permille;
}

/* Training forward: y[i] = int16(tdiv(x[i] * m[i] * f, 1000)) with m the keep
 * mask above and f = intc_dropout_factor(permille); numel = n. In evaluation
 * Dropout is the identity (callers copy x). */
void intc_dropout_fwd(const int8_t *x, int16_t *y, int64_t n, int32_t permille,
                      uint64_t seed, uint32_t layer, uint64_t step);

/* Backward (never used by the published models): din[i] =
 * wrap32(tdiv(delta[i] * m[i] * f, 1000)), product in int64. din may alias
 * delta. */
void intc_dropout_bwd(const int32_t *delta, int32_t *din, int64_t n,
                      int32_t permille, uint64_t seed, uint32_t layer,
                      uint64_t step);

/* ---- Loss gradient and targets (ALGORITHM.md §3.3, Q3) ---------------- */

/* e[i] = yhat[i] - y[i] computed exactly (range [-255, 255]) and, if wrap8 is
 * non-zero (the reference default), wrapped: e = wrap8(yhat - y). No
 * division by the batch size. */
void intc_l2_grad(const int8_t *yhat, const int8_t *y, int32_t *e, int64_t n,
                  int32_t wrap8);

/* y[b, k] = value if k == labels[b] else 0; y (batch, classes). Labels
 * outside [0, classes) give an all-zero row. */
void intc_one_hot(const uint8_t *labels, int8_t *y, int32_t batch,
                  int32_t classes, int8_t value);

/* Number of rows b whose argmax over logits[b, :] equals labels[b]; ties go
 * to the lowest class index (ALGORITHM.md §8). */
int32_t intc_count_correct(const int8_t *logits, const uint8_t *labels,
                           int32_t batch, int32_t classes);

/* ---- IntegerSGD (ALGORITHM.md §4.1) ----------------------------------- */

/* For each i: dw = tdiv(g[i], lr_inv * amp); if decay_inv > 0,
 * dw += tdiv(w[i], decay_inv) (w before the update); w[i] = wrap32(w[i] - dw).
 * All in int64; lr_inv * amp > 0. */
void intc_sgd_update(int32_t *w, const int64_t *g, int64_t n, int64_t lr_inv,
                     int64_t amp, int64_t decay_inv);

#ifdef __cplusplus
}
#endif

#endif /* INTC_RUNTIME_C_INTC_KERNELS_H */
