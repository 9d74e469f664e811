# Sourced by the bench scripts (run.sh, pg_run.sh, schema_pg.sh): their one
# flag (--quick; -h prints the calling script's header) and the paths they
# share. Sets QUICK, ROOT, BENCH, WORK, RESULTS, BUILD, MIGRATE and PY;
# defines say, die and build_migrate.

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    -h|--help) sed -n '2,/^$/p' "$0"; exit 0 ;;
    *) echo "$(basename "$0"): unknown argument: $arg (use --quick)" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
WORK="$BENCH/work"
RESULTS="$BENCH/results"
BUILD="$ROOT/build-bench"
MIGRATE="${MIGRATE_BENCH_BIN:-$BUILD/migrate}"
PY=/usr/bin/python3                 # Debian's python3: the one with alembic

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

# Builds a Release migrate into build-bench/ (incrementally), unless
# MIGRATE_BENCH_BIN names the binary to time; fails unless $MIGRATE exists.
build_migrate() {
  if [[ -n "${MIGRATE_BENCH_BIN:-}" ]]; then
    say "using MIGRATE_BENCH_BIN=$MIGRATE (no build)"
  else
    say "building Release migrate into build-bench/"
    if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
      cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >&2
    fi
    grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD/CMakeCache.txt" \
      || die "build-bench/ is not a Release build; remove it and rerun"
    cmake --build "$BUILD" -j2 --target migrate >&2
  fi
  [[ -x "$MIGRATE" ]] || die "no $MIGRATE after the build"
}
