/* intc_schedule.h - learning-rate plateau reduction and early stopping in
 * integers (ALGORITHM.md §4.3, §8 step 2, §10 item 2).
 *
 * Both monitors are fed once per epoch with the epoch's test `correct` count
 * out of n_eval scored samples (9984 for the reference). The reference
 * compares fractional accuracies a = correct / n_eval as "no improvement iff
 * a < best + min_delta"; with min_delta = min_delta_pct / 100 this is exactly
 *   improvement  <=>  100 * correct >= 100 * best_correct
 *                                      + min_delta_pct * n_eval
 * (for n_eval = 9984 the boundary 100 * (correct - best) = n_eval is
 * unreachable, so rounding of the fractions cannot make the two forms
 * disagree).
 *
 *   epoch_count += 1
 *   if epoch_count < from_epoch: nothing
 *   elif improvement: best_correct = correct; counter = 0
 *   else: counter += 1; then
 *     plateau:   if counter >= patience: counter = 0; lr_inv *= factor
 *     early stop: if counter >= patience: stop
 *
 * best_correct starts at 0, so the first counted epoch sets best unless its
 * accuracy is below min_delta (exactly as the reference's fractional rule).
 * The state is plain data so checkpoints can store it.
 */
#ifndef INTC_RUNTIME_C_INTC_SCHEDULE_H
#define INTC_RUNTIME_C_INTC_SCHEDULE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Reference defaults. */
#define INTC_PLATEAU_FACTOR 3
#define INTC_PLATEAU_PATIENCE 15
#define INTC_PLATEAU_FROM_EPOCH 10
#define INTC_EARLY_STOP_PATIENCE 35
#define INTC_EARLY_STOP_FROM_EPOCH 30
#define INTC_MIN_DELTA_PCT 1 /* min_delta = 0.01 */
#define INTC_REFERENCE_N_EVAL 9984
#define INTC_REFERENCE_LR_INV 512
#define INTC_REFERENCE_MAX_EPOCHS 150
/* lr_inv never grows past this: a plateau reduction saturates there, so
 * lr_inv * lr_amp (lr_amp < 2^31) cannot overflow int64. The reference
 * reaches at most 512 * 3^5 = 124416. */
#define INTC_LR_INV_MAX INT64_C(2147483647)

/* One monitor (shared by both rules; factor is unused by early stopping). */
typedef struct intc_monitor {
  /* parameters */
  int64_t factor;
  int64_t patience;
  int64_t from_epoch;
  int64_t min_delta_pct;
  /* state */
  int64_t epoch_count;
  int64_t best_correct;
  int64_t counter;
} intc_monitor;

/* Both rules, checked in the reference's order. */
typedef struct intc_schedule {
  intc_monitor early_stop;
  intc_monitor plateau;
  int64_t lr_inv;
} intc_schedule;

/* Result bits of intc_schedule_epoch_end. */
#define INTC_SCHEDULE_STOP 1
#define INTC_SCHEDULE_LR_REDUCED 2

/* Sets reference parameters and a fresh state. */
void intc_plateau_init(intc_monitor *m);
void intc_early_stop_init(intc_monitor *m);

/* Advances the monitor by one epoch; returns 1 when counter reached patience
 * (the plateau rule also resets counter to 0 and multiplies *lr_inv by
 * factor, saturating at INTC_LR_INV_MAX; lr_inv may be NULL for the
 * early-stopping rule). */
int32_t intc_monitor_step(intc_monitor *m, int64_t correct, int64_t n_eval,
                          int64_t *lr_inv);

/* Reference schedule: early stopping and plateau with default parameters and
 * lr_inv = initial_lr_inv. */
void intc_schedule_init(intc_schedule *s, int64_t initial_lr_inv);

/* End-of-epoch decision: early stopping first; if it fires, returns
 * INTC_SCHEDULE_STOP and the plateau rule does not run this epoch (the
 * reference breaks out of the loop). Otherwise the plateau rule runs and
 * INTC_SCHEDULE_LR_REDUCED is set when it multiplied s->lr_inv. */
int32_t intc_schedule_epoch_end(intc_schedule *s, int64_t correct,
                                int64_t n_eval);

#ifdef __cplusplus
}
#endif

#endif /* INTC_RUNTIME_C_INTC_SCHEDULE_H */
