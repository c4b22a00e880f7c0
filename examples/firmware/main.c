/* main.c - trains a model compiled with `intc -target=c` on an embedded
 * MNIST subset, then prints its test accuracy and a checksum of its weights.
 *
 * The same file runs on the MPS2 board (startup.c, semihosting.c) and on the
 * build machine (host.c): the generated code is integer-only C99, so both
 * must print the same checksum, bit for bit.
 *
 * Build with -include <model>.h -DMODEL=<model> -DMODEL_UPPER=<MODEL> and
 * the fw_data.h that intc-mnist-subset writes (FW_TRAIN_N training and
 * FW_TEST_N test images, already shuffled and normalised per ALGORITHM.md
 * §7). FW_EPOCHS (default 1) passes go over the training images in that
 * order; FW_SEED (default 42) seeds the weight initialisation. */
#include "fw_data.h"
#include "platform.h"

#include <stdint.h>
#include <string.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define FN(suffix) CAT(MODEL, suffix)
#define UPPER(suffix) CAT(MODEL_UPPER, suffix)

#define BATCH UPPER(_BATCH)
#define INPUT UPPER(_INPUT_SIZE)
#define CLASSES UPPER(_NUM_CLASSES)

#ifndef FW_EPOCHS
#define FW_EPOCHS 1
#endif
#ifndef FW_SEED
#define FW_SEED 42
#endif
/* IntegerSGD divides the gradient summed over the batch by lr_inv * lr_amp,
 * and the model's lr_inv is tuned for batch 64: at batch B the same step
 * per sample needs lr_inv * B / 64. */
#ifndef FW_LR_INV
#define FW_LR_INV                                                              \
  (UPPER(_LR_INV) * BATCH / 64 > 0 ? UPPER(_LR_INV) * BATCH / 64 : 1)
#endif

/* The state's element type follows the model's -weight-bits. */
#if UPPER(_WEIGHT_BITS) == 16
typedef int16_t state_t;
#else
typedef int32_t state_t;
#endif
static state_t state[UPPER(_NUM_WEIGHTS)];
static int8_t x[BATCH * INPUT];
static uint8_t labels[BATCH];
static int8_t logits[BATCH * CLASSES];

/* Decimal digits of v into the end of buf; returns the first digit. */
static char *format_u32(uint32_t v, char *end) {
  *--end = '\0';
  do {
    *--end = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  return end;
}

static void put_u32(uint32_t v) {
  char buf[12];
  fw_puts(format_u32(v, buf + sizeof buf));
}

static void put_hex32(uint32_t v) {
  char buf[11] = "0x";
  int i;
  for (i = 0; i < 8; ++i)
    buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
  buf[10] = '\0';
  fw_puts(buf);
}

/* FNV-1a over the weights as little-endian int32 bytes, whatever the host's
 * byte order and the storage width (so 16- and 32-bit builds compare). */
static uint32_t checksum(const state_t *w, long n) {
  uint32_t h = 2166136261u;
  long i;
  int b;
  for (i = 0; i < n; ++i)
    for (b = 0; b < 4; ++b) {
      h ^= ((uint32_t)(int32_t)w[i] >> (8 * b)) & 0xffu;
      h *= 16777619u;
    }
  return h;
}

/* Rows whose first maximum is the label (ALGORITHM.md §8). */
static int count_correct(int rows) {
  int b, k, correct = 0;
  for (b = 0; b < rows; ++b) {
    const int8_t *row = logits + b * CLASSES;
    int best = 0;
    for (k = 1; k < CLASSES; ++k)
      if (row[k] > row[best])
        best = k;
    correct += best == labels[b];
  }
  return correct;
}

int main(void) {
  int64_t step = 0;
  long i;
  int epoch, correct = 0;

  fw_puts("intc firmware: training ");
  put_u32(FW_TRAIN_N / BATCH * BATCH);
  fw_puts(" images x ");
  put_u32(FW_EPOCHS);
  fw_puts(" epoch(s), batch ");
  put_u32(BATCH);
  fw_puts("\n");

  FN(_init)(state, FW_SEED);
  for (epoch = 0; epoch < FW_EPOCHS; ++epoch)
    for (i = 0; i + BATCH <= FW_TRAIN_N; i += BATCH, ++step)
      FN(_train_step)
  (state, fw_train_x + i * INPUT, fw_train_y + i, FW_LR_INV, FW_SEED, step,
   logits);

  /* Every test image; the last batch is padded with zeros and only its
   * real rows count. */
  for (i = 0; i < FW_TEST_N; i += BATCH) {
    int rows = FW_TEST_N - i < BATCH ? (int)(FW_TEST_N - i) : BATCH;
    memset(x, 0, sizeof x);
    memset(labels, 0, sizeof labels);
    memcpy(x, fw_test_x + i * INPUT, (size_t)rows * INPUT);
    memcpy(labels, fw_test_y + i, (size_t)rows);
    FN(_predict)(state, x, logits);
    correct += count_correct(rows);
  }

  fw_puts("test accuracy: ");
  put_u32((uint32_t)(correct * 100 / FW_TEST_N));
  fw_puts(".");
  put_u32((uint32_t)(correct * 10000 / FW_TEST_N % 100 / 10));
  put_u32((uint32_t)(correct * 10000 / FW_TEST_N % 10));
  fw_puts("% (");
  put_u32((uint32_t)correct);
  fw_puts("/");
  put_u32(FW_TEST_N);
  fw_puts(")\nweights checksum: ");
  put_hex32(checksum(state, UPPER(_NUM_WEIGHTS)));
  fw_puts("\n");
  return 0;
}
