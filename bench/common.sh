# Sourced by the bench scripts (run.sh, pg_run.sh, schema_pg.sh, ...): their
# one flag (--quick; -h prints the calling script's header) and the paths
# they share. Sets QUICK, ROOT, BENCH, WORK, RESULTS, BUILD, MIGRATE and PY;
# defines say, die, need_tools, need_python_modules, real_graph_setup,
# same_heads and build_migrate, and scripts/lib.sh's (start_private_pg, on_exit, ...).

source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

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

need_tools() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || die "$tool not found"; done
}

# Dies unless $PY imports every module named (Debian's python3-NAME).
need_python_modules() {
  local names packages
  names="$(printf '%s, ' "$@")"
  names="${names%, }"
  packages="$(printf 'python3-%s ' "$@")"
  $PY -c "import ${names}" 2>/dev/null \
    || die "${names} does not import under $PY (apt install ${packages% })"
}

# For the benches on a real revision graph (graph.sh, import.sh): checks
# what they need, sets TSV (MIGRATE_GRAPH_TSV of real_graphs/ in
# MIGRATE_TEST_DATA, default backend.ai's), clears the Python environment
# (Alembic's best case: its .pyc written and read), builds migrate and goes
# to ROOT.
real_graph_setup() {
  TSV="${MIGRATE_TEST_DATA:-/work/shared/data}/real_graphs/${MIGRATE_GRAPH_TSV:-backend_ai.tsv}"
  unset PYTHONDONTWRITEBYTECODE PYTHONPATH PYTHONHOME PYTHONSTARTUP
  need_tools hyperfine "$PY"
  [[ -f "$TSV" ]] || die "no $TSV (set MIGRATE_TEST_DATA)"
  need_python_modules alembic
  cd "$ROOT"
  build_migrate
}

# The heads that `alembic heads` printed into $1 and `migrate heads` into $2
# (first words, sorted, one line); dies when they differ.
same_heads() {
  local a m
  a="$(cut -d' ' -f1 "$1" | sort | tr '\n' ' ')"
  m="$(cut -d' ' -f1 "$2" | sort | tr '\n' ' ')"
  [[ "$a" == "$m" ]] || die "heads differ: alembic '$a', migrate '$m'"
  echo "$m"
}

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
