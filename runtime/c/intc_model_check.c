/* intc_model_check.c - descriptor validation (intc_model_check in
 * intc_model.h). The trainer relies on every invariant checked here, so a
 * descriptor the compiler emits can be tested against it cheaply. */
#include "runtime/c/intc_model.h"

#include "runtime/c/intc_activations.h"
#include "runtime/c/intc_init.h"
#include "runtime/c/intc_kernels.h"
#include "runtime/c/intc_rng.h"

static int32_t same_shape(const intc_layer *l) {
  return l->out_c == l->in_c && l->out_h == l->in_h && l->out_w == l->in_w;
}

static int32_t init_ok(int32_t scheme, int32_t bound) {
  if (scheme == INTC_INIT_ZEROS || scheme == INTC_INIT_ONES)
    return 1;
  return scheme >= INTC_INIT_KAIMING_LEAKY_RELU && scheme <= INTC_INIT_FIXED &&
         bound >= 0 && bound <= INTC_INIT_BOUND_CAP;
}

/* Encoder / output fields shared by every weighted layer. */
static int32_t check_encoder(const intc_layer *l) {
  if (l->fwd_factor <= 0 || l->lr_amp <= 0 || l->decay_inv < 0)
    return INTC_ERR_PARAM;
  if (!init_ok(l->init, l->init_bound))
    return INTC_ERR_PARAM;
  return INTC_OK;
}

/* Parameters every block has on top of its encoder: activation and head. */
static int32_t check_block_params(const intc_layer *l) {
  int32_t rc = check_encoder(l);
  if (rc != INTC_OK)
    return rc;
  if (!intc_act_valid(l->act, l->nsi))
    return INTC_ERR_PARAM;
  if (l->head_factor <= 0 || l->head_lr_amp <= 0 || l->head_decay_inv < 0)
    return INTC_ERR_PARAM;
  if (!init_ok(l->head_init, l->head_init_bound))
    return INTC_ERR_PARAM;
  return INTC_OK;
}

static int32_t check_conv_head(const intc_layer *l) {
  const int32_t kh = l->head_pool_kh, kw = l->head_pool_kw;
  const int32_t ph = l->head_pool_ph, pw = l->head_pool_pw;
  if (kh < 1 || kw < 1 || ph < 0 || pw < 0 || 2 * ph > kh || 2 * pw > kw)
    return INTC_ERR_SHAPE;
  if (kh == 1 && kw == 1) {
    if (ph != 0 || pw != 0 || l->head_grid_h != l->out_h ||
        l->head_grid_w != l->out_w)
      return INTC_ERR_SHAPE;
  } else if (l->head_grid_h != intc_maxpool_out_size(l->out_h, kh, ph) ||
             l->head_grid_w != intc_maxpool_out_size(l->out_w, kw, pw) ||
             l->head_grid_h < 1 || l->head_grid_w < 1) {
    return INTC_ERR_SHAPE;
  }
  if ((int64_t)l->dim_in_decoder !=
      intc_count_mul(intc_count_mul(l->out_c, l->head_grid_h), l->head_grid_w))
    return INTC_ERR_SHAPE;
  return INTC_OK;
}

