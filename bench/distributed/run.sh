#!/usr/bin/env bash
# Data-parallel benchmarks (bench/distributed/README.md has the figures of
# this 2-core machine and what they mean):
#
#   1. every example model: the bytes one rank all-reduces per step (from
#      `mpirun -np 2 intc train`'s "all-reduce:" line) and the one-process,
#      2-thread step time (batch 64, from the training loop's images/s);
#   2. VGG8B CIFAR-10 images/s: `mpirun -np 2` x INTC_THREADS=1 (overlap on
#      and off), `mpirun -np 1` x 1 thread, one process x 1 and x 2 threads;
#   3. MLP1 MNIST epoch time the same ways (summary.json's train_ms);
#   4. the scaling model on paper (scaling_model.py) from the figures of 1.
#
# usage: bench/distributed/run.sh [STEPS] [MLP1-EPOCHS]   (default 12, 3)
# The figures need a quiet machine: nothing else running on its cores.
# CIFAR10_DIR: the CIFAR-10 binary files (default ../shared/data/cifar10).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
intc="${INTC:-$root/build/bin/intc}"
steps="${1:-12}"
epochs="${2:-3}"
cifar="${CIFAR10_DIR:-$root/../shared/data/cifar10}"
mpirun=(mpirun --oversubscribe --allow-run-as-root --bind-to none)
# The data folder a model needs: CIFAR-10 is not in data/.
data_args() { grep -q 'dataset = "cifar10"' "$1" && echo "-data-dir=$cifar" || true; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# "throughput: 123 img/s (train ...": the training pass's images per second.
img_s() { sed -n 's/^throughput: \([0-9]*\) img\/s.*/\1/p' "$1"; }

echo "## 1. Bytes all-reduced per step, one-process step time (batch 64, 2 threads)"
echo
echo "| model | weights | bytes all-reduced per step (each rank) | step, 1 process x 2 threads |"
echo "|---|---:|---:|---:|"
models=()
for m in "$root"/examples/*.mlir; do
  name="$(basename "$m" .mlir)"
  data="$(data_args "$m")"
  INTC_THREADS=1 "${mpirun[@]}" -x INTC_THREADS -np 2 "$intc" train "$m" $data \
    -max-steps=2 -no-eval -no-progress -o "$out/$name-np2" > "$out/$name-np2.log" 2>&1
  bytes="$(sed -n 's/^all-reduce: \([0-9]*\) bytes.*/\1/p' "$out/$name-np2.log")"
  weights="$(sed -n 's/.*, \([0-9]*\) weights$/\1/p' "$out/$name-np2.log" | head -1)"
  INTC_THREADS=2 "$intc" train "$m" $data -max-steps="$steps" -no-eval -no-progress \
    -o "$out/$name-t2" > "$out/$name-t2.log" 2>&1
  rate="$(img_s "$out/$name-t2.log")"
  step_ms="$(python3 -c "print(f'{64000 / $rate:.1f}')")"
  echo "| $name | $weights | $bytes | $step_ms ms |"
  models+=("{\"name\": \"$name\", \"step_s\": $(python3 -c "print(64 / $rate)"), \"batch\": 64, \"bytes\": $bytes}")
done
(IFS=,; echo "{\"models\": [${models[*]}]}") > "$out/measured.json"
echo

echo "## 2. VGG8B CIFAR-10 images/s ($steps steps of 64)"
echo
vgg="$root/examples/vgg8b_cifar10.mlir"
# The command's prefix ends with --pipe for a 2-stage pipeline run.
pipe_args() { [ "${!#}" = --pipe ] && echo -pipeline-stages=2 || true; }
run_vgg() { # label, then the command's prefix
  local label="$1"; shift
  local extra; extra="$(pipe_args "$@")"; [ -n "$extra" ] && set -- "${@:1:$#-1}"
  "$@" "$intc" train "$vgg" $extra -data-dir="$cifar" -max-steps="$steps" -no-eval -no-progress \
    -o "$out/vgg-$label" > "$out/vgg-$label.log" 2>&1
  echo "| $label | $(img_s "$out/vgg-$label.log") img/s | $(grep '^all-reduce' "$out/vgg-$label.log" || true) |"
  cmp -s "$out/vgg-$label/model.safetensors" "$out/vgg-1 process x 1 thread/model.safetensors" ||
    { echo "weights differ from the one-process run: $label" >&2; exit 1; }
}
echo "| run | training images/s | all-reduce (rank 0) |"
echo "|---|---:|---|"
run_vgg "1 process x 1 thread" env INTC_THREADS=1
run_vgg "1 process x 2 threads" env INTC_THREADS=2
run_vgg "mpirun -np 1 x 1 thread" env INTC_THREADS=1 "${mpirun[@]}" -x INTC_THREADS -np 1
run_vgg "mpirun -np 2 x 1 thread" env INTC_THREADS=1 "${mpirun[@]}" -x INTC_THREADS -np 2
run_vgg "mpirun -np 2 x 1 thread, no overlap" env INTC_THREADS=1 INTC_ALLREDUCE_OVERLAP=0 \
  "${mpirun[@]}" -x INTC_THREADS -x INTC_ALLREDUCE_OVERLAP -np 2
run_vgg "mpirun -np 2 x 1 thread, -pipeline-stages=2" env INTC_THREADS=1 \
  "${mpirun[@]}" -x INTC_THREADS -np 2 --pipe
echo

echo "## 3. MLP1 MNIST training epoch ($epochs epochs, batch 64, seed 42)"
echo
mlp="$root/examples/mlp1_mnist.mlir"
run_mlp() {
  local label="$1"; shift
  local extra; extra="$(pipe_args "$@")"; [ -n "$extra" ] && set -- "${@:1:$#-1}"
  "$@" "$intc" train "$mlp" $extra -epochs="$epochs" -seed=42 -no-progress \
    -o "$out/mlp-$label" > "$out/mlp-$label.log" 2>&1
  python3 - "$out/mlp-$label/summary.json" "$epochs" "$label" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); e = int(sys.argv[2])
print(f"| {sys.argv[3]} | {s['train_ms'] / e:.0f} ms | {s['test_ms'] / e:.0f} ms |")
PY
  cmp -s "$out/mlp-$label/model.safetensors" "$out/mlp-1 process x 1 thread/model.safetensors" ||
    { echo "weights differ from the one-process run: $label" >&2; exit 1; }
}
echo "| run | training epoch | test pass |"
echo "|---|---:|---:|"
run_mlp "1 process x 1 thread" env INTC_THREADS=1
run_mlp "1 process x 2 threads" env INTC_THREADS=2
run_mlp "mpirun -np 1 x 1 thread" env INTC_THREADS=1 "${mpirun[@]}" -x INTC_THREADS -np 1
run_mlp "mpirun -np 2 x 1 thread" env INTC_THREADS=1 "${mpirun[@]}" -x INTC_THREADS -np 2
run_mlp "mpirun -np 2 x 1 thread, -pipeline-stages=2" env INTC_THREADS=1 "${mpirun[@]}" -x INTC_THREADS -np 2 --pipe
echo

echo "## 4. Scaling model (ring all-reduce, from section 1)"
echo
python3 "$root/bench/distributed/scaling_model.py" "$out/measured.json"
