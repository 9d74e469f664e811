#!/usr/bin/env bash
# bench/lint.sh: `migrate lint` side by side with squawk 2.66 (the peer), in
# the same run.
#
#   bench/lint.sh            corpus comparison + speed on 10,000 revisions
#   bench/lint.sh --quick    fewer timing runs
#
# 1. Installs squawk-cli@2.66.0 with npm into bench/work/squawk (its package
#    ships the Linux binary) unless it is there already.
# 2. tests/lint_corpus/: which dangerous cases each linter flags, and which
#    safe cases it reports something on (bench/lint_compare.py).
# 3. Speed: 10,000 revision files of 4 statements each (bench/lint_gen.py),
#    all linted in one process by each tool, timed with hyperfine.
# Results: printed, and bench/results/lint-*.{md,json}; numbers go in
# docs/benchmarks.md. Not run by CI.

set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
N=10000
if [[ $QUICK == 1 ]]; then RUNS=(--warmup 1 --min-runs 3 --max-runs 5); else RUNS=(--warmup 2 --min-runs 10); fi

for tool in hyperfine npm "$PY"; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
cd "$ROOT"
build_migrate

SQUAWK_DIR="$WORK/squawk"
SQUAWK="$SQUAWK_DIR/node_modules/@squawk-cli/linux-x64/bin/squawk"
if [[ ! -x "$SQUAWK" ]]; then
  say "installing squawk-cli@2.66.0 into $SQUAWK_DIR"
  mkdir -p "$SQUAWK_DIR"
  npm install --prefix "$SQUAWK_DIR" --no-audit --no-fund squawk-cli@2.66.0 >&2
fi
[[ -x "$SQUAWK" ]] || die "no squawk binary at $SQUAWK"
say "$("$SQUAWK" --version), $("$MIGRATE" --version)"
mkdir -p "$RESULTS"

say "corpus: tests/lint_corpus"
$PY "$BENCH/lint_compare.py" "$MIGRATE" "$SQUAWK" "$ROOT/tests/lint_corpus" | tee "$RESULTS/lint-corpus.md"

say "speed: $N revision files, 4 statements each"
P="$WORK/lint-$N"
if [[ ! -d "$P/migrations/versions" ]]; then
  rm -rf "$P" && mkdir -p "$P"
  $PY "$BENCH/lint_gen.py" "$N" "$P/migrations/versions"
  printf 'script_location: migrations\ndatabase_url: postgresql://bench@localhost/bench\n' > "$P/migrate.yaml"
fi
cd "$P"
# Both tools get the 10,000 paths; migrate also as `lint --all` (the revision
# graph read and ordered first). Exit codes are ignored (-i): findings exit 1.
hyperfine -i "${RUNS[@]}" --export-json "$RESULTS/lint-speed.json" \
  -n "migrate lint FILES" "$MIGRATE lint --format json migrations/versions/*.sql" \
  -n "migrate lint --all" "$MIGRATE lint --all --format json" \
  -n "squawk FILES" "$SQUAWK --reporter json migrations/versions/*.sql"
