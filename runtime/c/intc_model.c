/* intc_model.c - descriptor builders, derived constants and validation
 * (intc_model.h). The reference trainer lives in intc_ref_train.c. */
#include "runtime/c/intc_model.h"

#include <string.h>

#include "runtime/c/intc_activations.h"
#include "runtime/c/intc_init.h"
#include "runtime/c/intc_kernels.h"

int64_t intc_scaling_factor(int64_t fan_in) {
  return fan_in << INTC_SCALING_SHIFT;
}

static int32_t ceil_div(int32_t a, int32_t b) { return (a + b - 1) / b; }

intc_head_pool intc_head_pool_plan(int32_t c_out, int32_t d_h, int32_t d_w,
                                   int32_t pred_decoder_dim) {
  intc_head_pool p;
  int64_t n = (int64_t)c_out * d_h * d_w;
  p.kh = 1;
  p.kw = 1;
  p.gh = d_h;
  p.gw = d_w;
  while (n > pred_decoder_dim && p.kh < d_h) {
    p.kh *= 2;
    p.gh = ceil_div(d_h, p.kh);
    n = (int64_t)c_out * p.gh * p.gw;
    if (n > pred_decoder_dim) {
      p.kw *= 2;
      p.gw = ceil_div(d_w, p.kw);
      n = (int64_t)c_out * p.gh * p.gw;
    }
  }
  p.ph = 0;
  p.pw = 0;
  if (p.kh > 1 || p.kw > 1) {
    p.ph = p.kh * (p.gh - d_h / p.kh) / 2;
    p.pw = p.kw * (p.gw - d_w / p.kw) / 2;
  }
  p.dim_in_decoder = (int32_t)n;
  p.valid = 2 * p.ph <= p.kh && 2 * p.pw <= p.kw;
  return p;
}

intc_block_params intc_block_params_reference(int64_t fwd_decay_inv,
                                              int64_t subnet_decay_inv) {
  intc_block_params p;
  p.act = INTC_ACT_NITRO_LEAKY_RELU;
  p.nsi = 4;
  p.init = INTC_INIT_KAIMING_LEAKY_RELU;
  p.gain_nsi = INTC_INIT_REFERENCE_GAIN_NSI;
  p.lr_amp = INTC_REFERENCE_ENC_LR_AMP;
  p.decay_inv = fwd_decay_inv;
  p.head_lr_amp = 1;
  p.head_decay_inv = subnet_decay_inv;
  p.pred_decoder_dim = INTC_REFERENCE_PRED_DECODER_DIM;
  return p;
}

/* A layer with every field neutral: no weights, identity shapes. */
static intc_layer blank(int32_t kind, int32_t c, int32_t h, int32_t w) {
  intc_layer l;
  memset(&l, 0, sizeof l);
  l.kind = kind;
  l.in_c = l.out_c = c;
  l.in_h = l.out_h = h;
  l.in_w = l.out_w = w;
  l.kernel = 1;
  l.head_pool_kh = l.head_pool_kw = 1;
  l.w_offset = -1;
  l.head_w_offset = -1;
  return l;
}

/* Fields common to the linear learning head of both block kinds. */
static void set_head(intc_layer *l, int32_t dim, int32_t num_classes,
                     const intc_block_params *p) {
  l->dim_in_decoder = dim;
  l->head_init = p->init;
  l->head_init_bound = intc_init_bound(p->init, dim, num_classes, p->gain_nsi);
  l->head_factor = intc_scaling_factor(dim);
  l->head_lr_amp = p->head_lr_amp;
  l->head_decay_inv = p->head_decay_inv;
}

intc_layer intc_make_linear_block(int32_t in, int32_t out, int32_t num_classes,
                                  const intc_block_params *p) {
  intc_layer l = blank(INTC_LAYER_LINEAR_BLOCK, in, 1, 1);
  l.out_c = out;
  l.act = p->act;
  l.nsi = p->nsi;
  l.init = p->init;
  l.init_bound = intc_init_bound(p->init, in, out, p->gain_nsi);
  l.fwd_factor = intc_scaling_factor(in);
  l.lr_amp = p->lr_amp;
  l.decay_inv = p->decay_inv;
  l.head_grid_h = l.head_grid_w = 1;
  set_head(&l, out, num_classes, p);
  return l;
}

