/* intc_loss.c - L2 loss gradient, one-hot targets and argmax accuracy
 * (semantics in intc_kernels.h). */
#include "runtime/c/intc_kernels.h"

void intc_l2_grad(const int8_t *yhat, const int8_t *y, int32_t *e, int64_t n,
                  int32_t wrap8) {
  int64_t i;
  for (i = 0; i < n; ++i) {
    const int32_t d = (int32_t)yhat[i] - (int32_t)y[i];
    e[i] = wrap8 ? intc_wrap8(d) : d;
  }
}

void intc_one_hot(const uint8_t *labels, int8_t *y, int32_t batch,
                  int32_t classes, int8_t value) {
  int32_t b, k;
  for (b = 0; b < batch; ++b)
    for (k = 0; k < classes; ++k)
      y[(int64_t)b * classes + k] = (k == (int32_t)labels[b]) ? value : 0;
}

int32_t intc_count_correct(const int8_t *logits, const uint8_t *labels,
                           int32_t batch, int32_t classes) {
  int32_t b, k, correct = 0;
  for (b = 0; b < batch; ++b) {
    const int8_t *row = logits + (int64_t)b * classes;
    int32_t best = 0;
    for (k = 1; k < classes; ++k)
      if (row[k] > row[best]) /* strict: ties keep the lowest index */
        best = k;
    correct += best == (int32_t)labels[b];
  }
  return correct;
}
