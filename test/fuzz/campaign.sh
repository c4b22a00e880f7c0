#!/usr/bin/env bash
# Runs every fuzz target (or those named) for N executions or T seconds,
# whichever comes first, one after the other, and prints what each did:
# executions, coverage (libFuzzer's cov: edges and ft: features), corpus
# size and the finding, if any (a target stops at its first).
#
#   test/fuzz/campaign.sh [-n RUNS] [-t SECONDS] [-b BUILD] [-o DIR]
#                         [TARGET...] [-- LIBFUZZER-FLAGS...]
#
#   -n RUNS     executions per target (default: unlimited)
#   -t SECONDS  time per target (default: 60)
#   -b BUILD    the INTC_FUZZ=ON build folder (default: build-fuzz)
#   -o DIR      where corpora, artifacts and logs go (default:
#               BUILD/fuzz-campaign); the seeds in test/fuzz/corpus are only
#               read, new inputs go to DIR/corpus/TARGET, findings to
#               DIR/artifacts, each run's output to DIR/logs/TARGET.log
#   TARGET      checkpoint idx cifar10 npy npz image array-images model
#               (default: all)
#   after --    passed to every target, e.g. -- -fork=2 -ignore_crashes=1
#               to go on past findings (the figures are then fork mode's)
#
# Exit status: 0 when no target found anything, 1 otherwise. Each target
# runs on one core; run several campaigns with different -o to use more.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs=-1
seconds=60
build="$root/build-fuzz"
out=""
targets=()
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    -t) seconds="$2"; shift 2 ;;
    -b) build="$(cd "$2" && pwd)"; shift 2 ;;
    -o) out="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    -*) echo "campaign: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
all=(checkpoint idx cifar10 npy npz image array-images model)
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
out="${out:-$build/fuzz-campaign}"
mkdir -p "$out/corpus" "$out/artifacts" "$out/logs"

# Sanitizer reports must end the run with a report, never scroll past;
# ASan's leak check stays on (libFuzzer reports leaks per input).
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

printf '%-13s %-9s %11s %8s %7s %7s %7s  %s\n' target status executions \
  exec/s cov ft corpus finding
found=0
for t in "${targets[@]}"; do
  exe="$build/bin/intc-fuzz-$t"
  if [ ! -x "$exe" ]; then
    echo "campaign: $exe is missing (ninja -C $build intc-fuzzers)" >&2
    exit 2
  fi
  flags=(-runs="$runs" -max_total_time="$seconds" -timeout=25
         -print_final_stats=1 -artifact_prefix="$out/artifacts/$t-")
  # Dictionaries of the text formats: the intc dialect's words, and the
  # checkpoint's JSON keys and edge-case numbers.
  [ "$t" = model ] && flags+=(-dict="$here/intc.dict")
  [ "$t" = checkpoint ] && flags+=(-dict="$here/safetensors.dict")
  mkdir -p "$out/corpus/$t"
  log="$out/logs/$t.log"
  before=$(ls "$out/artifacts" | grep -c "^$t-" || true)
  status=ok
  "$exe" "${flags[@]}" "${extra[@]}" "$out/corpus/$t" "$here/corpus/$t" \
    >"$log" 2>&1 || status=FAILED
  after=$(ls "$out/artifacts" | grep -c "^$t-" || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  # The last status line: "#N<TAB><event> cov: C ft: F corp: K/..." (fork mode:
  # "#N: cov: C ft: F corp: K ...").
  last=$(grep -E '^#[0-9]+:?[[:space:]].*cov: ' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  if [ -z "$execs" ]; then
    execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
  fi
  finding=""
  if [ "$status" != ok ] || [ "$after" -gt "$before" ]; then
    found=1
    finding=$(grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|INTC_FUZZ_CHECK|Assertion|LLVM ERROR|SUMMARY' \
      "$log" | cut -c1-160 || true)
    finding="${finding:-see $log}"
    status=FOUND
  fi
  printf '%-13s %-9s %11s %8s %7s %7s %7s  %s\n' "$t" "$status" \
    "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$finding"
done
echo "campaign: corpora, artifacts and logs in $out"
exit "$found"
