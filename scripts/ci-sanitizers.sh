#!/usr/bin/env bash
# CI's sanitizer steps, runnable on their own (after scripts/install-deps.sh):
#
#  1. configure BUILD (default build-sanitize) with clang-22 and INTC_FUZZ=ON:
#     every object is compiled with -fsanitize=address,undefined
#     -fno-sanitize-recover=all (plus libFuzzer's coverage instrumentation
#     and assertions on; the top-level CMakeLists.txt);
#  2. build runtime/c, runtime/cpu, runtime/host, their unit tests and the
#     fuzz targets, and run the unit tests under ASan + UBSan;
#  3. run check-intc-fuzz: each fuzz target on every reproducer of a past
#     finding and every seed;
#  4. fuzz each target for SECONDS (default 30) from its seed corpus
#     (test/fuzz/campaign.sh; new inputs and findings go to
#     BUILD/fuzz-campaign, the repository is not touched).
#
#   scripts/ci-sanitizers.sh [-t SECONDS] [--no-model] [BUILD]
#
# --no-model leaves out the model target (intc-fuzz-model), whose build
# compiles the dialect and the passes with sanitizers: the longest step.
# Each step prints its wall time; bench/reliability/README.md has the
# figures of a 2-core machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=30
model=1
build=build-sanitize
while [ $# -gt 0 ]; do
  case "$1" in
    -t) seconds="$2"; shift 2 ;;
    --no-model) model=0; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    -*) echo "ci-sanitizers: unknown option $1" >&2; exit 2 ;;
    *) build="$1"; shift ;;
  esac
done
jobs="${INTC_CI_JOBS:-$(nproc)}"
lit=/usr/lib/llvm-22/bin/lit

# Each step reports its wall time and the CPU time (user + system) of the
# processes it ran: on a shared machine the second says what the step costs.
times_file="$(mktemp)"
trap 'rm -f "$times_file"' EXIT
cpu=0
cpu_now() { # Sets $cpu.
  # `times` must run in this shell (a $(...) subshell has no children): its
  # second line is the children's user and system time.
  times > "$times_file"
  cpu="$(tail -1 "$times_file" | awk '{
    t = 0
    for (i = 1; i <= 2; ++i) {
      split($i, p, "m"); sub("s", "", p[2]); t += p[1] * 60 + p[2]
    }
    printf "%d", t
  }')"
}
step_start=0
step_cpu=0
total_start=$SECONDS
step() {
  step_start=$SECONDS
  cpu_now
  step_cpu=$cpu
  echo "ci-sanitizers: $*"
}
step_done() {
  cpu_now
  echo "ci-sanitizers: ... $((SECONDS - step_start)) s wall," \
    "$((cpu - step_cpu)) s CPU"
}

step "configure $build (clang-22, INTC_FUZZ=ON)"
cmake -G Ninja -B "$build" \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DINTC_FUZZ=ON \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DLLVM_EXTERNAL_LIT="$lit" >/dev/null
step_done

targets=(IntcRuntimeCTests IntcCpuKernelTests IntcCudaGemmTests IntcHostTests)
fuzzers=(checkpoint idx cifar10 npy npz image array-images)
[ "$model" = 1 ] && fuzzers+=(model)
for f in "${fuzzers[@]}"; do targets+=("intc-fuzz-$f"); done

step "build the runtime, its unit tests and ${#fuzzers[@]} fuzz targets"
ninja -C "$build" -j "$jobs" "${targets[@]}"
step_done

# The unit tests fail on any sanitizer report (-fno-sanitize-recover=all;
# ASan's leak check is on).
step "unit tests under ASan + UBSan"
"$lit" -sv "$build/test/unit"
step_done

step "fuzz regression tests (check-intc-fuzz)"
fuzz_tests=()
for f in "${fuzzers[@]}"; do fuzz_tests+=("$build/test/fuzz/$f.test"); done
"$lit" -sv "${fuzz_tests[@]}"
step_done

step "fuzz each target for $seconds s"
test/fuzz/campaign.sh -t "$seconds" -b "$build" -o "$build/fuzz-campaign" \
  "${fuzzers[@]}"
step_done
cpu_now
echo "ci-sanitizers: all steps $((SECONDS - total_start)) s wall," \
  "$cpu s CPU"
