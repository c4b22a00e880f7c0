#!/usr/bin/env bash
# Accuracy benchmark: trains a model with the reference protocol (batch 64,
# up to 150 epochs, plateau x3 schedule and early stopping on test accuracy,
# ALGORITHM.md §4.3/§8) for several seeds and keeps each run's summary.json.
#
# A seed whose run finished (OUTDIR/seedS/summary.json) is skipped, and one
# that was interrupted (a checkpoint, no summary) continues bit-exactly from
# its last epoch (-resume): the same command finishes a benchmark that
# outlives one sitting.
#
# usage: bench/accuracy/run.sh MODEL.mlir OUTDIR [SEEDS...]   (default seeds 42 43 44)
# env:   INTC=path/to/intc (default build/bin/intc), EXTRA="-data-dir=...",
#        JOBS=N to train N seeds at once (default 1; with INTC_THREADS=1 and
#        JOBS = the number of cores, every core trains its own seed)
set -euo pipefail
model="$1"; out="$2"; shift 2
seeds=("$@"); [ ${#seeds[@]} -gt 0 ] || seeds=(42 43 44)
intc="${INTC:-$(dirname "$0")/../../build/bin/intc}"
mkdir -p "$out"
run_seed() {
  local seed="$1" run="$out/seed$1" resume=""
  if [ -f "$run/summary.json" ]; then
    echo "== $(basename "$model") seed $seed: done ($run/summary.json)"
    return
  fi
  [ -f "$run/model.safetensors" ] && resume="-resume"
  echo "== $(basename "$model") seed $seed -> $run ${resume}"
  # shellcheck disable=SC2086
  "$intc" train "$model" -seed="$seed" -no-progress -o "$run" $resume ${EXTRA:-} | tee -a "$run.log" | grep -E "^epoch|accuracy" || true
}
export -f run_seed
export model out intc EXTRA
printf '%s\n' "${seeds[@]}" | xargs -P "${JOBS:-1}" -I{} bash -c 'run_seed "$1"' _ {}
