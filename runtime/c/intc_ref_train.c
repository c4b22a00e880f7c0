/* intc_ref_train.c - the reference trainer: init, forward, the local steps,
 * predict and predict_heads (semantics at the top of intc_model.h).
 *
 * Scratch layout (all regions 16-byte aligned), planned identically by
 * intc_ref_scratch_bytes and the step functions:
 *   layer table  n_layers x layer_io (where each layer's tensors live)
 *   per layer    blocks: pre (int8) and h (int8); MAXPOOL and DROPOUT:
 *                output (int8 or int16); OUTPUT: yhat (int8); FLATTEN: none
 *   shared       z, g (int64); y, yloc (int8); e (int32); head input (int8),
 *                argmax, dh (int32, head-sized); d (int32, block-output-sized)
 */
#include "runtime/c/intc_init.h"
#include "runtime/c/intc_kernels.h"
#include "runtime/c/intc_model.h"

#include <string.h>

/* Where one layer's tensors live for the current step. */
typedef struct layer_io {
  const void *in;  /* int8 or int16, per in_i16 */
  const void *out; /* int8 or int16, per out_i16; FLATTEN: = in */
  void *buf;       /* the writable output buffer (NULL for FLATTEN) */
  int8_t *pre;     /* blocks: scaled pre-activation */
  int32_t in_i16, out_i16;
} layer_io;

/* The shared temporaries. */
typedef struct shared_bufs {
  int64_t *z, *g;
  int8_t *y, *yloc, *head_in;
  int32_t *e, *argmax, *dh, *d;
} shared_bufs;

static size_t align16(size_t n) { return (n + 15u) & ~(size_t)15u; }

static int64_t sample_numel_out(const intc_layer *l) {
  return (int64_t)l->out_c * l->out_h * l->out_w;
}

/* Walks the plan once. With base == NULL it only measures; otherwise it also
 * fills io[] and *sh. Returns the total size in bytes. */
static size_t plan(const intc_model *m, int32_t batch, char *base, layer_io *io,
                   shared_bufs *sh) {
  const int64_t bk = (int64_t)batch * m->num_classes;
  int64_t max_z = bk, max_g = 0, max_head = 0, max_d = 0;
  size_t off = align16((size_t)m->n_layers * sizeof(layer_io));
  int32_t i, i16 = 0;
  for (i = 0; i < m->n_layers; ++i) {
    const intc_layer *l = &m->layers[i];
    const int64_t n = (int64_t)batch * sample_numel_out(l);
    layer_io cur;
    cur.in_i16 = i16;
    cur.in = NULL; /* in and out are linked by forward() */
    cur.out = NULL;
    cur.buf = NULL;
    cur.pre = NULL;
    switch (l->kind) {
    case INTC_LAYER_LINEAR_BLOCK:
    case INTC_LAYER_CONV_BLOCK:
      if (base)
        cur.pre = (int8_t *)(base + off);
      off += align16((size_t)n);
      if (base)
        cur.buf = base + off;
      off += align16((size_t)n);
      i16 = 0;
      max_z = n > max_z ? n : max_z;
      max_d = n > max_d ? n : max_d;
      max_head = (int64_t)batch * l->dim_in_decoder > max_head
                     ? (int64_t)batch * l->dim_in_decoder
                     : max_head;
      break;
    case INTC_LAYER_MAXPOOL:
    case INTC_LAYER_DROPOUT:
      if (l->kind == INTC_LAYER_DROPOUT)
        i16 = 1;
      if (base)
        cur.buf = base + off;
      off += align16((size_t)n * (i16 ? 2u : 1u));
      break;
    case INTC_LAYER_OUTPUT:
      if (base)
        cur.buf = base + off;
      off += align16((size_t)n);
      i16 = 0;
      break;
    default: /* FLATTEN: aliases its input */
      break;
    }
    cur.out_i16 = i16;
    if (intc_layer_weight_elems(l) > max_g)
      max_g = intc_layer_weight_elems(l);
    if (intc_layer_head_weight_elems(l, m->num_classes) > max_g)
      max_g = intc_layer_head_weight_elems(l, m->num_classes);
    if (io)
      io[i] = cur;
  }
#define INTC_TAKE(field, type, count)                                          \
  do {                                                                         \
    if (sh)                                                                    \
      sh->field = (type *)(base + off);                                        \
    off += align16((size_t)(count) * sizeof(type));                            \
  } while (0)
  INTC_TAKE(z, int64_t, max_z);
  INTC_TAKE(g, int64_t, max_g);
  INTC_TAKE(y, int8_t, bk);
  INTC_TAKE(yloc, int8_t, bk);
  INTC_TAKE(e, int32_t, bk);
  INTC_TAKE(head_in, int8_t, max_head);
  INTC_TAKE(argmax, int32_t, max_head);
  INTC_TAKE(dh, int32_t, max_head);
  INTC_TAKE(d, int32_t, max_d);
#undef INTC_TAKE
  return off;
}

