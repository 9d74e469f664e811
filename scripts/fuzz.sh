#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz/ (see tests/fuzz/README.md):
#   scripts/fuzz.sh [SECONDS] [TARGET...]     a campaign: SECONDS per target
#   scripts/fuzz.sh --runs N [TARGET...]      the reproducible run CI makes
# SECONDS per target (default 15); TARGETs by name (revision_file, url, ...;
# default all). --runs N runs exactly N inputs per target with a fixed
# random seed, from the committed seeds only (not the grown corpus): the
# run no longer depends on the machine's speed, a random seed or what
# earlier runs grew, so a commit meets (nearly) the same inputs wherever it
# runs. Not byte for byte: libFuzzer's coverage feedback keeps a few
# different inputs from run to run. Builds them with clang in
# $FUZZ_BUILD_DIR (default build-fuzz), one process per target at a time (-jobs is not used, so the
# run takes one core). Each target starts from its committed seeds
# (tests/fuzz/<target>/) and the corpus grown by earlier runs
# ($FUZZ_BUILD_DIR/corpus/<target>/, new inputs go there, never into the
# repo). Prints one line per target: executions, executions per second,
# corpus size, result. Exits 1 when a target finds a crash, a sanitizer
# report, a timeout, an out-of-memory or a broken property; the input is
# saved as $FUZZ_BUILD_DIR/findings/<target>-crash-* (replay it with
# `$FUZZ_BUILD_DIR/tests/fuzz/fuzz_<target> FILE`). Exits 2 when the build
# fails or clang is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS=
if [[ ${1:-} == --runs ]]; then
  RUNS=${2:?--runs needs a number}
  shift 2
  SECONDS_EACH=600 # a cap that only a pathologically slow machine reaches
else
  SECONDS_EACH=${1:-15}
  shift || true
fi
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
ALL=$(cd tests/fuzz && for f in fuzz_*.cpp; do t=${f#fuzz_}; t=${t%.cpp}; [[ $t == support ]] || echo "$t"; done)
TARGETS=("$@")
if ((${#TARGETS[@]} == 0)); then mapfile -t TARGETS <<<"$ALL"; fi

CLANG=$(command -v clang++ || command -v clang++-14 || true)
if [[ -z "$CLANG" ]]; then
  echo "fuzz.sh: clang++ not found (apt-get install clang)" >&2
  exit 2
fi
LAUNCHER=()
if command -v ccache >/dev/null; then LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$BUILD" -DMIGRATE_FUZZ=ON -DCMAKE_CXX_COMPILER="$CLANG" "${LAUNCHER[@]}" \
  >/dev/null || exit 2
names=()
for t in "${TARGETS[@]}"; do names+=("fuzz_$t"); done
cmake --build "$BUILD" -j"$(nproc)" --target "${names[@]}" || exit 2

mkdir -p "$BUILD/findings"
status=0
printf '%-16s %12s %9s %7s  %s\n' target execs exec/s corpus result
for t in "${TARGETS[@]}"; do
  corpus="$BUILD/corpus/$t"
  limits=(-max_total_time="$SECONDS_EACH")
  if [[ -n $RUNS ]]; then
    corpus="$BUILD/corpus-ci/$t"
    rm -rf "$corpus"
    limits+=(-runs="$RUNS" -seed=1)
  fi
  mkdir -p "$corpus"
  log="$BUILD/findings/$t.log"
  result=ok
  # -timeout: one input taking 10 s is a finding (a quadratic blow-up);
  # -rss_limit_mb: so is one needing 2 GB.
  if ! "$BUILD/tests/fuzz/fuzz_$t" "${limits[@]}" -max_len=4096 -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$BUILD/findings/$t-" \
      "$corpus" "tests/fuzz/$t" >"$log" 2>&1; then
    result="FINDING (see $log)"
    status=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  size=$(($(find "$corpus" -type f | wc -l) + $(find "tests/fuzz/$t" -type f | wc -l)))
  printf '%-16s %12s %9s %7s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$size" "$result"
  if [[ $result != ok ]]; then
    grep -E 'PROPERTY FAILED|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error|Test unit written' \
      -A3 "$log" | head -20 >&2 || true
  fi
done
exit $status
