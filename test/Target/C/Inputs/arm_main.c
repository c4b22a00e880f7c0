/* The smallest firmware that uses every entry point of a model compiled
 * with -target=c, so that linking it shows every routine the generated
 * code pulls in from libgcc and newlib. Build with -include <dir>/<m>.h
 * -DMODEL=<m> -DMODEL_UPPER=<M>. */
#include <stdint.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define FN(suffix) CAT(MODEL, suffix)
#define UPPER(suffix) CAT(MODEL_UPPER, suffix)

static int32_t state[UPPER(_NUM_WEIGHTS)];
static int8_t x[UPPER(_BATCH) * UPPER(_INPUT_SIZE)];
static uint8_t labels[UPPER(_BATCH)];
static int8_t logits[UPPER(_BATCH) * UPPER(_NUM_CLASSES)];

int main(void) {
  FN(_init)(state, 1);
  FN(_train_step)(state, x, labels, UPPER(_LR_INV), 1, 0, logits);
  FN(_predict)(state, x, logits);
  return logits[0];
}
