/* Links a model compiled with `intc -target=cpu` and checks it against the
 * runtime/c reference trainer, through the generated header only: init, 20
 * training steps and a prediction (with the block heads, when the header
 * declares predict_heads) must agree bit for bit. Build with
 * -DMODEL=<name> -include <dir>/<name>.h. A model compiled with
 * -weight-bits=16 keeps int16 weights: it must then equal the int32
 * reference exactly as long as no reference weight leaves the int16 range
 * (where the 16-bit update saturates), which the check also requires. */
#include "runtime/c/intc_model.h"
#include "runtime/c/intc_rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define FN(suffix) CAT(MODEL, suffix)
#define UPPER(suffix) CAT(MODEL_UPPER, suffix)

extern const intc_model FN(_reference);

#if UPPER(_WEIGHT_BITS) == 16
typedef int16_t state_t;
#else
typedef int32_t state_t;
#endif

int main(void) {
  const intc_model *m = &FN(_reference);
  const int batch = UPPER(_BATCH), classes = UPPER(_NUM_CLASSES);
  const int input = UPPER(_INPUT_SIZE);
  const long n = UPPER(_NUM_WEIGHTS);
  state_t *a = malloc(n * sizeof *a);
  int32_t *b = malloc(n * sizeof *b);
  int8_t *x = malloc((size_t)batch * input);
  uint8_t *labels = malloc(batch);
  int8_t *la = malloc((size_t)batch * classes),
         *lb = malloc((size_t)batch * classes);
  void *scratch = malloc(intc_ref_scratch_bytes(m, batch));
  if (m->n_weights != n) {
    printf("FAIL: descriptor has %ld weights, header %ld\n", (long)m->n_weights,
           n);
    return 1;
  }
  FN(_init)(a, 7);
  intc_ref_init(m, b, 7);
  for (long i = 0; i < n; ++i)
    if (a[i] != b[i]) {
      printf("FAIL: init differs at weight %ld\n", i);
      return 1;
    }
  uint64_t key = intc_rng_key(11, 0x777);
  for (int step = 0; step < 20; ++step) {
    for (long i = 0; i < (long)batch * input; ++i)
      x[i] = (int8_t)((int)intc_rng_below(
                          intc_rng_u64(key, step * 1000000L + i), 256) -
                      128);
    for (int i = 0; i < batch; ++i)
      labels[i] = (uint8_t)intc_rng_below(
          intc_rng_u64(key, (1L << 40) + step * batch + i), classes);
    FN(_train_step)(a, x, labels, UPPER(_LR_INV), 7, step, la);
    intc_ref_train_step(m, b, x, labels, batch, UPPER(_LR_INV), 7, step,
                        scratch);
    for (long i = 0; i < n; ++i)
      if (a[i] != b[i] ||
          (sizeof(state_t) == 2 && (b[i] < INT16_MIN || b[i] > INT16_MAX))) {
        printf("FAIL: step %d weight %ld: generated %d, reference %d\n", step,
               i, a[i], b[i]);
        return 1;
      }
  }
  FN(_predict)(a, x, la);
  intc_ref_predict(m, b, x, batch, lb, scratch);
  if (memcmp(la, lb, (size_t)batch * classes)) {
    printf("FAIL: predict differs\n");
    return 1;
  }
#if UPPER(_NUM_HEADS) > 0
  {
    const int heads = UPPER(_NUM_HEADS);
    const size_t bk = (size_t)batch * classes;
    int8_t *ha = malloc(heads * bk), *hb = malloc(heads * bk);
    if (heads != intc_model_num_heads(m)) {
      printf("FAIL: header has %d heads, descriptor %d\n", heads,
             (int)intc_model_num_heads(m));
      return 1;
    }
    FN(_predict_heads)(a, x, la, ha);
    intc_ref_predict_heads(m, b, x, batch, lb, hb, scratch);
    if (memcmp(la, lb, bk) || memcmp(ha, hb, heads * bk)) {
      printf("FAIL: predict_heads differs\n");
      return 1;
    }
    printf("heads: %d block heads identical\n", heads);
  }
#endif
  printf("OK: %ld %d-bit weights identical after init and 20 steps; "
         "predictions identical\n",
         n, (int)(8 * sizeof(state_t)));
  return 0;
}
