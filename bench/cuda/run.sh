#!/usr/bin/env bash
# bench/cuda/run.sh - the one prepared GPU check of the cuda target (issue 6).
#
# On a machine with an NVIDIA GPU (written for one H200), in at most 10
# minutes. Two ways in, both taken when available:
#   A. bench/cuda/bundle/ (made by bench/cuda/prepare.sh where LLVM/MLIR 22
#      is installed, then carried): self-contained AOT programs of the cuda
#      target; needs nothing but the NVIDIA driver;
#   B. intc itself (needs LLVM/MLIR 22's shared libraries; built here when
#      cmake finds them), for the full `intc train` path.
# What it does:
#   1. bit-exactness: 20 training steps of MLP1 (examples/mlp1_mnist.mlir) and
#      of the small CNN (test/tools/intc/Inputs/small_cnn.mlir) on
#      -target=cuda and on -target=cpu, each compared with runtime/c after
#      every step (`intc check`), and MLP1's checkpoints after 20 steps of
#      `intc train` on both targets compared tensor by tensor;
#   1b. data parallel (needs mpirun and an intc built with MPI): MLP1 for 20
#      steps under `mpirun -np 1` and `-np 2` on -target=cuda, each
#      checkpoint compared with the -target=cpu one; prints how the ranks
#      summed their gradients (NCCL with one GPU per rank; host staging
#      through MPI when ranks share a GPU, as -np 2 does on a one-GPU
#      machine);
#   2. speed: VGG8B CIFAR-10 (examples/vgg8b_cifar10.mlir) on -target=cuda,
#      VGG_STEPS training batches then the whole test set: seconds per epoch
#      (train, extrapolated from the timed batches; test, measured) and the
#      integer ops/s this is, as a fraction of the H200's int8 dense peak.
# See bench/cuda/README.md for the method and the figures used.
#
# Environment (all optional):
#   INTC           the intc binary (default: $BUILD/bin/intc, built if absent)
#   BUILD          build directory (default: <repo>/build)
#   MLIR_DIR       for the build (default: /usr/lib/llvm-22/lib/cmake/mlir)
#   CIFAR10_DIR    CIFAR-10 binary files (default: <repo>/../shared/data/cifar10;
#                  when absent, synthetic files of the official layout and
#                  size are written and the timings are marked synthetic)
#   MNIST_DIR      MNIST IDX files for the checkpoint comparison (default:
#                  <repo>/data/mnist; when absent, a small synthetic set)
#   VGG_STEPS      timed VGG8B training batches (default 200; 0: a full epoch)
#   SKIP_VGG=1     stop after the bit-exactness part
#   GPU_TARGET     the target under test (default cuda; cuda-host runs the
#                  same lowering as host loops: a dry run without a GPU)
#   RESULTS        where logs and runs go (default: $OUT if set, else a
#                  temporary directory)
set -u -o pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
INTC=${INTC:-$BUILD/bin/intc}
RESULTS=${RESULTS:-${OUT:-$(mktemp -d)}}
VGG_STEPS=${VGG_STEPS:-200}
GPU_TARGET=${GPU_TARGET:-cuda}
CIFAR10_DIR=${CIFAR10_DIR:-$ROOT/../shared/data/cifar10}
MNIST_DIR=${MNIST_DIR:-$ROOT/data/mnist}
WORK=$(mktemp -d)
START=$(date +%s)
mkdir -p "$RESULTS"
LOG=$RESULTS/cuda-bench.log
exec > >(tee "$LOG") 2>&1

# H200 SXM int8 dense tensor-core peak, TOPS: NVIDIA's H200 datasheet lists
# 3,958 TOPS INT8 "with sparsity"; dense is half.
PEAK_TOPS=1979

say() { echo "[$(( $(date +%s) - START ))s] $*"; }
fails=0
fail() { say "FAIL: $*"; fails=$((fails + 1)); }

