/* intc_augment.c - per-batch random crop and horizontal flip (intc_data.h).
 */
#include "runtime/c/intc_data.h"

#include <string.h>

#include "runtime/c/intc_rng.h"

intc_augment_draw intc_augment_params(intc_augment_cfg cfg, uint64_t seed,
                                      uint64_t step) {
  const uint64_t key = intc_rng_key(seed, INTC_RNG_STREAM_AUGMENT);
  const uint64_t base = step * 4;
  intc_augment_draw d;
  d.crop = cfg.crop_pad > 0 && intc_rng_below(intc_rng_u64(key, base), 2) == 1;
  d.top = 0;
  d.left = 0;
  if (d.crop) {
    const uint64_t span = 2 * (uint64_t)cfg.crop_pad + 1;
    d.top = (int32_t)intc_rng_below(intc_rng_u64(key, base + 1), span);
    d.left = (int32_t)intc_rng_below(intc_rng_u64(key, base + 2), span);
  }
  d.flip = cfg.flip != 0 && intc_rng_below(intc_rng_u64(key, base + 3), 2) == 1;
  return d;
}

size_t intc_augment_scratch_bytes(int32_t h, int32_t w) {
  return (size_t)h * (size_t)w;
}

void intc_augment_batch(int8_t *x, int32_t batch, int32_t c, int32_t h,
                        int32_t w, intc_augment_cfg cfg, uint64_t seed,
                        uint64_t step, int8_t *scratch) {
  const intc_augment_draw d = intc_augment_params(cfg, seed, step);
  const int64_t plane = (int64_t)h * w, planes = (int64_t)batch * c;
  int64_t p;
  int32_t i, j;
  if (d.crop) {
    int8_t mn = 127;
    for (p = 0; p < planes * plane; ++p)
      mn = x[p] < mn ? x[p] : mn;
    for (p = 0; p < planes; ++p) {
      int8_t *img = x + p * plane;
      memcpy(scratch, img, (size_t)plane);
      for (i = 0; i < h; ++i) {
        const int32_t si = d.top + i - cfg.crop_pad;
        for (j = 0; j < w; ++j) {
          const int32_t sj = d.left + j - cfg.crop_pad;
          const int32_t inside = si >= 0 && si < h && sj >= 0 && sj < w;
          img[(int64_t)i * w + j] = inside ? scratch[(int64_t)si * w + sj] : mn;
        }
      }
    }
  }
  if (d.flip) {
    for (p = 0; p < planes; ++p) {
      for (i = 0; i < h; ++i) {
        int8_t *row = x + p * plane + (int64_t)i * w;
        for (j = 0; j < w / 2; ++j) {
          const int8_t t = row[j];
          row[j] = row[w - 1 - j];
          row[w - 1 - j] = t;
        }
      }
    }
  }
}
