#!/usr/bin/env bash
# One rank's compute for a data-parallel step (train_grads + apply_grads,
# plus the second step of a CNN) against one train_step on the same batch,
# through the object `intc -target=cpu` writes (grads_vs_step.c).
#
# usage: bench/speed/grads_vs_step.sh [MODEL.mlir] [BATCH]
#        (default examples/mlp1_mnist.mlir, the model's batch; one kernel
#        thread unless INTC_THREADS says otherwise; MCPU: -mcpu, native)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${BUILD:-$root/build}"
model="${1:-$root/examples/mlp1_mnist.mlir}"
batch="${2:-0}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$build/bin/intc" "$model" -target=cpu -mcpu="${MCPU:-native}" -batch="$batch" -o "$out" > /dev/null
name="$(basename "$out"/*.o .o)"
upper="$(echo "$name" | tr 'a-z' 'A-Z' | tr -c 'A-Z0-9\n' '_')"
cc -std=c99 -O2 -D_POSIX_C_SOURCE=199309L -include "$out/$name.h" -DMODEL="$name" -DMODEL_UPPER="$upper" \
  "$root/bench/speed/grads_vs_step.c" "$out/$name.o" \
  "$build/runtime/cpu/libintc_runtime_cpu.a" -lpthread -o "$out/bench"
echo "$name: $(INTC_THREADS="${INTC_THREADS:-1}" "$out/bench")"
