/* intc_activations.h - the integer activation functions (ALGORITHM.md §2.4).
 *
 * Forward: input x is the NITRO-Scaling output (int8, in [-127, 127] in
 * training); output is int8. The scalar functions accept any int32 x so the
 * golden vectors outside that range (§12.1) can be checked.
 *
 * Backward: takes the cached forward input x (int8) and the incoming
 * delta (int32) and returns tdiv(delta, g(x)) as int32, where g is the
 * "inverse slope". g = INT32_MAX is applied literally (tdiv(delta, INT32_MAX)),
 * which is 0 except for delta = +-INT32_MAX or INT32_MIN; this keeps the
 * kernel exact rather than approximating it by 0. PocketReLU backward is the
 * mask rule delta * [0 < x <= 127] instead of a division.
 *
 * Bipolar variants use a +-1 sign mask M computed from the element index (no
 * state, unlike the reference, which caches the first batch's mask, Q13):
 *   rank 2 (B, F):      M = -1 on odd feature columns f;
 *   rank 4 (B, C, H, W): M = -1 where h + w is odd (checkerboard).
 * Forward y = f(wrap8(x * M)) * M; backward din = f'(wrap8(x * M),
 * wrap32(delta * M)) * M (wrapped to int32). The int8 wrap of x * M mirrors
 * the reference's int8 arithmetic; it only matters for x = -128, which
 * NITRO-Scaling never produces.
 */
#ifndef INTC_RUNTIME_C_INTC_ACTIVATIONS_H
#define INTC_RUNTIME_C_INTC_ACTIVATIONS_H

#include <stdint.h>

#include "runtime/c/intc_arith.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Activation kinds. The numeric values are part of the model-descriptor ABI
 * (intc_layer.act). */
#define INTC_ACT_NITRO_LEAKY_RELU 0
#define INTC_ACT_POCKET_LEAKY_RELU 1
#define INTC_ACT_POCKET_RELU 2
#define INTC_ACT_POCKET_TANH 3
#define INTC_ACT_BIPOLAR_POCKET_RELU 4 /* PocketReLU inside */
#define INTC_ACT_BIPOLAR_LEAKY_RELU 5  /* PocketLeakyReLU (not Nitro) inside */

/* NitroLeakyReLU mean correction c[nsi]:
 * {3:31, 4:36, 5:38, 7:40, 8:42, 10:43, 15:44, 16:44, 20:45}; 0 for any
 * other nsi, which is how validity is tested (intc_nsi_valid). */
static inline int32_t intc_nitro_mean_correction(int32_t nsi) {
  switch (nsi) {
  case 3:
    return 31;
  case 4:
    return 36;
  case 5:
    return 38;
  case 7:
    return 40;
  case 8:
    return 42;
  case 10:
    return 43;
  case 15:
  case 16:
    return 44;
  case 20:
    return 45;
  default:
    return 0;
  }
}

/* 1 if nsi (negative_slope_inv) is one of {3,4,5,7,8,10,15,16,20}. */
static inline int32_t intc_nsi_valid(int32_t nsi) {
  return intc_nitro_mean_correction(nsi) != 0;
}

/* 1 if kind is an INTC_ACT_* value and, for the leaky kinds, nsi is valid. */
int32_t intc_act_valid(int32_t kind, int32_t nsi);

/* PocketLeakyReLU: clip(x, 0, 127) + tdiv(clip(x, -127, 0), nsi). */
static inline int32_t intc_pocket_leaky_relu(int32_t x, int32_t nsi) {
  return intc_clip32(x, 0, 127) + intc_clip32(x, -127, 0) / nsi;
}

/* NitroLeakyReLU: PocketLeakyReLU minus the mean correction, e.g. for
 * nsi = 4 the range is [-67, 91] and y(0) = -36. Its backward equals
 * PocketLeakyReLU's (the constant has no derivative). */
static inline int32_t intc_nitro_leaky_relu(int32_t x, int32_t nsi) {
  return intc_pocket_leaky_relu(x, nsi) - intc_nitro_mean_correction(nsi);
}

/* Inverse slope of both leaky kinds: 1 on [0, 127), nsi on [-127, 0),
 * INT32_MAX otherwise (so x = 127 blocks the gradient, x = -127 does not). */
static inline int32_t intc_leaky_inv_slope(int32_t x, int32_t nsi) {
  if (x >= 0 && x < 127)
    return 1;
  if (x >= -127 && x < 0)
    return nsi;
  return INT32_MAX;
}

/* PocketReLU: clip(x, 0, 127). */
static inline int32_t intc_pocket_relu(int32_t x) {
  return intc_clip32(x, 0, 127);
}

/* PocketReLU backward: delta where 0 < x <= 127, else 0. */
static inline int32_t intc_pocket_relu_bwd(int32_t x, int32_t delta) {
  return (x > 0 && x <= 127) ? delta : 0;
}

/* PocketTanh, piecewise linear, output in [-127, 127]. */
static inline int32_t intc_pocket_tanh(int32_t x) {
  if (x >= 127)
    return 127;
  if (x >= 75)
    return x / 3 + 83;
  if (x >= 32)
    return x + 32;
  if (x >= -31)
    return 2 * x;
  if (x >= -74)
    return x - 32;
  if (x >= -127)
    return x / 3 - 83;
  return -127;
}

/* PocketTanh inverse slope: 8, 2, 1, 2, 8 on the segments above, INT32_MAX
 * on the saturated ends (x >= 127 or x < -127). */
static inline int32_t intc_pocket_tanh_inv_slope(int32_t x) {
  if (x >= 127 || x < -127)
    return INT32_MAX;
  if (x >= 75 || x <= -75)
    return 8;
  if (x >= 32 || x <= -32)
    return 2;
  return 1;
}

/* Bipolar sign M for element (feature-or-channel index c, h, w); rank is 2
 * or 4. For rank 2 pass h = w = 0. */
static inline int32_t intc_bipolar_sign(int32_t rank, int32_t c, int32_t h,
                                        int32_t w) {
  if (rank == 2)
    return (c & 1) ? -1 : 1;
  return ((h + w) & 1) ? -1 : 1;
}

/* Scalar forward of any kind, for a non-bipolar base: applies the kind's
 * function f to x. For the bipolar kinds this is f of the base kind (the
 * caller applies M). */
int32_t intc_act_fwd_scalar(int32_t kind, int32_t nsi, int32_t x);

/* Scalar backward of any kind's base function: tdiv(delta, g(x)) or the
 * PocketReLU mask rule. */
int32_t intc_act_bwd_scalar(int32_t kind, int32_t nsi, int32_t x,
                            int32_t delta);

/* Tensor forward over shape (batch, c, h, w), row-major. rank (2 or 4) only
 * matters for the bipolar kinds; rank 2 requires h = w = 1. y may alias x. */
void intc_act_fwd(int32_t kind, int32_t nsi, int32_t rank, const int8_t *x,
                  int8_t *y, int32_t batch, int32_t c, int32_t h, int32_t w);

/* Tensor backward: din = act'(x, delta), same shape as x. din may alias
 * delta (the kernel is element-wise). */
void intc_act_bwd(int32_t kind, int32_t nsi, int32_t rank, const int8_t *x,
                  const int32_t *delta, int32_t *din, int32_t batch, int32_t c,
                  int32_t h, int32_t w);

#ifdef __cplusplus
}
#endif

#endif /* INTC_RUNTIME_C_INTC_ACTIVATIONS_H */
