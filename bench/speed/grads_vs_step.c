/* Time of one data-parallel step on one rank (train_grads + apply_grads, and
 * train_grads2 + apply_grads2 where the model has them) against one
 * train_step on the same batch, through a model compiled with
 * `intc -target=cpu -o DIR`. No communication: this is the compute the
 * split adds or saves. Build with -DMODEL=<name> -DMODEL_UPPER=<NAME>
 * -D_POSIX_C_SOURCE=199309L -include DIR/<name>.h (see
 * grads_vs_step.sh). Prints the median of
 * kRounds interleaved rounds of kIters calls each, and the fastest round (on
 * a shared machine the minimum is the steadier figure). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define FN(suffix) CAT(MODEL, suffix)
#define UPPER(suffix) CAT(MODEL_UPPER, suffix)

enum { kRounds = 15, kIters = 40 };

static double now_us(void) {
  struct timespec t;
  /* CPU time of the process: on a shared machine, time spent descheduled
   * would otherwise dominate the noise. Run with INTC_THREADS=1. */
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v) {
  qsort(v, kRounds, sizeof *v, cmp);
  return v[kRounds / 2];
}

int main(void) {
  const long n = UPPER(_NUM_WEIGHTS);
  const int batch = UPPER(_BATCH), input = UPPER(_INPUT_SIZE);
  int32_t *state = malloc(n * sizeof *state);
  int64_t *grads = calloc(n, sizeof *grads);
  uint8_t *cache = malloc(UPPER(_CACHE_BYTES) + 1);
  int8_t *x = malloc((size_t)batch * input);
  uint8_t *labels = malloc(batch);
  int8_t *logits = malloc((size_t)batch * UPPER(_NUM_CLASSES));
  double step[kRounds], split[kRounds], applied[kRounds];
  for (long i = 0; i < (long)batch * input; ++i)
    x[i] = (int8_t)(i * 7919 % 255 - 127);
  for (int i = 0; i < batch; ++i)
    labels[i] = (uint8_t)(i % UPPER(_NUM_CLASSES));
  FN(_init)(state, 1);
  /* Interleaved rounds, so that both see the same machine load. */
  for (int r = 0; r < kRounds; ++r) {
    double t0 = now_us();
    for (int i = 0; i < kIters; ++i)
      FN(_train_step)(state, x, labels, UPPER(_LR_INV), 1, i, logits);
    double t1 = now_us();
    double apply = 0;
    for (int i = 0; i < kIters; ++i) {
      FN(_train_grads)(state, x, labels, 1, i, 0, batch, grads, cache, logits);
      double ta = now_us();
      FN(_apply_grads)(state, grads, UPPER(_LR_INV));
      apply += now_us() - ta;
#if UPPER(_CACHE_BYTES) > 0
      FN(_train_grads2)(state, cache, labels, grads);
      FN(_apply_grads2)(state, grads, UPPER(_LR_INV));
#endif
    }
    double t2 = now_us();
    step[r] = (t1 - t0) / kIters;
    split[r] = (t2 - t1) / kIters;
    applied[r] = apply / kIters;
  }
  double s = median(step), g = median(split), a = median(applied);
  /* median() sorted the rounds: [0] is the fastest. */
  printf("batch %d: median (fastest) us per step: train_step %.1f (%.1f), "
         "train_grads+apply_grads%s %.1f (%.1f) = %.2fx (%.2fx), of which "
         "apply_grads %.1f (%.1f)\n",
         batch, s, step[0],
         UPPER(_CACHE_BYTES) > 0 ? "+train_grads2+apply_grads2" : "", g,
         split[0], g / s, split[0] / step[0], a, applied[0]);
  return 0;
}
