#!/usr/bin/env bash
# Training speed from a trained checkpoint against initial weights, in
# alternating pairs (this shared VM's speed drifts by 10-20% from minute to
# minute, so single runs do not compare; issue 13, item 2).
#
# A checkpoint written with evaluation cannot be resumed with -no-eval (the
# schedule would change, so `intc train -resume` refuses it) and resuming it
# with evaluation tests 10,000 images at the end (4 minutes on one thread
# for VGG8B). So this makes a benchmark copy of RUN_DIR/model.safetensors
# whose metadata is that of a run without evaluation at the same position
# (no_eval 1; best epoch and the schedules' counters 0); the weights, the
# step and the data statistics are the checkpoint's. Then, PAIRS times for
# each thread count, it trains STEPS batches from initial weights (seed of
# the checkpoint) and STEPS batches from the copy, and prints the training
# loop's own time (summary.json train_ms) of each. With OLD set, the trained
# run is repeated with that binary and the two checkpoints are compared with
# cmp (same weights).
#
# usage: bench/speed/trained_pairs.sh RUN_DIR MODEL.mlir [STEPS] [PAIRS] [THREADS...]
#        (default 10 steps, 3 pairs, threads 1 2)
# env:   DATA_DIR (-data-dir of the run; default ../shared/data/cifar10),
#        INTC (binary), OLD (a second binary for the trained runs)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
intc="${INTC:-$root/build/bin/intc}"
run="$1"; model="$2"; shift 2
steps="${1:-10}"; shift || true
pairs="${1:-3}"; shift || true
threads=("$@"); [ ${#threads[@]} -gt 0 ] || threads=(1 2)
data="${DATA_DIR:-$root/../shared/data/cifar10}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
mkdir "$out/ck"
meta="$(python3 - "$run/model.safetensors" "$out/ck/model.safetensors" <<'PY'
import json, struct, sys
raw = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
m = header["__metadata__"]
m.update({"no_eval": "1", "best_epoch": "0", "best_test_correct": "0",
          "best_test_seen": "0", "train_correct_at_best": "0",
          "train_seen_at_best": "0"})
for s in ("early_stop", "plateau"):
    for k in ("epoch_count", "counter", "best_correct"):
        m[f"schedule.{s}.{k}"] = "0"
hb = json.dumps(header, separators=(",", ":")).encode()
hb += b" " * (-len(hb) % 8)
open(sys.argv[2], "wb").write(struct.pack("<Q", len(hb)) + hb + raw[8 + n:])
print(m["global_step"], m["seed"])
PY
)"
read -r step seed <<<"$meta"
echo "# $run: step $step, seed $seed; $steps batches a run, s / batch (train_ms)"
per_batch() { python3 -c "import json,sys; print(f\"{json.load(open(sys.argv[1]))['train_ms'] / 1000 / $steps:.3f}\")" "$1"; }
trained() { # BIN DIR
  rm -rf "$2"; cp -r "$out/ck" "$2"
  INTC_THREADS="$t" "$1" train "$model" -data-dir="$data" -seed="$seed" -max-steps=$((step + steps)) \
    -no-eval -no-progress -resume -o "$2" > "$2.log" 2>&1 || { cat "$2.log" >&2; exit 1; }
}
for t in "${threads[@]}"; do
  for p in $(seq 1 "$pairs"); do
    rm -rf "$out/init"
    INTC_THREADS="$t" "$intc" train "$model" -data-dir="$data" -seed="$seed" -max-steps="$steps" \
      -no-eval -no-progress -o "$out/init" > "$out/init.log" 2>&1 || { cat "$out/init.log" >&2; exit 1; }
    trained "$intc" "$out/tr"
    line="threads $t pair $p: init $(per_batch "$out/init/summary.json"), trained $(per_batch "$out/tr/summary.json")"
    if [ -n "${OLD:-}" ]; then
      trained "$OLD" "$out/old"
      same="differ"; cmp -s "$out/tr/model.safetensors" "$out/old/model.safetensors" && same="same weights"
      line="$line, trained with OLD $(per_batch "$out/old/summary.json") ($same)"
    fi
    echo "$line"
  done
done
