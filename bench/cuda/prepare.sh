#!/usr/bin/env bash
# bench/cuda/prepare.sh - build, on a machine with LLVM/MLIR 22 and CUDA 13
# (no GPU needed), the self-contained programs bench/cuda/run.sh runs on the
# GPU machine, whose image has no LLVM/MLIR (intc itself cannot run there):
#   bench/cuda/bundle/check_<model>  init + 20 training steps + predict of the
#       AOT-compiled cuda target, compared with runtime/c after every step
#       (test/Target/CUDA/Inputs/aot_cuda_check.c), for MLP1 and the small CNN
#   bench/cuda/bundle/bench_vgg8b_cifar10  timed train steps and predict
#       (bench/cuda/aot_bench.c)
# They need only libc, libstdc++ and libdl (libcuda is loaded at run time).
# The bundle is ignored by git (bench/cuda/.gitignore); carry it (carry: ["bench/cuda/bundle"]).
set -eu -o pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
BUNDLE=$ROOT/bench/cuda/bundle
CC=${CC:-cc}
ninja -C "$BUILD" intc intc_runtime_cuda intc_runtime_c >/dev/null
rm -rf "$BUNDLE" && mkdir -p "$BUNDLE/gen"
link() { # model-file program output
  local name upper
  name=$(basename "$1" .mlir)
  upper=$(echo "$name" | tr a-z A-Z)
  mkdir -p "$BUNDLE/gen/$name"
  "$BUILD/bin/intc" "$1" -target=cuda -o "$BUNDLE/gen/$name" >/dev/null
  "$CC" -std=c99 -D_POSIX_C_SOURCE=200112L -O2 -I"$ROOT" -include "$BUNDLE/gen/$name/$name.h" \
    -DMODEL="$name" -DMODEL_UPPER="$upper" "$2" \
    "$BUNDLE/gen/$name/${name}_reference.c" "$BUNDLE/gen/$name/$name.o" \
    "$BUILD/runtime/cuda/libintc_runtime_cuda.a" \
    "$BUILD/runtime/c/libintc_runtime_c.a" \
    -static-libstdc++ -static-libgcc -lstdc++ -ldl -lm -o "$BUNDLE/$3"
}
CHECK=$ROOT/test/Target/CUDA/Inputs/aot_cuda_check.c
link "$ROOT/examples/mlp1_mnist.mlir" "$CHECK" check_mlp1_mnist
link "$ROOT/test/tools/intc/Inputs/small_cnn.mlir" "$CHECK" check_small_cnn
link "$ROOT/examples/vgg8b_cifar10.mlir" "$ROOT/bench/cuda/aot_bench.c" \
  bench_vgg8b_cifar10
rm -rf "$BUNDLE/gen"
du -sh "$BUNDLE"
ls "$BUNDLE"
