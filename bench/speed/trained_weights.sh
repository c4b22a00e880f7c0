#!/usr/bin/env bash
# Training speed from trained weights against initial ones (issue 13, item
# 2): conv weights outgrow int16 as training goes on, and the conv forward
# then needs more than one int16 limb for them (runtime/cpu: the remainders
# of the few beyond int16 added as int64 axpys, or two limbs per slice
# when more than 1 in INTC_CPU_CONV_RESIDUAL_RATIO (64) are beyond it; for
# linear layers' weights, 1 in INTC_CPU_LIN_RESIDUAL_RATIO (8)).
#
# Prints, per tensor of the checkpoint, how many weights are beyond int16,
# then for each thread count the s / batch of STEPS training batches from:
#   init       fresh weights (seed of the checkpoint, no evaluation);
#   trained    the checkpoint's weights (a copy of RUN_DIR resumed for
#              STEPS more batches; a run with evaluation still tests at the
#              end, -no-eval cannot resume it, but train_ms leaves that out);
#   two-limb   the same with INTC_CPU_CONV_RESIDUAL_RATIO=0 and
#              INTC_CPU_LIN_RESIDUAL_RATIO=0 (every slice with a weight
#              beyond int16 on two limbs, as before the residual paths).
# Times are the loop's own (summary.json train_ms of that invocation).
#
# usage: bench/speed/trained_weights.sh RUN_DIR MODEL.mlir [STEPS] [THREADS...]
#        (default 10; 1 2)
# env:   DATA_DIR (-data-dir of the run; default ../shared/data/cifar10),
#        INTC (binary)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
intc="${INTC:-$root/build/bin/intc}"
run="$1"; model="$2"; shift 2
steps="${1:-10}"; shift || true
threads=("$@"); [ ${#threads[@]} -gt 0 ] || threads=(1 2)
data="${DATA_DIR:-$root/../shared/data/cifar10}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
meta="$(python3 - "$run/model.safetensors" <<'PY'
import json, struct, sys
from array import array
raw = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
meta = header.pop("__metadata__")
total = wide = 0
for name, t in header.items():
    a = array("i")
    a.frombytes(raw[8 + n + t["data_offsets"][0]:8 + n + t["data_offsets"][1]])
    w = sum(1 for v in a if v < -32768 or v > 32767)
    total += len(a); wide += w
    print(f"# {name:15s} {len(a):9d} weights, max |w| {max(abs(v) for v in a):9d}, "
          f"{w} beyond int16 ({100 * w / len(a):.3f}%)", file=sys.stderr)
print(f"# all {total} weights: {wide} beyond int16 ({100 * wide / total:.3f}%)",
      file=sys.stderr)
print(meta["global_step"], meta["seed"])
PY
)"
read -r done seed <<<"$meta"
echo "checkpoint: $run/model.safetensors after $done steps (seed $seed)"
secs() {
  python3 -c 'import json, sys
print("%.3f" % (json.load(open(sys.argv[1]))["train_ms"] / 1000 / int(sys.argv[2])))' \
    "$1" "$steps"
}
for t in "${threads[@]}"; do
  INTC_THREADS="$t" "$intc" train "$model" -data-dir="$data" -seed="$seed" \
    -max-steps="$steps" -no-eval -no-progress -o "$out/init$t" > /dev/null
  line="threads $t: s/batch init $(secs "$out/init$t/summary.json")"
  for mode in trained two-limb; do
    rm -rf "$out/$mode$t"
    cp -r "$run" "$out/$mode$t"
    ratio=()
    [ "$mode" = two-limb ] &&
      ratio=(INTC_CPU_CONV_RESIDUAL_RATIO=0 INTC_CPU_LIN_RESIDUAL_RATIO=0)
    env "${ratio[@]}" INTC_THREADS="$t" "$intc" train "$model" -data-dir="$data" \
      -max-steps=$((done + steps)) -no-progress -resume -o "$out/$mode$t" > /dev/null
    line="$line, $mode $(secs "$out/$mode$t/summary.json")"
  done
  echo "$line"
done
