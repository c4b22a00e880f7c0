/* aot_bench.c - times a model compiled with `intc -target=cuda` through its
 * AOT host object alone (no intc, no LLVM/MLIR at run time): STEPS training
 * steps, then predict over TEST_IMAGES images, on the GPU. Inputs and labels
 * come from the runtime/c integer RNG (the timing, not the learning, is the
 * point; the values only matter for the tensor-core fallback counter, which
 * is printed). Prints integers only: nanoseconds, counts.
 *
 * Build (bench/cuda/prepare.sh does it) with -DMODEL=<name>
 * -DMODEL_UPPER=<NAME> -include <dir>/<name>.h, linking <dir>/<name>.o,
 * libintc_runtime_cuda.a, libintc_runtime_c.a, -lstdc++ -ldl.
 * usage: aot_bench [STEPS [TEST_IMAGES]]   (default 200 10000) */
#include "runtime/c/intc_rng.h"
#include "runtime/cuda/intc_cuda_runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define FN(suffix) CAT(MODEL, suffix)
#define UPPER(suffix) CAT(MODEL_UPPER, suffix)
#define STR2(x) #x
#define STR(x) STR2(x)

static long long nowNs(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void fill(int8_t *x, uint8_t *labels, long n, int batch, int classes,
                 uint64_t key, long step) {
  for (long i = 0; i < n; ++i)
    x[i] = (int8_t)((int)intc_rng_below(intc_rng_u64(key, step * n + i), 256) -
                    128);
  for (int i = 0; i < batch; ++i)
    labels[i] = (uint8_t)intc_rng_below(
        intc_rng_u64(key, (1LL << 50) + step * batch + i), classes);
}

int main(int argc, char **argv) {
  const long steps = argc > 1 ? atol(argv[1]) : 200;
  const long testImages = argc > 2 ? atol(argv[2]) : 10000;
  char err[256];
  if (intc_cuda_init(err, sizeof err) != 0) {
    printf("%s\n", err);
    return 2;
  }
  const int batch = UPPER(_BATCH), classes = UPPER(_NUM_CLASSES);
  const long input = UPPER(_INPUT_SIZE), n = UPPER(_NUM_WEIGHTS);
  const long xBytes = (long)batch * input;
  /* A few distinct batches, uploaded ahead: the timed loop is device work. */
  enum { kBatches = 8 };
  int8_t *x = malloc(xBytes);
  uint8_t *labels = malloc(batch);
  void *ds = intc_cuda_alloc(n * 4),
       *dlog = intc_cuda_alloc((size_t)batch * classes);
  void *arena = intc_cuda_alloc(UPPER(_ARENA_BYTES) + 1);
  void *dx[kBatches], *dl[kBatches];
  uint64_t key = intc_rng_key(5, 0xbe7c);
  for (int i = 0; i < kBatches; ++i) {
    dx[i] = intc_cuda_alloc(xBytes);
    dl[i] = intc_cuda_alloc(batch);
    fill(x, labels, xBytes, batch, classes, key, i);
    intc_cuda_upload(dx[i], x, xBytes);
    intc_cuda_upload(dl[i], labels, batch);
    intc_cuda_synchronize();
  }
  printf("model %s on %s (sm_%d, %d SMs): batch %d, %ld weights\n", STR(MODEL),
         intc_cuda_device_name(), intc_cuda_device_sm(),
         intc_cuda_device_multiprocessors(), batch, n);

  long long t0 = nowNs();
  FN(_init)(ds, 1);
  /* The first step loads the module (PTX JIT) and the kernels: untimed. */
  FN(_train_step)(ds, dx[0], dl[0], UPPER(_LR_INV), 1, 0, dlog, arena);
  intc_cuda_synchronize();
  long long warm = nowNs() - t0;
  unsigned long long fb0 = intc_cuda_fallback_tiles();

  t0 = nowNs();
  for (long s = 1; s <= steps; ++s)
    FN(_train_step)
    (ds, dx[s % kBatches], dl[s % kBatches], UPPER(_LR_INV), 1, s, dlog, arena);
  intc_cuda_synchronize();
  long long trainNs = nowNs() - t0;
  unsigned long long fb1 = intc_cuda_fallback_tiles();

  const long testBatches = (testImages + batch - 1) / batch;
  t0 = nowNs();
  for (long b = 0; b < testBatches; ++b)
    FN(_predict)(ds, dx[b % kBatches], dlog, arena);
  intc_cuda_synchronize();
  long long testNs = nowNs() - t0;

  printf("warmup_ns %lld (init + first step, module load)\n", warm);
  printf("train_steps %ld train_ns %lld fallback_tiles %llu\n", steps, trainNs,
         fb1 - fb0);
  printf("test_images %ld test_ns %lld\n", testBatches * batch, testNs);
  return 0;
}
