/* intc_model.h - the model descriptor and the reference trainer.
 *
 * A model is a flat array of layers described PER SAMPLE (the batch size is
 * a runtime argument) plus one flat int32 weight state. The compiler emits a
 * `const intc_model` for every model it compiles; the end-to-end tests train
 * the same model through the generated code and through intc_ref_train_step
 * and compare the weight states bit for bit. Everything is plain data (no
 * function pointers) so a descriptor can live in flash.
 *
 * Layer kinds (ALGORITHM.md §3):
 *   LINEAR_BLOCK  LocalLinearBlock: z = x W^T (W: out x in), pre =
 *                 rescale(z, fwd_factor), h = act(pre); head: yloc =
 *                 rescale(h W_head^T, head_factor) (W_head: K x out).
 *   CONV_BLOCK    LocalConv2dBlock: z = conv(x, W) (W: F x C x k x k, stride 1,
 *                 zero pad), pre = rescale, h = act; head: [maxpool kernel =
 *                 stride (head_pool_kh, head_pool_kw), padding (head_pool_ph,
 *                 head_pool_pw), pad value 0 (Q5)] -> flatten (C order) ->
 *                 linear (W_head: K x dim_in_decoder) -> rescale(head_factor).
 *                 The pool exists iff head_pool_kh > 1 or head_pool_kw > 1.
 *   MAXPOOL       inter-block max-pool, kernel = stride = pool_k, no padding,
 *                 floor size; forward only.
 *   DROPOUT       §2.8 with dropout_permille; forward only; output int16 in
 *                 training, the unchanged input (widened) in evaluation.
 *   FLATTEN       (C, H, W) -> (C*H*W, 1, 1); no data movement.
 *   OUTPUT        z = x W^T (W: K x in), yhat = rescale(z, fwd_factor); must be
 *                 the last layer.
 * Shapes: 2-D tensors use c = features, h = w = 1. A tensor is int16 iff a
 * DROPOUT precedes it with no block in between; otherwise it is int8.
 *
 * Weight state: one int32 array of n_weights elements holding the tensors in
 * construction order (for each block its encoder W then its head W; then the
 * output W), contiguous, row-major. The init tensor_index (intc_init.h)
 * counts the same tensors from 0. intc_model_finalize computes this layout
 * and intc_model_check insists on it.
 *
 * One training step (intc_ref_train_step, ALGORITHM.md §3.3-§3.7):
 *  1. Forward through every layer in training mode, caching each block's
 *     input, scaled pre-activation and output h. Dropout layer with
 *     dropout_index d uses the mask of intc_dropout_keep with
 *     key = intc_rng_key(seed, INTC_RNG_STREAM_DROPOUT + d) and counter
 *     step * (batch * per-sample numel) + flat index.
 *  2. y = one_hot(labels, one_hot_value). e_out = l2_grad(yhat, y) (wrapped
 *     to int8 iff INTC_FLAG_LOSS_WRAP8). Output layer: W -= tdiv(e_out^T x,
 *     lr_inv * lr_amp) + decay.
 *  3. Local step of each LINEAR_BLOCK, last to first. With
 *     INTC_FLAG_DOUBLE_CLASSIFIER_UPDATE and at least one CONV_BLOCK in the
 *     model (Q2), every LINEAR_BLOCK then gets a second local step, last to
 *     first again, on the same cached tensors with the updated weights.
 *     Then the local step of each CONV_BLOCK, last to first.
 *  A block's local step, with its cached input x, pre and h:
 *     hin   = head pool (with int32 argmax) of h, or h itself
 *     yloc  = rescale(hin W_head^T, head_factor)
 *     e     = l2_grad(yloc, y)                      (int32, wrap8 per flag)
 *     dh    = wrap32(e W_head)                      (PRE-update W_head)
 *     W_head -= tdiv(e^T hin, lr_inv * head_lr_amp) + tdiv(W_head,
 *               head_decay_inv)
 *     d     = maxpool_bwd(dh) if pooled else dh     (int32, shape of h)
 *     d     = act_bwd(pre, d)                       (rank 2 linear, 4 conv)
 *     W     -= tdiv(wgrad(d, x), lr_inv * lr_amp) + tdiv(W, decay_inv)
 *  No error crosses a block; MAXPOOL, DROPOUT and FLATTEN are never
 *  back-propagated. All sums are int64 (intc_kernels.h).
 */
#ifndef INTC_RUNTIME_C_INTC_MODEL_H
#define INTC_RUNTIME_C_INTC_MODEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Layer kinds (0 is invalid so a zeroed layer is rejected). */
#define INTC_LAYER_LINEAR_BLOCK 1
#define INTC_LAYER_CONV_BLOCK 2
#define INTC_LAYER_MAXPOOL 3
#define INTC_LAYER_DROPOUT 4
#define INTC_LAYER_FLATTEN 5
#define INTC_LAYER_OUTPUT 6

