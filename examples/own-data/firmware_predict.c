/* What firmware does with a model trained on a PC: raw sensor or camera
 * bytes through <model>_normalize() (the training data's statistics, from
 * the header), the trained weights from shapes_weights.c, shapes_predict(),
 * and a class name from SHAPES_CLASS_NAMES. Integer-only, no heap.
 *
 *   intc shapes.mlir -target=c -weights=run-cli/model.safetensors -o fw
 *   cc -std=c99 -I fw firmware_predict.c fw/shapes.c fw/shapes_weights.c -o fw/predict
 *   fw/predict shapes/samples/circle.raw
 *
 * (On a microcontroller the bytes come from a sensor instead of a file.) */
#include "shapes.h"

#include <stdio.h>
#include <string.h>

static shapes_weight_t state[SHAPES_NUM_WEIGHTS];
static uint8_t raw[SHAPES_BATCH * SHAPES_INPUT_SIZE];
static int8_t x[SHAPES_BATCH * SHAPES_INPUT_SIZE];
static int8_t logits[SHAPES_BATCH * SHAPES_NUM_CLASSES];

int main(int argc, char **argv) {
  static const char *const names[] = SHAPES_CLASS_NAMES;
  int i;
  memcpy(state, shapes_trained_state, sizeof state);
  for (i = 1; i < argc; ++i) {
    FILE *f = fopen(argv[i], "rb");
    int k, best = 0;
    if (!f || fread(raw, 1, SHAPES_INPUT_SIZE, f) != SHAPES_INPUT_SIZE) {
      fprintf(stderr, "%s: cannot read %d bytes\n", argv[i], SHAPES_INPUT_SIZE);
      return 1;
    }
    fclose(f);
    /* One sample in row 0; the rest of the batch is unused. */
    shapes_normalize(raw, x, 1);
    shapes_predict(state, x, logits);
    for (k = 1; k < SHAPES_NUM_CLASSES; ++k)
      if (logits[k] > logits[best])
        best = k;
    printf("%s: %s, scores [", argv[i], names[best]);
    for (k = 0; k < SHAPES_NUM_CLASSES; ++k)
      printf("%s%d", k ? ", " : "", logits[k]);
    printf("]\n");
  }
  return 0;
}
