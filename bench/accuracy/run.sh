#!/usr/bin/env bash
# Accuracy benchmark: trains a model with the reference protocol (batch 64,
# up to 150 epochs, plateau x3 schedule and early stopping on test accuracy,
# ALGORITHM.md §4.3/§8) for several seeds and keeps each run's summary.json.
#
# usage: bench/accuracy/run.sh MODEL.mlir OUTDIR [SEEDS...]   (default seeds 42 43 44)
# env:   INTC=path/to/intc (default build/bin/intc), EXTRA="-data-dir=..."
set -euo pipefail
model="$1"; out="$2"; shift 2
seeds=("$@"); [ ${#seeds[@]} -gt 0 ] || seeds=(42 43 44)
intc="${INTC:-$(dirname "$0")/../../build/bin/intc}"
mkdir -p "$out"
for seed in "${seeds[@]}"; do
  run="$out/seed$seed"
  echo "== $(basename "$model") seed $seed -> $run"
  # shellcheck disable=SC2086
  "$intc" train "$model" -seed="$seed" -no-progress -o "$run" ${EXTRA:-} | tee "$run.log" | grep -E "^epoch|accuracy" || true
done