size_t intc_ref_scratch_bytes(const intc_model *m, int32_t batch) {
  int64_t largest = m == NULL ? 0 : m->num_classes, bound;
  int32_t i;
  if (batch < 1 || intc_model_check(m, NULL) != INTC_OK)
    return 0;
  /* plan() adds at most 4 buffers per layer and 9 shared ones, each at most
   * batch x the largest per-sample tensor (or a weight-sized gradient) of
   * 8-byte elements, plus alignment: if that bound does not fit size_t (a
   * 32-bit target), neither does the plan, so report 0. */
  for (i = 0; i < m->n_layers; ++i) {
    const intc_layer *l = &m->layers[i];
    int64_t sizes[4];
    int32_t k;
    sizes[0] = intc_count_mul(intc_count_mul(l->in_c, l->in_h), l->in_w);
    sizes[1] = intc_count_mul(intc_count_mul(l->out_c, l->out_h), l->out_w);
    sizes[2] = intc_layer_weight_elems(l);
    sizes[3] = intc_layer_head_weight_elems(l, m->num_classes);
    for (k = 0; k < 4; ++k)
      largest = sizes[k] > largest ? sizes[k] : largest;
  }
  bound = intc_count_mul(
      4 * (int64_t)m->n_layers + 16,
      intc_count_add(intc_count_mul(intc_count_mul(batch, largest), 8), 64));
  if (bound == INT64_MAX || (uint64_t)bound > (uint64_t)SIZE_MAX)
    return 0;
  return plan(m, batch, NULL, NULL, NULL);
}

int32_t intc_ref_init(const intc_model *m, int32_t *weights, uint64_t seed) {
  uint32_t t = 0;
  int32_t i, rc = intc_model_check(m, NULL);
  if (rc != INTC_OK)
    return rc;
  if (weights == NULL)
    return INTC_ERR_NULL;
  for (i = 0; i < m->n_layers; ++i) {
    const intc_layer *l = &m->layers[i];
    const int64_t enc = intc_layer_weight_elems(l);
    const int64_t head = intc_layer_head_weight_elems(l, m->num_classes);
    if (enc > 0)
      intc_init_tensor(l->init, weights + l->w_offset, enc, l->init_bound, seed,
                       t++);
    if (head > 0)
      intc_init_tensor(l->head_init, weights + l->head_w_offset, head,
                       l->head_init_bound, seed, t++);
  }
  return INTC_OK;
}

