/* intc_schedule.c - integer plateau / early-stopping monitors
 * (intc_schedule.h). */
#include "runtime/c/intc_schedule.h"

#include <stddef.h>

static void monitor_init(intc_monitor *m, int64_t factor, int64_t patience,
                         int64_t from_epoch) {
  m->factor = factor;
  m->patience = patience;
  m->from_epoch = from_epoch;
  m->min_delta_pct = INTC_MIN_DELTA_PCT;
  m->epoch_count = 0;
  m->best_correct = 0;
  m->counter = 0;
}

void intc_plateau_init(intc_monitor *m) {
  monitor_init(m, INTC_PLATEAU_FACTOR, INTC_PLATEAU_PATIENCE,
               INTC_PLATEAU_FROM_EPOCH);
}

void intc_early_stop_init(intc_monitor *m) {
  monitor_init(m, 1, INTC_EARLY_STOP_PATIENCE, INTC_EARLY_STOP_FROM_EPOCH);
}

int32_t intc_monitor_step(intc_monitor *m, int64_t correct, int64_t n_eval,
                          int64_t *lr_inv) {
  m->epoch_count += 1;
  if (m->epoch_count < m->from_epoch)
    return 0;
  if (100 * correct >= 100 * m->best_correct + m->min_delta_pct * n_eval) {
    m->best_correct = correct;
    m->counter = 0;
    return 0;
  }
  m->counter += 1;
  if (m->counter < m->patience)
    return 0;
  if (lr_inv != NULL) {
    m->counter = 0;
    /* Saturating, without forming an overflowing product (a factor below 2
     * leaves lr_inv as it is). */
    if (m->factor > 1)
      *lr_inv = *lr_inv > INTC_LR_INV_MAX / m->factor ? INTC_LR_INV_MAX
                                                      : *lr_inv * m->factor;
  }
  return 1;
}

void intc_schedule_init(intc_schedule *s, int64_t initial_lr_inv) {
  intc_early_stop_init(&s->early_stop);
  intc_plateau_init(&s->plateau);
  s->lr_inv = initial_lr_inv;
}

int32_t intc_schedule_epoch_end(intc_schedule *s, int64_t correct,
                                int64_t n_eval) {
  if (intc_monitor_step(&s->early_stop, correct, n_eval, NULL))
    return INTC_SCHEDULE_STOP;
  return intc_monitor_step(&s->plateau, correct, n_eval, &s->lr_inv)
             ? INTC_SCHEDULE_LR_REDUCED
             : 0;
}
