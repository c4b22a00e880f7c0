/* intc_rescale.c - NITRO-Scaling forward (semantics in intc_kernels.h). */
#include "runtime/c/intc_kernels.h"

void intc_rescale(const int64_t *z, int8_t *y, int64_t n, int64_t factor) {
  int64_t i;
  for (i = 0; i < n; ++i)
    y[i] = (int8_t)intc_clip64(z[i] / factor, -127, 127);
}
