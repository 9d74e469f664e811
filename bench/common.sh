# Sourced by the bench scripts (run.sh, pg_run.sh, schema_pg.sh): their one
# flag (--quick; -h prints the calling script's header) and the paths they
# share. Sets QUICK, ROOT, BENCH, WORK, RESULTS, BUILD, MIGRATE and PY.

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
