/* Predicts a test split with a model compiled by `intc -target=c
 * -weights=CKPT`, the way firmware would: raw IDX bytes through
 * <model>_normalize() (checked against runtime/c's intc_data_normalize for
 * every image), the trained state from <model>_weights.c, <model>_predict.
 * Prints "correct N/M", which must equal `intc eval` on the same data.
 * Build: -include <model>.h -DMODEL=<model> -DMODEL_UPPER=<MODEL>. */
#include "runtime/c/intc_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define M(suffix) CAT(MODEL, suffix)
#define MU(suffix) CAT(MODEL_UPPER, suffix)

static unsigned char *read_file(const char *path, long *size) {
  FILE *f = fopen(path, "rb");
  unsigned char *data;
  if (!f || fseek(f, 0, SEEK_END) != 0 || (*size = ftell(f)) < 0)
    return NULL;
  rewind(f);
  data = malloc((size_t)*size);
  if (!data || fread(data, 1, (size_t)*size, f) != (size_t)*size)
    return NULL;
  fclose(f);
  return data;
}

static long be32(const unsigned char *p) {
  return ((long)p[0] << 24) | ((long)p[1] << 16) | ((long)p[2] << 8) | p[3];
}

static int32_t state[MU(_NUM_WEIGHTS)];

int main(int argc, char **argv) {
  static const int32_t mean[] = MU(_NORM_MEAN), mad[] = MU(_NORM_MAD);
  long isize, lsize, n, i, correct = 0, b;
  unsigned char *images, *labels;
  int8_t x[MU(_BATCH) * MU(_INPUT_SIZE)], ref[MU(_INPUT_SIZE)];
  int8_t logits[MU(_BATCH) * MU(_NUM_CLASSES)];
  if (argc != 3)
    return 2;
  images = read_file(argv[1], &isize);
  labels = read_file(argv[2], &lsize);
  if (!images || !labels)
    return 2;
  n = be32(images + 4);
  memcpy(state, M(_trained_state), sizeof state);
  for (b = 0; b + MU(_BATCH) <= n; b += MU(_BATCH)) {
    const unsigned char *raw = images + 16 + b * MU(_INPUT_SIZE);
    M(_normalize)(raw, x, MU(_BATCH));
    for (i = 0; i < MU(_BATCH); ++i) {
      intc_data_normalize(raw + i * MU(_INPUT_SIZE), ref, 1,
                          MU(_NORM_CHANNELS), MU(_NORM_CHANNEL_SIZE), mean,
                          mad);
      if (memcmp(ref, x + i * MU(_INPUT_SIZE), sizeof ref) != 0) {
        printf("normalize differs from intc_data_normalize at image %ld\n",
               b + i);
        return 1;
      }
    }
    M(_predict)(state, x, logits);
    for (i = 0; i < MU(_BATCH); ++i) {
      const int8_t *row = logits + i * MU(_NUM_CLASSES);
      int k, best = 0;
      for (k = 1; k < MU(_NUM_CLASSES); ++k)
        if (row[k] > row[best])
          best = k;
      correct += best == labels[8 + b + i];
    }
  }
  printf("correct %ld/%ld\n", correct, b);
  return 0;
}