/* Model flags. */
#define INTC_FLAG_LOSS_WRAP8 UINT32_C(1) /* e = wrap8(yhat - y) (Q3) */
#define INTC_FLAG_DOUBLE_CLASSIFIER_UPDATE UINT32_C(2) /* Q2, CNNs only */
/* What the reference does: both on (the second only acts with conv blocks).
 */
#define INTC_FLAGS_REFERENCE                                                   \
  (INTC_FLAG_LOSS_WRAP8 | INTC_FLAG_DOUBLE_CLASSIFIER_UPDATE)

/* Reference constants. */
#define INTC_REFERENCE_ONE_HOT_VALUE 32
#define INTC_REFERENCE_ENC_LR_AMP 640
#define INTC_REFERENCE_PRED_DECODER_DIM 4096
#define INTC_SCALING_SHIFT 8 /* F = 2^8 * fan_in */

/* Status codes. */
#define INTC_OK 0
#define INTC_ERR_NULL (-1)      /* missing model, layers or buffer */
#define INTC_ERR_KIND (-2)      /* unknown layer kind */
#define INTC_ERR_SHAPE (-3)     /* shapes do not chain or do not fit */
#define INTC_ERR_PARAM (-4)     /* bad factor, activation, rate, ... */
#define INTC_ERR_LAYOUT (-5)    /* weight offsets / dropout indexes */
#define INTC_ERR_STRUCTURE (-6) /* OUTPUT missing or not last */

typedef struct intc_layer {
  int32_t kind; /* INTC_LAYER_* */
  /* Per-sample input and output shapes. */
  int32_t in_c, in_h, in_w;
  int32_t out_c, out_h, out_w;
  /* Encoder (blocks) or output linear (OUTPUT). */
  int32_t kernel;  /* conv kernel size k (square); 1 for linear */
  int32_t padding; /* conv zero padding; 0 for linear */
  int32_t act;     /* INTC_ACT_* (blocks) */
  int32_t nsi;     /* negative_slope_inv of the leaky kinds */
  int32_t init;    /* INTC_INIT_* */
  int32_t init_bound;
  int64_t fwd_factor; /* NITRO-Scaling F */
  int64_t lr_amp;     /* A */
  int64_t decay_inv;  /* 0: no decay */
  /* Learning head (blocks). */
  int32_t head_pool_kh, head_pool_kw; /* 1, 1: no pool */
  int32_t head_pool_ph, head_pool_pw;
  int32_t head_grid_h, head_grid_w; /* pooled size (h, w if no pool) */
  int32_t dim_in_decoder;           /* out_c * grid_h * grid_w */
  int32_t head_init;
  int32_t head_init_bound;
  int64_t head_factor;
  int64_t head_lr_amp;
  int64_t head_decay_inv;
  /* MAXPOOL. */
  int32_t pool_k;
  /* DROPOUT. */
  int32_t dropout_permille;
  int32_t dropout_index; /* 0, 1, ... in layer order */
  /* Offsets into the weight state (int32 elements); -1 when absent. */
  int64_t w_offset;
  int64_t head_w_offset;
} intc_layer;

typedef struct intc_model {
  const char *name;
  int32_t n_layers;
  const intc_layer *layers;
  int32_t num_classes;   /* K, 1..256 (labels are uint8) */
  int32_t one_hot_value; /* 32 */
  int32_t in_c, in_h, in_w;
  uint32_t flags; /* INTC_FLAG_* */
  int64_t n_weights;
} intc_model;

/* ---- Derived constants (ALGORITHM.md §2.3, §3.2, §5) ------------------ */

/* NITRO-Scaling factor F = 256 * fan_in. */
int64_t intc_scaling_factor(int64_t fan_in);

/* Learning-head pooling of a conv block (§3.2), generalised to a d_h x d_w
 * map (the reference only uses square maps, d_h = d_w = d):
 *   ks_h = ks_w = 1; gh = d_h; gw = d_w; N = C * gh * gw
 *   while N > D and ks_h < d_h:
 *     ks_h *= 2; gh = ceil(d_h / ks_h); N = C * gh * gw
 *     if N > D: ks_w *= 2; gw = ceil(d_w / ks_w); N = C * gh * gw
 *   pad_h = ks_h * (gh - d_h / ks_h) / 2; pad_w likewise (0 without pool)
 *   dim_in_decoder = N
 * valid = 0 when a padding exceeds half its kernel (the reference raises). */
typedef struct intc_head_pool {
  int32_t kh, kw, ph, pw, gh, gw, dim_in_decoder, valid;
} intc_head_pool;

intc_head_pool intc_head_pool_plan(int32_t c_out, int32_t d_h, int32_t d_w,
                                   int32_t pred_decoder_dim);

/* ---- Building descriptors --------------------------------------------- */

