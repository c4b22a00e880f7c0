/* intc_data.c - normalisation statistics, normalisation and shuffles
 * (intc_data.h). */
#include "runtime/c/intc_data.h"

#include "runtime/c/intc_arith.h"
#include "runtime/c/intc_rng.h"

static int64_t image_index(const uint32_t *order, int64_t i) {
  return order ? (int64_t)order[i] : i;
}

/* Every pixel is one of 256 values, so both statistics come from a histogram
 * of the channel: one pass over the images, and the same integer sums as
 * summing pixel by pixel. */
void intc_data_histogram(const uint8_t *images, const uint32_t *order,
                         int64_t first, int64_t last, int32_t c, int64_t hw,
                         int32_t ch, int64_t *histogram) {
  /* Neighbouring pixels are often equal, and incrementing one counter
   * twice in a row waits for the first store: four interleaved counts break
   * that chain (2x on CIFAR-10). They are added to histogram before they
   * could overflow. */
  uint32_t part[4][256];
  int64_t i, p, pending = 0;
  int32_t k, v;
  for (k = 0; k < 4; ++k)
    for (v = 0; v < 256; ++v)
      part[k][v] = 0;
  for (i = first; i < last; ++i) {
    const uint8_t *px = images + (image_index(order, i) * c + ch) * hw;
    for (p = 0; p + 4 <= hw; p += 4) {
      ++part[0][px[p]];
      ++part[1][px[p + 1]];
      ++part[2][px[p + 2]];
      ++part[3][px[p + 3]];
    }
    for (; p < hw; ++p)
      ++part[0][px[p]];
    pending += hw;
    if (pending >= ((int64_t)1 << 31) || i + 1 == last) {
      for (k = 0; k < 4; ++k)
        for (v = 0; v < 256; ++v) {
          histogram[v] += part[k][v];
          part[k][v] = 0;
        }
      pending = 0;
    }
  }
}

void intc_data_stats_from_histogram(const int64_t *histogram, int64_t count,
                                    int32_t *mean, int32_t *mad) {
  int64_t sum = 0, abs_sum = 0;
  int32_t mu, v;
  for (v = 0; v < 256; ++v)
    sum += histogram[v] * intc_data_center((uint8_t)v);
  mu = count > 0 ? (int32_t)(sum / count) : 0;
  for (v = 0; v < 256; ++v) {
    const int32_t d = intc_data_center((uint8_t)v) - mu;
    abs_sum += histogram[v] * (d < 0 ? -d : d);
  }
  *mean = mu;
  *mad = count > 0 ? (int32_t)(abs_sum / count) : 0;
}

void intc_data_stats(const uint8_t *images, const uint32_t *order,
                     int64_t n_images, int32_t c, int64_t hw, int64_t limit,
                     int32_t *mean, int32_t *mad) {
  const int64_t used = n_images < limit ? n_images : limit;
  int32_t ch;
  for (ch = 0; ch < c; ++ch) {
    int64_t histogram[256] = {0};
    intc_data_histogram(images, order, 0, used, c, hw, ch, histogram);
    intc_data_stats_from_histogram(histogram, used * hw, &mean[ch], &mad[ch]);
  }
}

void intc_data_norm_table(int32_t c, const int32_t *mean, const int32_t *mad,
                          int8_t *table) {
  /* One division per pixel value and channel, not per pixel. */
  int32_t ch, v;
  for (ch = 0; ch < c; ++ch)
    for (v = 0; v < 256; ++v) {
      const int32_t num =
          (intc_data_center((uint8_t)v) - mean[ch]) * INTC_DATA_NORM_SCALE;
      table[ch * 256 + v] =
          mad[ch] == 0 ? 0 : (int8_t)intc_clip32(num / mad[ch], -128, 127);
    }
}

void intc_data_norm_apply(const uint8_t *images, int8_t *out, int64_t n_images,
                          int32_t c, int64_t hw, const int8_t *table) {
  int64_t i, p;
  int32_t ch;
  for (i = 0; i < n_images; ++i)
    for (ch = 0; ch < c; ++ch) {
      const int8_t *t = table + ch * 256;
      const int64_t off = (i * c + ch) * hw;
      for (p = 0; p < hw; ++p)
        out[off + p] = t[images[off + p]];
    }
}

void intc_data_normalize(const uint8_t *images, int8_t *out, int64_t n_images,
                         int32_t c, int64_t hw, const int32_t *mean,
                         const int32_t *mad) {
  /* A channel at a time: a 256-byte table fits a microcontroller's stack. */
  int8_t table[256];
  int64_t i;
  int32_t ch;
  for (ch = 0; ch < c; ++ch) {
    intc_data_norm_table(1, mean + ch, mad + ch, table);
    for (i = 0; i < n_images; ++i)
      intc_data_norm_apply(images + (i * c + ch) * hw, out + (i * c + ch) * hw,
                           1, 1, hw, table);
  }
}

void intc_shuffle(uint32_t *perm, uint32_t n, uint64_t key,
                  uint64_t counter_base) {
  uint32_t i;
  for (i = n; i-- > 1;) {
    const uint32_t j =
        intc_rng_below(intc_rng_u64(key, counter_base + i), (uint64_t)i + 1);
    const uint32_t t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
}

void intc_data_shuffle_load(uint32_t *perm, uint32_t n, uint64_t seed) {
  uint32_t i;
  for (i = 0; i < n; ++i)
    perm[i] = i;
  intc_shuffle(perm, n, intc_rng_key(seed, INTC_RNG_STREAM_DATA_SHUFFLE), 0);
}

void intc_data_shuffle_epoch(uint32_t *perm, uint32_t n, uint64_t seed,
                             uint32_t epoch) {
  intc_shuffle(perm, n, intc_rng_key(seed, INTC_RNG_STREAM_EPOCH_SHUFFLE),
               (uint64_t)epoch << 32);
}
