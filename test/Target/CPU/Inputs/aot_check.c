/* Links a model compiled with `intc -target=cpu` and checks it against the
 * runtime/c reference trainer, through the generated header only: init, 20
 * training steps and a prediction (with the block heads, when the header
 * declares predict_heads) must agree bit for bit. Build with
 * -DMODEL=<name> -include <dir>/<name>.h. A model compiled with
 * -weight-bits=16 keeps int16 weights: it must then equal the int32
 * reference exactly as long as no reference weight leaves the int16 range
 * (where the 16-bit update saturates), which the check also requires.
 * With -DGRADIENT_STEPS (cpu objects), 5 more steps run data-parallel
 * through the gradient halves the header declares: two shards of BATCH
 * samples, their gradient sums added, against the reference's step on the
 * whole global batch of 2 x BATCH. */
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
#ifdef GRADIENT_STEPS
  {
    const int global = 2 * batch;
    int64_t *grads = malloc(n * sizeof *grads), *sum = malloc(n * sizeof *sum);
    uint8_t *cache[2] = {malloc(UPPER(_CACHE_BYTES) + 1),
                         malloc(UPPER(_CACHE_BYTES) + 1)};
    int8_t *gx = malloc((size_t)global * input);
    int8_t *glogits = malloc((size_t)global * classes);
    uint8_t *glabels = malloc(global);
    void *gscratch = malloc(intc_ref_scratch_bytes(m, global));
    for (int step = 20; step < 25; ++step) {
      for (long i = 0; i < (long)global * input; ++i)
        gx[i] = (int8_t)((int)intc_rng_below(
                             intc_rng_u64(key, step * 1000000L + i), 256) -
                         128);
      for (int i = 0; i < global; ++i)
        glabels[i] = (uint8_t)intc_rng_below(
            intc_rng_u64(key, (1L << 40) + step * global + i), classes);
      memset(sum, 0, n * sizeof *sum);
      for (int r = 0; r < 2; ++r) {
        FN(_train_grads)(a, gx + (long)r * batch * input, glabels + r * batch,
                         7, step, r * batch, global, grads, cache[r],
                         glogits + r * batch * classes);
        for (long i = 0; i < n; ++i)
          sum[i] += grads[i];
      }
      FN(_apply_grads)(a, sum, UPPER(_LR_INV));
#if UPPER(_CACHE_BYTES) > 0
      memset(sum, 0, n * sizeof *sum);
      for (int r = 0; r < 2; ++r) {
        FN(_train_grads2)(a, cache[r], glabels + r * batch, grads);
        for (long i = UPPER(_GRADS2_OFFSET);
             i < UPPER(_GRADS2_OFFSET) + UPPER(_GRADS2_COUNT); ++i)
          sum[i] += grads[i];
      }
      FN(_apply_grads2)(a, sum, UPPER(_LR_INV));
#endif
      intc_ref_train_step(m, b, gx, glabels, global, UPPER(_LR_INV), 7, step,
                          gscratch);
      for (long i = 0; i < n; ++i)
        if (a[i] != b[i]) {
          printf("FAIL: data-parallel step %d weight %ld: generated %d, "
                 "reference %d\n",
                 step, i, a[i], b[i]);
          return 1;
        }
    }
    printf("gradient steps: 5 steps of 2 x %d samples identical\n", batch);
  }
#endif
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
