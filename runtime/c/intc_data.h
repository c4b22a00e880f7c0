/* intc_data.h - dataset preprocessing, shuffling and augmentation in
 * integers (ALGORITHM.md §7), shared by the host tools and firmware.
 *
 * Images are uint8 NCHW as decoded from the dataset files. Centering is
 * x = pixel - 128 (int16 range [-128, 127]); the statistics and the
 * normalisation below centre on the fly, so no int16 copy is needed.
 */
#ifndef INTC_RUNTIME_C_INTC_DATA_H
#define INTC_RUNTIME_C_INTC_DATA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Normalisation statistics use at most this many (shuffled) training images.
 */
#define INTC_DATA_STATS_LIMIT 25000
/* 51 ~ 64 / 1.25 targets a standard deviation of about 64 (MAD ~ 0.8 sigma).
 */
#define INTC_DATA_NORM_SCALE 51

/* Centering, §7 step 3. */
static inline int16_t intc_data_center(uint8_t pixel) {
  return (int16_t)((int32_t)pixel - 128);
}

/* Per-channel statistics over images order[0 .. min(n_images, limit) - 1]
 * (order NULL = identity), with x = pixel - 128 and count = used * hw:
 *   mean[ch] = tdiv(sum x, count)                 (int64 sum)
 *   mad[ch]  = tdiv(sum |x - mean[ch]|, count)    (mean absolute deviation)
 * images: (n_images, c, hw) uint8. */
void intc_data_stats(const uint8_t *images, const uint32_t *order,
                     int64_t n_images, int32_t c, int64_t hw, int64_t limit,
                     int32_t *mean, int32_t *mad);

/* The two halves of intc_data_stats, for callers that split the images
 * (the host tools, over threads; integer sums, so any split gives the same
 * statistics). intc_data_histogram adds channel ch of images order[first ..
 * last - 1] to histogram[256] (counts of each pixel value);
 * intc_data_stats_from_histogram turns a channel's histogram over count
 * pixels into its mean and MAD, as above. */
void intc_data_histogram(const uint8_t *images, const uint32_t *order,
                         int64_t first, int64_t last, int32_t c, int64_t hw,
                         int32_t ch, int64_t *histogram);
void intc_data_stats_from_histogram(const int64_t *histogram, int64_t count,
                                    int32_t *mean, int32_t *mad);

/* out = int8(clip(tdiv((x - mean[ch]) * 51, mad[ch]), -128, 127)) with
 * x = pixel - 128. A channel with mad = 0 (a constant channel) maps to 0,
 * which is what the reference's NumPy division by zero produces. images and
 * out: (n_images, c, hw). */
void intc_data_normalize(const uint8_t *images, int8_t *out, int64_t n_images,
                         int32_t c, int64_t hw, const int32_t *mean,
                         const int32_t *mad);

/* intc_data_normalize in two halves, for callers that normalise images one
 * batch at a time (the host's training loop keeps the data as loaded, uint8,
 * and normalises each batch as it gathers it): intc_data_norm_table fills
 * table[ch * 256 + v] with the normalised value of pixel value v in channel
 * ch (c * 256 entries); intc_data_norm_apply maps images to out with it. */
void intc_data_norm_table(int32_t c, const int32_t *mean, const int32_t *mad,
                          int8_t *table);
void intc_data_norm_apply(const uint8_t *images, int8_t *out, int64_t n_images,
                          int32_t c, int64_t hw, const int8_t *table);

/* Fisher-Yates on perm[0 .. n-1] in place:
 *   for i = n - 1 down to 1:
 *     j = intc_rng_below(intc_rng_u64(key, counter_base + i), i + 1)
 *     swap(perm[i], perm[j]) */
void intc_shuffle(uint32_t *perm, uint32_t n, uint64_t key,
                  uint64_t counter_base);

/* Load-time shuffle (§7 step 2): perm = identity, then intc_shuffle with
 * key = intc_rng_key(seed, INTC_RNG_STREAM_DATA_SHUFFLE), counter_base = 0.
 * The first min(n, 25000) entries select the normalisation subset. */
void intc_data_shuffle_load(uint32_t *perm, uint32_t n, uint64_t seed);

/* Epoch shuffle (§7 step 9) for epoch >= 1: shuffles the CURRENT perm again
 * (cumulative permutations, like the reference's repeated np.random.shuffle)
 * with key = intc_rng_key(seed, INTC_RNG_STREAM_EPOCH_SHUFFLE) and
 * counter_base = epoch * 2^32, so counter = epoch * 2^32 + i. Batch b of the
 * epoch is samples perm[b * B .. b * B + B - 1]; the last partial batch is
 * dropped. */
void intc_data_shuffle_epoch(uint32_t *perm, uint32_t n, uint64_t seed,
                             uint32_t epoch);

/* ---- Augmentation (§7 step 8, Q19) ------------------------------------ */

/* Per-dataset transforms: crop_pad = 0 disables the crop, flip = 0 the
 * horizontal flip. */
typedef struct intc_augment_cfg {
  int32_t crop_pad;
  int32_t flip;
} intc_augment_cfg;

#define INTC_AUGMENT_MNIST                                                     \
  { 2, 0 }
#define INTC_AUGMENT_FMNIST                                                    \
  { 2, 1 }
#define INTC_AUGMENT_CIFAR10                                                   \
  { 4, 1 }

/* The draws of one batch. With key = intc_rng_key(seed,
 * INTC_RNG_STREAM_AUGMENT) and u_k = intc_rng_u64(key, step * 4 + k):
 *   crop = (cfg.crop_pad > 0) && intc_rng_below(u_0, 2) == 1
 *   top  = intc_rng_below(u_1, 2 * crop_pad + 1)   (0 when no crop)
 *   left = intc_rng_below(u_2, 2 * crop_pad + 1)   (0 when no crop)
 *   flip = cfg.flip && intc_rng_below(u_3, 2) == 1
 * step is the global training step (batches since the start of training,
 * from 0), the same counter intc_ref_train_step takes. */
typedef struct intc_augment_draw {
  int32_t crop;
  int32_t top;
  int32_t left;
  int32_t flip;
} intc_augment_draw;

intc_augment_draw intc_augment_params(intc_augment_cfg cfg, uint64_t seed,
                                      uint64_t step);

/* Scratch bytes intc_augment_batch needs: one image plane, h * w. */
size_t intc_augment_scratch_bytes(int32_t h, int32_t w);

/* Applies the draws to the whole batch x (batch, c, h, w) in place; every
 * image gets the same transform. Crop first: with p = crop_pad and mn = the
 * minimum over the whole batch tensor (taken before the crop),
 *   out[i][j] = x[top + i - p][left + j - p] if inside the image, else mn.
 * Then flip: out[i][j] = in[i][w - 1 - j]. scratch: see above. */
void intc_augment_batch(int8_t *x, int32_t batch, int32_t c, int32_t h,
                        int32_t w, intc_augment_cfg cfg, uint64_t seed,
                        uint64_t step, int8_t *scratch);

#ifdef __cplusplus
}
#endif

#endif /* INTC_RUNTIME_C_INTC_DATA_H */