say "intc cuda bench: repo $ROOT, results in $RESULTS"
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,memory.total \
  --format=csv,noheader 2>/dev/null || say "nvidia-smi: not available"

# --- 0. intc and the bundle ----------------------------------------------
BUNDLE=$ROOT/bench/cuda/bundle
have_intc=0
if [ ! -x "$INTC" ] && command -v cmake >/dev/null && command -v ninja >/dev/null &&
   [ -d "${MLIR_DIR:-/usr/lib/llvm-22/lib/cmake/mlir}" ]; then
  say "building intc in $BUILD"
  cmake -G Ninja -B "$BUILD" -S "$ROOT" \
    -DMLIR_DIR="${MLIR_DIR:-/usr/lib/llvm-22/lib/cmake/mlir}" >"$WORK/cmake.log" 2>&1 &&
    ninja -C "$BUILD" intc >"$WORK/ninja.log" 2>&1 ||
    { tail -20 "$WORK/cmake.log" "$WORK/ninja.log" 2>/dev/null; say "build failed"; }
fi
if [ -x "$INTC" ] && "$INTC" --help >/dev/null 2>&1; then
  have_intc=1
else
  say "intc not usable here ($INTC): LLVM/MLIR 22 missing? only the bundle runs"
fi
if [ ! -x "$BUNDLE/check_mlp1_mnist" ] && [ "$have_intc" = 0 ]; then
  say "neither intc nor bench/cuda/bundle (bench/cuda/prepare.sh): nothing to run"
  exit 2
fi

# --- A. the bundle ---------------------------------------------------------
if [ -x "$BUNDLE/check_mlp1_mnist" ]; then
  for model in mlp1_mnist small_cnn; do
    say "bundle: $model, init + 20 steps + predict on the GPU vs runtime/c"
    timeout 120 "$BUNDLE/check_$model" | tee "$WORK/check_$model.log"
    grep -q '^OK: ' "$WORK/check_$model.log" || fail "bundle check $model"
  done
  say "bundle: VGG8B CIFAR-10, $VGG_STEPS timed steps + 10000 test images (synthetic inputs)"
  steps=$VGG_STEPS; [ "$steps" = 0 ] && steps=782
  timeout 240 "$BUNDLE/bench_vgg8b_cifar10" "$steps" 10000 | tee "$WORK/aot.log" ||
    fail "bundle VGG8B bench (or timeout)"
  python3 - "$WORK/aot.log" "$PEAK_TOPS" <<'PY' || true
import sys
kv = {}
for line in open(sys.argv[1]):
    w = line.split()
    for i in range(0, len(w) - 1):
        if w[i].endswith(("_ns", "_steps", "_images", "_tiles")):
            kv[w[i]] = int(w[i + 1])
peak = float(sys.argv[2]) * 1e12
batch = 64
train_ops_img, test_ops_img = 2 * (950e6 + 64e6), 2 * 950e6
if kv.get("train_ns"):
    sps = kv["train_ns"] / 1e9 / kv["train_steps"]
    ops = train_ops_img * batch / sps
    print("AOT VGG8B train: %.4f s/step -> %.1f s/epoch (782 steps); %.2f T int ops/s = %.2f%% of %.0f TOPS; fallback tiles %d"
          % (sps, sps * 782, ops / 1e12, 100 * ops / peak, peak / 1e12, kv.get("fallback_tiles", -1)))
if kv.get("test_ns"):
    s = kv["test_ns"] / 1e9
    ops = test_ops_img * kv["test_images"] / s
    print("AOT VGG8B test: %.2f s for %d images; %.2f T int ops/s = %.2f%% of peak"
          % (s, kv["test_images"], ops / 1e12, 100 * ops / peak))
PY
fi
[ "$have_intc" = 1 ] || { say "done: $fails failure(s); log in $LOG"; rm -rf "$WORK"; [ "$fails" = 0 ]; exit; }