/* Forward through every layer. train != 0: dropout active (seed, step). */
static void forward(const intc_model *m, const int32_t *weights,
                    const int8_t *x, int32_t batch, int32_t train,
                    uint64_t seed, uint64_t step, layer_io *io,
                    const shared_bufs *sh) {
  const void *cur = x;
  int32_t i;
  for (i = 0; i < m->n_layers; ++i) {
    const intc_layer *l = &m->layers[i];
    const int32_t *w = weights + l->w_offset;
    const int64_t n = (int64_t)batch * sample_numel_out(l);
    io[i].in = cur;
    switch (l->kind) {
    case INTC_LAYER_LINEAR_BLOCK:
    case INTC_LAYER_OUTPUT:
      if (io[i].in_i16)
        intc_linear_fwd_i16((const int16_t *)cur, w, sh->z, batch, l->in_c,
                            l->out_c);
      else
        intc_linear_fwd_i8((const int8_t *)cur, w, sh->z, batch, l->in_c,
                           l->out_c);
      if (l->kind == INTC_LAYER_OUTPUT) {
        intc_rescale(sh->z, (int8_t *)io[i].buf, n, l->fwd_factor);
        break;
      }
      intc_rescale(sh->z, io[i].pre, n, l->fwd_factor);
      intc_act_fwd(l->act, l->nsi, 2, io[i].pre, (int8_t *)io[i].buf, batch,
                   l->out_c, 1, 1);
      break;
    case INTC_LAYER_CONV_BLOCK:
      if (io[i].in_i16)
        intc_conv2d_fwd_i16((const int16_t *)cur, w, sh->z, batch, l->in_c,
                            l->in_h, l->in_w, l->out_c, l->kernel, l->padding);
      else
        intc_conv2d_fwd_i8((const int8_t *)cur, w, sh->z, batch, l->in_c,
                           l->in_h, l->in_w, l->out_c, l->kernel, l->padding);
      intc_rescale(sh->z, io[i].pre, n, l->fwd_factor);
      intc_act_fwd(l->act, l->nsi, 4, io[i].pre, (int8_t *)io[i].buf, batch,
                   l->out_c, l->out_h, l->out_w);
      break;
    case INTC_LAYER_MAXPOOL:
      if (io[i].in_i16)
        intc_maxpool2d_fwd_i16((const int16_t *)cur, (int16_t *)io[i].buf, NULL,
                               batch, l->in_c, l->in_h, l->in_w, l->pool_k,
                               l->pool_k, 0, 0, 0);
      else
        intc_maxpool2d_fwd_i8((const int8_t *)cur, (int8_t *)io[i].buf, NULL,
                              batch, l->in_c, l->in_h, l->in_w, l->pool_k,
                              l->pool_k, 0, 0, 0);
      break;
    case INTC_LAYER_DROPOUT:
      if (train) {
        intc_dropout_fwd((const int8_t *)cur, (int16_t *)io[i].buf, n,
                         l->dropout_permille, seed, (uint32_t)l->dropout_index,
                         step);
      } else { /* identity, widened to the training dtype */
        int64_t j;
        for (j = 0; j < n; ++j)
          ((int16_t *)io[i].buf)[j] = ((const int8_t *)cur)[j];
      }
      break;
    default: /* FLATTEN: a reshape of contiguous memory */
      break;
    }
    io[i].out = l->kind == INTC_LAYER_FLATTEN ? cur : io[i].buf;
    cur = io[i].out;
  }
}

/* The head of block l on its cached output h (io->out), with head weights
 * wh, into yloc (batch x num_classes int8): the learning max-pool (padding
 * value 0, its argmax in sh->argmax) when the block has one, the linear and
 * the rescale. Returns the linear's input: h or the pooled sh->head_in. */
static const int8_t *head_forward(const intc_model *m, const intc_layer *l,
                                  const layer_io *io, const int32_t *wh,
                                  int32_t batch, const shared_bufs *sh,
                                  int8_t *yloc) {
  const int32_t k = m->num_classes;
  const int32_t pooled = l->kind == INTC_LAYER_CONV_BLOCK &&
                         (l->head_pool_kh > 1 || l->head_pool_kw > 1);
  const int8_t *h = (const int8_t *)io->out;
  if (pooled)
    intc_maxpool2d_fwd_i8(h, sh->head_in, sh->argmax, batch, l->out_c, l->out_h,
                          l->out_w, l->head_pool_kh, l->head_pool_kw,
                          l->head_pool_ph, l->head_pool_pw, 0);
  intc_linear_fwd_i8(pooled ? sh->head_in : h, wh, sh->z, batch,
                     l->dim_in_decoder, k);
  intc_rescale(sh->z, yloc, (int64_t)batch * k, l->head_factor);
  return pooled ? sh->head_in : h;
}

