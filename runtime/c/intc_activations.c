/* intc_activations.c - tensor forms of the activations (intc_activations.h).
 */
#include "runtime/c/intc_activations.h"

int32_t intc_act_valid(int32_t kind, int32_t nsi) {
  switch (kind) {
  case INTC_ACT_NITRO_LEAKY_RELU:
  case INTC_ACT_POCKET_LEAKY_RELU:
  case INTC_ACT_BIPOLAR_LEAKY_RELU:
    return intc_nsi_valid(nsi);
  case INTC_ACT_POCKET_RELU:
  case INTC_ACT_POCKET_TANH:
  case INTC_ACT_BIPOLAR_POCKET_RELU:
    return 1;
  default:
    return 0;
  }
}

int32_t intc_act_fwd_scalar(int32_t kind, int32_t nsi, int32_t x) {
  switch (kind) {
  case INTC_ACT_NITRO_LEAKY_RELU:
    return intc_nitro_leaky_relu(x, nsi);
  case INTC_ACT_POCKET_LEAKY_RELU:
  case INTC_ACT_BIPOLAR_LEAKY_RELU:
    return intc_pocket_leaky_relu(x, nsi);
  case INTC_ACT_POCKET_RELU:
  case INTC_ACT_BIPOLAR_POCKET_RELU:
    return intc_pocket_relu(x);
  case INTC_ACT_POCKET_TANH:
    return intc_pocket_tanh(x);
  default:
    return 0;
  }
}

int32_t intc_act_bwd_scalar(int32_t kind, int32_t nsi, int32_t x,
                            int32_t delta) {
  switch (kind) {
  case INTC_ACT_NITRO_LEAKY_RELU:
  case INTC_ACT_POCKET_LEAKY_RELU:
  case INTC_ACT_BIPOLAR_LEAKY_RELU:
    return delta / intc_leaky_inv_slope(x, nsi);
  case INTC_ACT_POCKET_RELU:
  case INTC_ACT_BIPOLAR_POCKET_RELU:
    return intc_pocket_relu_bwd(x, delta);
  case INTC_ACT_POCKET_TANH:
    return delta / intc_pocket_tanh_inv_slope(x);
  default:
    return 0;
  }
}

static int32_t is_bipolar(int32_t kind) {
  return kind == INTC_ACT_BIPOLAR_POCKET_RELU ||
         kind == INTC_ACT_BIPOLAR_LEAKY_RELU;
}

void intc_act_fwd(int32_t kind, int32_t nsi, int32_t rank, const int8_t *x,
                  int8_t *y, int32_t batch, int32_t c, int32_t h, int32_t w) {
  int64_t n = (int64_t)batch * c * h * w;
  int64_t i;
  if (!is_bipolar(kind)) {
    for (i = 0; i < n; ++i)
      y[i] = (int8_t)intc_act_fwd_scalar(kind, nsi, x[i]);
    return;
  }
  {
    int64_t plane = (int64_t)h * w, sample = (int64_t)c * plane;
    for (i = 0; i < n; ++i) {
      int64_t r = i % sample;
      int32_t ci = (int32_t)(r / plane), hi = (int32_t)(r % plane / w),
              wi = (int32_t)(r % w);
      int32_t m = intc_bipolar_sign(rank, ci, hi, wi);
      int32_t xm = intc_wrap8((int64_t)x[i] * m);
      y[i] = (int8_t)(intc_act_fwd_scalar(kind, nsi, xm) * m);
    }
  }
}

void intc_act_bwd(int32_t kind, int32_t nsi, int32_t rank, const int8_t *x,
                  const int32_t *delta, int32_t *din, int32_t batch, int32_t c,
                  int32_t h, int32_t w) {
  int64_t n = (int64_t)batch * c * h * w;
  int64_t i;
  if (!is_bipolar(kind)) {
    for (i = 0; i < n; ++i)
      din[i] = intc_act_bwd_scalar(kind, nsi, x[i], delta[i]);
    return;
  }
  {
    int64_t plane = (int64_t)h * w, sample = (int64_t)c * plane;
    for (i = 0; i < n; ++i) {
      int64_t r = i % sample;
      int32_t ci = (int32_t)(r / plane), hi = (int32_t)(r % plane / w),
              wi = (int32_t)(r % w);
      int32_t m = intc_bipolar_sign(rank, ci, hi, wi);
      int32_t xm = intc_wrap8((int64_t)x[i] * m);
      int32_t dm = intc_wrap32((int64_t)delta[i] * m);
      din[i] = intc_wrap32((int64_t)intc_act_bwd_scalar(kind, nsi, xm, dm) * m);
    }
  }
}