# --- B. intc ---------------------------------------------------------------
# 1. bit-exactness
MLP=$ROOT/examples/mlp1_mnist.mlir
CNN=$ROOT/test/tools/intc/Inputs/small_cnn.mlir
for model in "$MLP" "$CNN"; do
  for target in $GPU_TARGET cpu; do
    say "intc check $(basename "$model") -target=$target -steps=20"
    timeout 180 "$INTC" check "$model" -target=$target -steps=20 \
      || fail "check $(basename "$model") on $target"
  done
done

if [ ! -f "$MNIST_DIR/train-images-idx3-ubyte" ] &&
   [ ! -f "$MNIST_DIR/train-images-idx3-ubyte.gz" ]; then
  say "no MNIST at $MNIST_DIR: synthetic IDX data for the checkpoint comparison"
  python3 "$ROOT/test/tools/intc/Inputs/make_idx.py" "$WORK/data/mnist" good
  MNIST_DIR=$WORK/data/mnist
fi
for target in $GPU_TARGET cpu; do
  say "intc train mlp1_mnist -target=$target -max-steps=20"
  timeout 180 "$INTC" train "$MLP" -target=$target -data=mnist \
    -data-dir="$(dirname "$MNIST_DIR")" -epochs=100 -max-steps=20 -seed=7 \
    -no-eval -no-progress -o "$WORK/mlp-$target" >"$WORK/mlp-$target.log" 2>&1 \
    || { tail -5 "$WORK/mlp-$target.log"; fail "train mlp1 on $target"; }
done
if python3 "$ROOT/test/tools/intc/Inputs/compare_checkpoints.py" \
     "$WORK/mlp-$GPU_TARGET/model.safetensors" "$WORK/mlp-cpu/model.safetensors"; then
  say "MLP1 checkpoints after 20 steps: $GPU_TARGET == cpu, bit for bit"
else
  fail "MLP1 checkpoints differ between $GPU_TARGET and cpu"
fi

# 1b. data-parallel training on the GPU(s): mpirun -np 1 and -np 2 against
# the one-process cpu checkpoint above.
if ! command -v mpirun >/dev/null; then
  say "no mpirun here: the data-parallel step is skipped"
else
  MPIRUN="mpirun --oversubscribe"
  [ "$(id -u)" = 0 ] && MPIRUN="$MPIRUN --allow-run-as-root"
  gpus=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU') || gpus=0
  for np in 1 2; do
    if [ "$GPU_TARGET" = cuda ]; then
      if [ "$gpus" -ge "$np" ]; then expect="NCCL (one GPU per rank)"
      else expect="host staging (ranks share a GPU)"; fi
    else
      expect="host staging ($GPU_TARGET runs on the host)"
    fi
    say "mpirun -np $np intc train mlp1_mnist -target=$GPU_TARGET -max-steps=20 ($gpus GPU(s): expect $expect)"
    run=$WORK/mlp-$GPU_TARGET-np$np
    timeout 240 $MPIRUN -np "$np" "$INTC" train "$MLP" -target=$GPU_TARGET \
      -data=mnist -data-dir="$(dirname "$MNIST_DIR")" -epochs=100 -max-steps=20 \
      -seed=7 -no-eval -no-progress -o "$run" >"$run.log" 2>&1 \
      || { grep -m4 -E '^intc|error' "$run.log" || tail -8 "$run.log"
           fail "mpirun -np $np train mlp1 on $GPU_TARGET"; continue; }
    grep -E '^(distributed|gradients|all-reduce):' "$run.log" | sed "s/^/  np $np: /"
    if python3 "$ROOT/test/tools/intc/Inputs/compare_checkpoints.py" \
         "$run/model.safetensors" "$WORK/mlp-cpu/model.safetensors"; then
      say "MLP1 after 20 steps on $np rank(s) of $GPU_TARGET == cpu, bit for bit"
    else
      fail "MLP1 on $np rank(s) of $GPU_TARGET differs from cpu"
    fi
  done