/* The local step of block l (index i), see intc_model.h. */
static void local_step(const intc_model *m, const intc_layer *l,
                       const layer_io *io, int32_t *weights, int32_t batch,
                       int64_t lr_inv, const shared_bufs *sh) {
  const int32_t k = m->num_classes, dim = l->dim_in_decoder;
  const int32_t wrap8 = (m->flags & INTC_FLAG_LOSS_WRAP8) != 0;
  const int32_t conv = l->kind == INTC_LAYER_CONV_BLOCK;
  const int32_t pooled = conv && (l->head_pool_kh > 1 || l->head_pool_kw > 1);
  int32_t *w = weights + l->w_offset;
  int32_t *wh = weights + l->head_w_offset;
  const int8_t *hin;
  int32_t *d;

  /* Head forward on the cached h with the current head weights. */
  hin = head_forward(m, l, io, wh, batch, sh, sh->yloc);
  intc_l2_grad(sh->yloc, sh->y, sh->e, (int64_t)batch * k, wrap8);

  /* Head backward: input gradient with the pre-update weights, then update.
   */
  intc_linear_dgrad(sh->e, wh, sh->dh, batch, dim, k);
  intc_linear_wgrad_i8(sh->e, hin, sh->g, batch, dim, k);
  intc_sgd_update(wh, sh->g, (int64_t)k * dim, lr_inv, l->head_lr_amp,
                  l->head_decay_inv);

  /* Route to the shape of h, through the activation (in place). */
  if (pooled) {
    intc_maxpool2d_bwd(sh->dh, sh->argmax, sh->d, batch, l->out_c, l->out_h,
                       l->out_w, l->head_grid_h, l->head_grid_w);
    d = sh->d;
  } else {
    d = sh->dh; /* dim_in_decoder equals the per-sample size of h */
  }
  intc_act_bwd(l->act, l->nsi, conv ? 4 : 2, io->pre, d, d, batch, l->out_c,
               l->out_h, l->out_w);

  /* Encoder weight gradient and update; nothing propagates further. */
  if (conv) {
    if (io->in_i16)
      intc_conv2d_wgrad_i16(d, (const int16_t *)io->in, sh->g, batch, l->in_c,
                            l->in_h, l->in_w, l->out_c, l->kernel, l->padding);
    else
      intc_conv2d_wgrad_i8(d, (const int8_t *)io->in, sh->g, batch, l->in_c,
                           l->in_h, l->in_w, l->out_c, l->kernel, l->padding);
  } else if (io->in_i16) {
    intc_linear_wgrad_i16(d, (const int16_t *)io->in, sh->g, batch, l->in_c,
                          l->out_c);
  } else {
    intc_linear_wgrad_i8(d, (const int8_t *)io->in, sh->g, batch, l->in_c,
                         l->out_c);
  }
  intc_sgd_update(w, sh->g, intc_layer_weight_elems(l), lr_inv, l->lr_amp,
                  l->decay_inv);
}

/* Output layer: e_out = l2_grad(yhat, y), update only. */
static void output_step(const intc_model *m, const intc_layer *l,
                        const layer_io *io, int32_t *weights, int32_t batch,
                        int64_t lr_inv, const shared_bufs *sh) {
  const int32_t wrap8 = (m->flags & INTC_FLAG_LOSS_WRAP8) != 0;
  intc_l2_grad((const int8_t *)io->out, sh->y, sh->e, (int64_t)batch * l->out_c,
               wrap8);
  if (io->in_i16)
    intc_linear_wgrad_i16(sh->e, (const int16_t *)io->in, sh->g, batch, l->in_c,
                          l->out_c);
  else
    intc_linear_wgrad_i8(sh->e, (const int8_t *)io->in, sh->g, batch, l->in_c,
                         l->out_c);
  intc_sgd_update(weights + l->w_offset, sh->g, intc_layer_weight_elems(l),
                  lr_inv, l->lr_amp, l->decay_inv);
}

/* Local steps of every block of one kind, last to first. */
static void blocks_reverse(const intc_model *m, int32_t kind,
                           const layer_io *io, int32_t *weights, int32_t batch,
                           int64_t lr_inv, const shared_bufs *sh) {
  int32_t i;
  for (i = m->n_layers - 1; i >= 0; --i)
    if (m->layers[i].kind == kind)
      local_step(m, &m->layers[i], &io[i], weights, batch, lr_inv, sh);
}

