#!/usr/bin/env bash
# Start-up time of `intc train`, `intc eval` and `intc check` on MLP1 with
# the compile cache cold (-no-cache: lowering and LLVM code generation, as
# every run paid before the cache) and warm (the entry the first run
# stored). Each command runs RUNS times per state; the figure is the wall
# time of the whole process (exec to exit, min and median), and for the warm
# train runs the -v split (model, data, code, time to the first step since
# main). train stops after one step without evaluation, so its whole-process
# time bounds its time to the first step; check compares 1 step with the
# runtime/c reference on synthetic data; eval scores the 10,000 test images.
#
# With INTC_BASE=BINARY, the same commands also run through that intc
# (an older build, without the cache or -v), in the same minutes.
#
# MODEL=NAME (default mlp1_mnist) takes examples/NAME.mlir instead, with
# DATA_DIR=DIR as its -data-dir; ONLY="train eval check" picks the commands
# (a VGG8B eval scores 10,000 images for minutes: ONLY=train). The warm
# train runs also give the -v "first step after" over all runs.
#
# usage: [INTC_BASE=old/intc] [MODEL=vgg8b_cifar10 DATA_DIR=../shared/data/cifar10]
#        [ONLY=train] bench/speed/startup.sh [RUNS]   (default 7)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
intc="${INTC:-$root/build/bin/intc}"
runs="${1:-7}"
model="$root/examples/${MODEL:-mlp1_mnist}.mlir"
data=()
[ -z "${DATA_DIR:-}" ] || data=(-data-dir="$(cd "$DATA_DIR" && pwd)")
out="$(mktemp -d)"
export INTC_CACHE_DIR="$out/cache"
"$intc" train "$model" ${data[@]+"${data[@]}"} -max-steps=1 -no-eval -no-progress \
  -check-overflow=0 -o "$out/run" > /dev/null
python3 - "$intc" "$model" "$out" "$runs" "${INTC_BASE:-}" "${ONLY:-train eval check}" \
  ${data[@]+"${data[@]}"} <<'PY'
import re, statistics, subprocess, sys, time
intc, model, out, runs, base = sys.argv[1:4] + [int(sys.argv[4]), sys.argv[5]]
only, data = sys.argv[6].split(), sys.argv[7:]
commands = {
    "train (1 step)": ["train", model, "-max-steps=1", "-no-eval",
                       "-no-progress", "-check-overflow=0"] + data,
    "eval": ["eval", model, "-weights=%s/run/model.safetensors" % out] + data,
    "check (1 step)": ["check", model, "-steps=1"],
}
commands = {k: v for k, v in commands.items() if k.split()[0] in only}
def run(args, binary=intc):
    start = time.perf_counter()
    p = subprocess.run([binary] + args, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, check=True)
    return time.perf_counter() - start, p.stderr
for name, args in commands.items():
    states = [("cold", ["-no-cache", "-v"], intc), ("warm", ["-v"], intc)]
    if base:
        states.insert(0, ("base", [], base))
    for state, extra, binary in states:
        times = [run(args + extra, binary) for _ in range(runs)]
        walls = sorted(t for t, _ in times)
        line = "%-15s %s: whole process min %.3f s, median %.3f s" % (
            name, state, walls[0], statistics.median(walls))
        if name.startswith("train") and state == "warm":
            first = sorted(int(m) for _, err in times for m in re.findall(
                r"first step after (\d+) ms", err))
            line += "\n    first step after: min %d ms, median %d ms (-v)" % (
                first[0], statistics.median(first))
            best = min(times)[1]
            line += "\n    fastest run's -v lines:\n" + "".join(
                "      " + l + "\n" for l in best.splitlines() if "start-up" in l)
        print(line.rstrip())
PY
rm -rf "$out"
