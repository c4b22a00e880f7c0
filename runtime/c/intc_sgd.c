/* intc_sgd.c - IntegerSGD update (semantics in intc_kernels.h). */
#include "runtime/c/intc_kernels.h"

void intc_sgd_update(int32_t *w, const int64_t *g, int64_t n, int64_t lr_inv,
                     int64_t amp, int64_t decay_inv) {
  const int64_t div = lr_inv * amp;
  int64_t i;
  for (i = 0; i < n; ++i) {
    int64_t dw = g[i] / div;
    if (decay_inv > 0) /* gradient first, then decay on the old weight */
      dw += w[i] / decay_inv;
    w[i] = intc_wrap32((int64_t)w[i] - dw);
  }
}