int32_t intc_ref_train_step(const intc_model *m, int32_t *weights,
                            const int8_t *x, const uint8_t *labels,
                            int32_t batch, int64_t lr_inv, uint64_t seed,
                            uint64_t step, void *scratch) {
  layer_io *io = (layer_io *)scratch;
  shared_bufs sh;
  int32_t i, has_conv = 0, rc = intc_model_check(m, NULL);
  if (rc != INTC_OK)
    return rc;
  if (weights == NULL || x == NULL || labels == NULL || scratch == NULL)
    return INTC_ERR_NULL;
  if (batch < 1 || lr_inv < 1)
    return INTC_ERR_PARAM;
  plan(m, batch, (char *)scratch, io, &sh);
  forward(m, weights, x, batch, 1, seed, step, io, &sh);
  intc_one_hot(labels, sh.y, batch, m->num_classes, (int8_t)m->one_hot_value);

  output_step(m, &m->layers[m->n_layers - 1], &io[m->n_layers - 1], weights,
              batch, lr_inv, &sh);
  blocks_reverse(m, INTC_LAYER_LINEAR_BLOCK, io, weights, batch, lr_inv, &sh);
  for (i = 0; i < m->n_layers; ++i)
    has_conv |= m->layers[i].kind == INTC_LAYER_CONV_BLOCK;
  if (has_conv && (m->flags & INTC_FLAG_DOUBLE_CLASSIFIER_UPDATE))
    blocks_reverse(m, INTC_LAYER_LINEAR_BLOCK, io, weights, batch, lr_inv, &sh);
  blocks_reverse(m, INTC_LAYER_CONV_BLOCK, io, weights, batch, lr_inv, &sh);
  return INTC_OK;
}

int32_t intc_ref_predict(const intc_model *m, const int32_t *weights,
                         const int8_t *x, int32_t batch, int8_t *logits,
                         void *scratch) {
  layer_io *io = (layer_io *)scratch;
  shared_bufs sh;
  int32_t rc = intc_model_check(m, NULL);
  if (rc != INTC_OK)
    return rc;
  if (weights == NULL || x == NULL || logits == NULL || scratch == NULL)
    return INTC_ERR_NULL;
  if (batch < 1)
    return INTC_ERR_PARAM;
  plan(m, batch, (char *)scratch, io, &sh);
  forward(m, weights, x, batch, 0, 0, 0, io, &sh);
  memcpy(logits, io[m->n_layers - 1].out,
         (size_t)batch * (size_t)m->num_classes);
  return INTC_OK;
}

int32_t intc_ref_predict_heads(const intc_model *m, const int32_t *weights,
                               const int8_t *x, int32_t batch, int8_t *logits,
                               int8_t *heads, void *scratch) {
  layer_io *io = (layer_io *)scratch;
  shared_bufs sh;
  const int64_t bk = (int64_t)batch * (m == NULL ? 0 : m->num_classes);
  int32_t i, head = 0, rc = intc_model_check(m, NULL);
  if (rc != INTC_OK)
    return rc;
  if (weights == NULL || x == NULL || logits == NULL || scratch == NULL ||
      (heads == NULL && intc_model_num_heads(m) > 0))
    return INTC_ERR_NULL;
  if (batch < 1)
    return INTC_ERR_PARAM;
  plan(m, batch, (char *)scratch, io, &sh);
  forward(m, weights, x, batch, 0, 0, 0, io, &sh);
  memcpy(logits, io[m->n_layers - 1].out, (size_t)bk);
  /* Every block output stays in its own buffer after the forward, so the
   * heads can run afterwards on the shared temporaries. */
  for (i = 0; i < m->n_layers; ++i) {
    const intc_layer *l = &m->layers[i];
    if (l->kind != INTC_LAYER_LINEAR_BLOCK && l->kind != INTC_LAYER_CONV_BLOCK)
      continue;
    head_forward(m, l, &io[i], weights + l->head_w_offset, batch, &sh,
                 heads + (size_t)head++ * (size_t)bk);
  }
  return INTC_OK;
}