intc_layer intc_make_conv_block(int32_t c_in, int32_t h, int32_t w,
                                int32_t c_out, int32_t k, int32_t pad,
                                int32_t num_classes,
                                const intc_block_params *p) {
  intc_layer l = blank(INTC_LAYER_CONV_BLOCK, c_in, h, w);
  const int64_t fan_in = (int64_t)c_in * k * k;
  intc_head_pool hp;
  l.out_c = c_out;
  l.out_h = intc_conv2d_out_size(h, k, pad);
  l.out_w = intc_conv2d_out_size(w, k, pad);
  l.kernel = k;
  l.padding = pad;
  l.act = p->act;
  l.nsi = p->nsi;
  l.init = p->init;
  l.init_bound =
      intc_init_bound(p->init, fan_in, (int64_t)c_out * k * k, p->gain_nsi);
  l.fwd_factor = intc_scaling_factor(fan_in);
  l.lr_amp = p->lr_amp;
  l.decay_inv = p->decay_inv;
  hp = intc_head_pool_plan(c_out, l.out_h, l.out_w, p->pred_decoder_dim);
  l.head_pool_kh = hp.kh;
  l.head_pool_kw = hp.kw;
  l.head_pool_ph = hp.ph;
  l.head_pool_pw = hp.pw;
  l.head_grid_h = hp.gh;
  l.head_grid_w = hp.gw;
  set_head(&l, hp.dim_in_decoder, num_classes, p);
  return l;
}

intc_layer intc_make_maxpool(int32_t c, int32_t h, int32_t w, int32_t k) {
  intc_layer l = blank(INTC_LAYER_MAXPOOL, c, h, w);
  l.pool_k = k;
  l.out_h = intc_maxpool_out_size(h, k, 0);
  l.out_w = intc_maxpool_out_size(w, k, 0);
  return l;
}

intc_layer intc_make_dropout(int32_t c, int32_t h, int32_t w,
                             int32_t permille) {
  intc_layer l = blank(INTC_LAYER_DROPOUT, c, h, w);
  l.dropout_permille = permille;
  return l;
}

intc_layer intc_make_flatten(int32_t c, int32_t h, int32_t w) {
  intc_layer l = blank(INTC_LAYER_FLATTEN, c, h, w);
  l.out_c = c * h * w;
  l.out_h = l.out_w = 1;
  return l;
}

intc_layer intc_make_output(int32_t in, int32_t num_classes,
                            const intc_block_params *p) {
  intc_layer l = blank(INTC_LAYER_OUTPUT, in, 1, 1);
  l.out_c = num_classes;
  l.init = p->init;
  l.init_bound = intc_init_bound(p->init, in, num_classes, p->gain_nsi);
  l.fwd_factor = intc_scaling_factor(in);
  l.lr_amp = p->head_lr_amp;
  l.decay_inv = p->head_decay_inv;
  return l;
}

int64_t intc_layer_weight_elems(const intc_layer *l) {
  switch (l->kind) {
  case INTC_LAYER_LINEAR_BLOCK:
  case INTC_LAYER_OUTPUT:
    return intc_count_mul(l->out_c, l->in_c);
  case INTC_LAYER_CONV_BLOCK:
    return intc_count_mul(intc_count_mul(l->out_c, l->in_c),
                          intc_count_mul(l->kernel, l->kernel));
  default:
    return 0;
  }
}

int64_t intc_layer_head_weight_elems(const intc_layer *l, int32_t num_classes) {
  return l->kind == INTC_LAYER_LINEAR_BLOCK || l->kind == INTC_LAYER_CONV_BLOCK
             ? intc_count_mul(num_classes, l->dim_in_decoder)
             : 0;
}

int32_t intc_model_num_heads(const intc_model *m) {
  int32_t i, n = 0;
  for (i = 0; m != NULL && i < m->n_layers; ++i)
    n += m->layers[i].kind == INTC_LAYER_LINEAR_BLOCK ||
         m->layers[i].kind == INTC_LAYER_CONV_BLOCK;
  return n;
}

int32_t intc_model_finalize(intc_model *m, intc_layer *layers, int32_t n_layers,
                            int32_t *bad_layer) {
  int64_t off = 0;
  int32_t i, dropouts = 0;
  if (m == NULL || layers == NULL)
    return INTC_ERR_NULL;
  for (i = 0; i < n_layers; ++i) {
    intc_layer *l = &layers[i];
    const int64_t enc = intc_layer_weight_elems(l);
    const int64_t head = intc_layer_head_weight_elems(l, m->num_classes);
    l->w_offset = enc > 0 ? off : -1;
    off = intc_count_add(off, enc); /* saturates: check rejects it */
    l->head_w_offset = head > 0 ? off : -1;
    off = intc_count_add(off, head);
    if (l->kind == INTC_LAYER_DROPOUT)
      l->dropout_index = dropouts++;
  }
  m->layers = layers;
  m->n_layers = n_layers;
  m->n_weights = off;
  return intc_model_check(m, bad_layer);
}