fi

if [ "${SKIP_VGG:-0}" = 1 ]; then
  say "done (SKIP_VGG=1): $fails failure(s); log in $LOG"
  rm -rf "$WORK"
  [ "$fails" = 0 ]
  exit
fi

# 2. VGG8B CIFAR-10 speed, the whole intc train path
synthetic=""
if [ ! -e "$CIFAR10_DIR/test_batch.bin" ] && [ ! -e "$CIFAR10_DIR/test_batch.bin.xz" ]; then
  say "no CIFAR-10 at $CIFAR10_DIR: writing synthetic files of the official layout"
  python3 - "$WORK/cifar10" <<'PY'
import os, random, sys
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
def batch(name, seed):
    pixels = random.Random(seed).randbytes(3072 * 10000)
    rows = bytearray()
    for i in range(10000):
        rows += bytes([i % 10]) + pixels[3072 * i:3072 * (i + 1)]
    open(os.path.join(out, name), "wb").write(rows)
for k in range(1, 6):
    batch("data_batch_%d.bin" % k, k)
batch("test_batch.bin", 99)
PY
  CIFAR10_DIR=$WORK/cifar10
  synthetic=" (SYNTHETIC data: the real CIFAR-10 was not found)"
fi
steps_arg="-max-steps=$VGG_STEPS"
[ "$VGG_STEPS" = 0 ] && steps_arg=""
left=$(( 570 - ($(date +%s) - START) ))
say "VGG8B CIFAR-10 on cuda: ${VGG_STEPS:-all} steps (0: a full epoch) + test, ${left}s left$synthetic"
VGGRUN=$WORK/vgg
timeout "$left" "$INTC" train "$ROOT/examples/vgg8b_cifar10.mlir" -target=$GPU_TARGET \
  -data=cifar10 -data-dir="$CIFAR10_DIR" -epochs=1 $steps_arg -seed=1 \
  -no-progress -o "$VGGRUN" 2>&1 | tail -8 \
  || fail "VGG8B training on cuda (or timeout)"
if [ -f "$VGGRUN/summary.json" ]; then
  cp "$VGGRUN/summary.json" "$RESULTS/vgg8b-summary.json"
  python3 - "$VGGRUN/summary.json" "$PEAK_TOPS" "$synthetic" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); peak = float(sys.argv[2]) * 1e12
batch, steps = 64, s["steps"]
train_ms, test_ms = s["train_ms"], s["test_ms"]
# ALGORITHM.md 6.5, VGG8B CIFAR: forward 950 M MAC/img (learning heads
# included), sparse weight gradients 64 M MAC/img; 1 MAC = 2 integer ops.
train_ops_img, test_ops_img = 2 * (950e6 + 64e6), 2 * 950e6
per_epoch = -(-50000 // batch)
if steps and train_ms:
    s_per_step = train_ms / 1000 / steps
    ops = train_ops_img * batch / s_per_step
    print("VGG8B train: %d steps in %.2f s = %.4f s/step -> %.1f s/epoch (%d steps, extrapolated)"
          % (steps, train_ms / 1000, s_per_step, s_per_step * per_epoch, per_epoch))
    print("VGG8B train: %.2f T int ops/s = %.2f%% of %.0f TOPS int8 dense"
          % (ops / 1e12, 100 * ops / peak, peak / 1e12))
if test_ms:
    ops = test_ops_img * 10000 / (test_ms / 1000)
    print("VGG8B test:  %.2f s for 10000 images -> %.2f T int ops/s = %.2f%% of peak"
          % (test_ms / 1000, ops / 1e12, 100 * ops / peak))
print("data:", "synthetic" if sys.argv[3] else "CIFAR-10")
PY
else
  fail "no summary.json from the VGG8B run"
fi

say "done: $fails failure(s); log in $LOG"
rm -rf "$WORK"
[ "$fails" = 0 ]