/* Hyper-parameters shared by the blocks of a model. */
typedef struct intc_block_params {
  int32_t act, nsi;         /* activation of every block */
  int32_t init;             /* init scheme of every tensor */
  int32_t gain_nsi;         /* Kaiming-leaky gain slope (reference: 4) */
  int64_t lr_amp;           /* encoder A (reference 640) */
  int64_t decay_inv;        /* fwd_decay_inv */
  int64_t head_lr_amp;      /* heads and output layer (reference 1) */
  int64_t head_decay_inv;   /* subnet_decay_inv (heads and output) */
  int32_t pred_decoder_dim; /* reference 4096 */
} intc_block_params;

/* NitroLeakyReLU(4), Kaiming-leaky init with gain slope 4, A = 640 / 1,
 * pred_decoder_dim 4096 and the given decays. */
intc_block_params intc_block_params_reference(int64_t fwd_decay_inv,
                                              int64_t subnet_decay_inv);

/* Each builder fills every field of its kind (derived constants included)
 * and leaves offsets at -1 and dropout_index at 0 for
 * intc_model_finalize. */
intc_layer intc_make_linear_block(int32_t in, int32_t out, int32_t num_classes,
                                  const intc_block_params *p);
intc_layer intc_make_conv_block(int32_t c_in, int32_t h, int32_t w,
                                int32_t c_out, int32_t k, int32_t pad,
                                int32_t num_classes,
                                const intc_block_params *p);
intc_layer intc_make_maxpool(int32_t c, int32_t h, int32_t w, int32_t k);
intc_layer intc_make_dropout(int32_t c, int32_t h, int32_t w, int32_t permille);
intc_layer intc_make_flatten(int32_t c, int32_t h, int32_t w);
intc_layer intc_make_output(int32_t in, int32_t num_classes,
                            const intc_block_params *p);

/* Points m at layers, assigns the canonical weight offsets, dropout indexes
 * and n_weights, then returns intc_model_check(m, bad_layer). The other
 * model fields (name, num_classes, one_hot_value, input shape, flags) are
 * the caller's and must be set first. */
int32_t intc_model_finalize(intc_model *m, intc_layer *layers, int32_t n_layers,
                            int32_t *bad_layer);

/* Validates a descriptor: shapes chain from the model input, every derived
 * field is consistent, OUTPUT is the single last layer, the weight layout
 * and dropout indexes are canonical and fewer than 256 weight tensors and
 * dropout layers exist (RNG stream indexes). Returns INTC_OK or an
 * INTC_ERR_* code; *bad_layer (may be NULL) receives the failing layer index
 * or -1. */
int32_t intc_model_check(const intc_model *m, int32_t *bad_layer);

/* Elements of a layer's encoder (or output) weight tensor and of its head
 * weight tensor (num_classes x dim_in_decoder); 0 if absent. */
int64_t intc_layer_weight_elems(const intc_layer *l);
int64_t intc_layer_head_weight_elems(const intc_layer *l, int32_t num_classes);

/* H: the model's local blocks (linear and conv), each with a head; 0 for
 * NULL. */
int32_t intc_model_num_heads(const intc_model *m);

/* ---- Reference trainer ------------------------------------------------- */

/* Initialises all weights (intc_init.h) with the layer's scheme and bound;
 * tensor_index counts weight tensors in layout order. */
int32_t intc_ref_init(const intc_model *m, int32_t *weights, uint64_t seed);

/* Bytes of scratch intc_ref_train_step, intc_ref_predict and
 * intc_ref_predict_heads need for `batch` samples (0 for an invalid model,
 * or one whose scratch would not fit size_t). Scratch must be aligned for
 * int64_t and pointers (any heap allocation is); it holds no state between
 * calls. */
size_t intc_ref_scratch_bytes(const intc_model *m, int32_t batch);

/* One training step on x (batch, in_c, in_h, in_w) int8 and labels; see the
 * top of this file. seed and step only feed the dropout masks. */
int32_t intc_ref_train_step(const intc_model *m, int32_t *weights,
                            const int8_t *x, const uint8_t *labels,
                            int32_t batch, int64_t lr_inv, uint64_t seed,
                            uint64_t step, void *scratch);

/* Evaluation forward (dropout is the identity, nothing is updated):
 * logits (batch, num_classes) int8 = the network output yhat. */
int32_t intc_ref_predict(const intc_model *m, const int32_t *weights,
                         const int8_t *x, int32_t batch, int8_t *logits,
                         void *scratch);

/* intc_ref_predict (the same logits), plus each block's head output on its
 * evaluation-mode block output, exactly as the block's local step computes
 * it (conv blocks: the learning max-pool with padding value 0, flatten,
 * linear, rescale): heads (H, batch, num_classes) int8, blocks in model
 * order, H = intc_model_num_heads(m). heads may be NULL when H is 0. Same
 * scratch as intc_ref_predict. */
int32_t intc_ref_predict_heads(const intc_model *m, const int32_t *weights,
                               const int8_t *x, int32_t batch, int8_t *logits,
                               int8_t *heads, void *scratch);

#ifdef __cplusplus
}
#endif

#endif /* INTC_RUNTIME_C_INTC_MODEL_H */