/* Kind-specific checks; *i16 tracks whether the layer input is int16. */
static int32_t check_layer(const intc_model *m, const intc_layer *l,
                           int32_t *i16) {
  int32_t rc;
  switch (l->kind) {
  case INTC_LAYER_LINEAR_BLOCK:
    if (l->in_h != 1 || l->in_w != 1 || l->out_h != 1 || l->out_w != 1 ||
        l->kernel != 1 || l->padding != 0 || l->head_pool_kh != 1 ||
        l->head_pool_kw != 1 || l->head_pool_ph != 0 || l->head_pool_pw != 0 ||
        l->head_grid_h != 1 || l->head_grid_w != 1 ||
        l->dim_in_decoder != l->out_c)
      return INTC_ERR_SHAPE;
    *i16 = 0;
    return check_block_params(l);
  case INTC_LAYER_CONV_BLOCK:
    if (l->kernel < 1 || l->padding < 0 ||
        l->out_h != intc_conv2d_out_size(l->in_h, l->kernel, l->padding) ||
        l->out_w != intc_conv2d_out_size(l->in_w, l->kernel, l->padding) ||
        l->out_h < 1 || l->out_w < 1)
      return INTC_ERR_SHAPE;
    if ((rc = check_conv_head(l)) != INTC_OK)
      return rc;
    *i16 = 0;
    return check_block_params(l);
  case INTC_LAYER_MAXPOOL:
    if (l->pool_k < 1 || l->out_c != l->in_c ||
        l->out_h != intc_maxpool_out_size(l->in_h, l->pool_k, 0) ||
        l->out_w != intc_maxpool_out_size(l->in_w, l->pool_k, 0) ||
        l->out_h < 1 || l->out_w < 1)
      return INTC_ERR_SHAPE;
    return INTC_OK;
  case INTC_LAYER_DROPOUT:
    if (!same_shape(l))
      return INTC_ERR_SHAPE;
    /* The dropout kernel reads int8: two dropouts need a block between. */
    if (*i16 || intc_dropout_factor(l->dropout_permille) == 0)
      return INTC_ERR_PARAM;
    *i16 = 1;
    return INTC_OK;
  case INTC_LAYER_FLATTEN:
    if ((int64_t)l->out_c !=
            intc_count_mul(intc_count_mul(l->in_c, l->in_h), l->in_w) ||
        l->out_h != 1 || l->out_w != 1)
      return INTC_ERR_SHAPE;
    return INTC_OK;
  case INTC_LAYER_OUTPUT:
    if (l->in_h != 1 || l->in_w != 1 || l->out_c != m->num_classes ||
        l->out_h != 1 || l->out_w != 1)
      return INTC_ERR_SHAPE;
    *i16 = 0;
    return check_encoder(l);
  default:
    return INTC_ERR_KIND;
  }
}

/* Offsets must follow the canonical contiguous layout of intc_model.h. */
static int32_t check_layout(const intc_model *m, const intc_layer *l,
                            int64_t *off, int32_t *tensors, int32_t *dropouts) {
  const int64_t enc = intc_layer_weight_elems(l);
  const int64_t head = intc_layer_head_weight_elems(l, m->num_classes);
  if (l->w_offset != (enc > 0 ? *off : -1))
    return INTC_ERR_LAYOUT;
  *off = intc_count_add(*off, enc);
  if (l->head_w_offset != (head > 0 ? *off : -1))
    return INTC_ERR_LAYOUT;
  *off = intc_count_add(*off, head);
  /* The runtimes index a tensor, and the whole state, with int32 (the
   * compiler's limit too, dialect/IntcLimits.h kMaxElements). */
  if (enc > INT32_MAX || head > INT32_MAX || *off > INT32_MAX)
    return INTC_ERR_SHAPE;
  *tensors += (enc > 0) + (head > 0);
  if (l->kind == INTC_LAYER_DROPOUT && l->dropout_index != (*dropouts)++)
    return INTC_ERR_LAYOUT;
  if (*tensors > INTC_RNG_STREAM_INDEX_LIMIT ||
      *dropouts > INTC_RNG_STREAM_INDEX_LIMIT)
    return INTC_ERR_LAYOUT;
  return INTC_OK;
}

int32_t intc_model_check(const intc_model *m, int32_t *bad_layer) {
  int32_t i, rc, i16 = 0, tensors = 0, dropouts = 0;
  int32_t c, h, w;
  int64_t off = 0;
  if (bad_layer != NULL)
    *bad_layer = -1;
  if (m == NULL || m->layers == NULL || m->n_layers < 1)
    return INTC_ERR_NULL;
  if (m->num_classes < 1 || m->num_classes > 256 || m->one_hot_value < -128 ||
      m->one_hot_value > 127 || m->in_c < 1 || m->in_h < 1 || m->in_w < 1)
    return INTC_ERR_PARAM;
  c = m->in_c;
  h = m->in_h;
  w = m->in_w;
  for (i = 0; i < m->n_layers; ++i) {
    const intc_layer *l = &m->layers[i];
    rc = INTC_OK;
    if (l->in_c != c || l->in_h != h || l->in_w != w || l->out_c < 1)
      rc = INTC_ERR_SHAPE;
    else if ((l->kind == INTC_LAYER_OUTPUT) != (i == m->n_layers - 1))
      rc = INTC_ERR_STRUCTURE;
    if (rc == INTC_OK)
      rc = check_layer(m, l, &i16);
    if (rc == INTC_OK)
      rc = check_layout(m, l, &off, &tensors, &dropouts);
    if (rc != INTC_OK) {
      if (bad_layer != NULL)
        *bad_layer = i;
      return rc;
    }
    c = l->out_c;
    h = l->out_h;
    w = l->out_w;
  }
  return off == m->n_weights ? INTC_OK : INTC_ERR_LAYOUT;
}
