#!/usr/bin/env bash
# MLP1 (784-100-50-10) MNIST training-epoch time through the CPU target, the
# figure the reference's 7.45 s/epoch (NumPy, this 2-core machine) is
# compared with. Trains EPOCHS epochs with the reference protocol (batch 64,
# seed 42, evaluation after each epoch) and reads the per-pass wall times the
# training loop measures (summary.json: train_ms and test_ms, integer ms).
#
# usage: [INTC_FLAGS=...] bench/speed/mlp1_epoch.sh [EPOCHS] [THREADS...]
#        (default 10; 1 2; INTC_FLAGS: more intc train options)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
intc="${INTC:-$root/build/bin/intc}"
epochs="${1:-10}"; shift || true
threads=("$@"); [ ${#threads[@]} -gt 0 ] || threads=(1 2)
out="$(mktemp -d)"
for t in "${threads[@]}"; do
  INTC_THREADS="$t" "$intc" train ${INTC_FLAGS:-} "$root/examples/mlp1_mnist.mlir" -epochs="$epochs" \
    -seed=42 -no-progress -o "$out/t$t" > "$out/t$t.log"
  python3 - "$out/t$t/summary.json" "$t" "$epochs" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); t, e = sys.argv[2], int(sys.argv[3])
train_ms, test_ms = s["train_ms"], s["test_ms"]
per_epoch = train_ms / e
print(f"threads {t}: {e} epochs, train {train_ms} ms -> {per_epoch:.0f} ms/epoch "
      f"({7450 / per_epoch:.1f}x the reference's 7.45 s), test pass {test_ms / e:.0f} ms "
      f"(reference 500 ms), best test accuracy {100 * s['best_test_correct'] / s['test_seen']:.2f}%")
PY
done
rm -rf "$out"
