/* Links a model compiled with `intc -target=cuda` (its host object and the
 * PTX embedded in it) with runtime/cuda, and checks it against the runtime/c
 * reference trainer through the generated header only: init, 20 training
 * steps and a prediction must agree bit for bit. Without a GPU it prints the
 * runtime's "no CUDA device" reason and exits 0 (linking is the test there).
 * Build with -DMODEL=<name> -DMODEL_UPPER=<NAME> -include <dir>/<name>.h. */
#include "runtime/c/intc_model.h"
#include "runtime/c/intc_rng.h"
#include "runtime/cuda/intc_cuda_runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define FN(suffix) CAT(MODEL, suffix)
#define UPPER(suffix) CAT(MODEL_UPPER, suffix)

extern const intc_model FN(_reference);

int main(void) {
  char err[256];
  if (intc_cuda_init(err, sizeof err) != 0) {
    printf("%s\n", err);
    return 0;
  }
  const intc_model *m = &FN(_reference);
  const int batch = UPPER(_BATCH), classes = UPPER(_NUM_CLASSES);
  const int input = UPPER(_INPUT_SIZE);
  const long n = UPPER(_NUM_WEIGHTS);
  int32_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
  int8_t *x = malloc((size_t)batch * input);
  uint8_t *labels = malloc(batch);
  int8_t *la = malloc((size_t)batch * classes),
         *lb = malloc((size_t)batch * classes);
  void *scratch = malloc(intc_ref_scratch_bytes(m, batch));
  void *ds = intc_cuda_alloc(n * sizeof *a),
       *dx = intc_cuda_alloc((size_t)batch * input);
  void *dl = intc_cuda_alloc(batch),
       *dlog = intc_cuda_alloc((size_t)batch * classes);
  void *arena = intc_cuda_alloc(UPPER(_ARENA_BYTES) + 1);
  FN(_init)(ds, 7);
  intc_cuda_download(a, ds, n * sizeof *a);
  intc_ref_init(m, b, 7);
  if (memcmp(a, b, n * sizeof *a)) {
    printf("FAIL: init differs\n");
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
    intc_cuda_upload(dx, x, (size_t)batch * input);
    intc_cuda_upload(dl, labels, batch);
    FN(_train_step)(ds, dx, dl, UPPER(_LR_INV), 7, step, dlog, arena);
    intc_cuda_download(a, ds, n * sizeof *a);
    intc_ref_train_step(m, b, x, labels, batch, UPPER(_LR_INV), 7, step,
                        scratch);
    for (long i = 0; i < n; ++i)
      if (a[i] != b[i]) {
        printf("FAIL: step %d weight %ld: generated %d, reference %d\n", step,
               i, a[i], b[i]);
        return 1;
      }
  }
  FN(_predict)(ds, dx, dlog, arena);
  intc_cuda_download(la, dlog, (size_t)batch * classes);
  intc_ref_predict(m, b, x, batch, lb, scratch);
  if (memcmp(la, lb, (size_t)batch * classes)) {
    printf("FAIL: predict differs\n");
    return 1;
  }
  printf("OK: %ld weights identical after init and 20 steps on %s; predictions "
         "identical\n",
         n, intc_cuda_device_name());
  return 0;
}
