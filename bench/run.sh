#!/usr/bin/env bash
# bench/run.sh: migrate measured side by side with its peers, in the same run.
#
#   bench/run.sh            full run  (3 minutes idle, ~6 on a busy 2-core machine)
#   bench/run.sh --quick    fewer runs, no disk benchmark (~1 minute)
#
# Builds a Release migrate into build-bench/ (if needed), generates the inputs
# into bench/work/, times every benchmark with hyperfine (whole commands,
# warmup first), writes bench/results/*.json and prints a Markdown table of
# medians and ratios (bench/report.py).  See docs/benchmarks.md for the method.
#
# Benchmarks
#   graph-heads     `migrate heads`   vs `alembic heads`    10,000-revision chain
#                   (migrate with its header cache warm, as Alembic with its
#                   .pyc; and with MIGRATE_NO_CACHE=1, reading every file)
#   graph-history   `migrate history` vs `alembic history`  10,000-revision chain
#   startup         `migrate --version` vs `sqlite3 -version` (process start)
#   upgrade-tmpfs   `migrate upgrade heads` vs `sqlite3 db < offline.sql`
#                   vs `alembic upgrade head`, 1,000 revisions, DB on tmpfs
#                   then migrate and sqlite3 again, interleaved (bench/interleave.py)
#   upgrade-disk    the same with the DB file on the repository's disk
#                   (skipped with --quick; Alembic timed in its own hyperfine
#                   call with 2 runs, as one run takes tens of seconds)
#
# Environment: MIGRATE_BENCH_TMPFS (default /dev/shm) for the tmpfs DB files;
# MIGRATE_BENCH_BIN=/path/to/migrate times that binary and skips the build.

set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ALEMBIC="$PY -m alembic"
GRAPH_N=10000
UPGRADE_N=1000

# Alembic's best case: compiled revision modules cached as .pyc (the
# environment of this machine sets PYTHONDONTWRITEBYTECODE=1, which would
# make every Alembic run compile all 10,000 files again).
unset PYTHONDONTWRITEBYTECODE PYTHONPATH PYTHONHOME PYTHONSTARTUP

if [[ $QUICK == 1 ]]; then
  GRAPH_RUNS=(--warmup 1 --min-runs 3 --max-runs 20)
  TMPFS_RUNS=(--warmup 1 --min-runs 5 --max-runs 10)
  DISK_RUNS=()   # --quick skips the disk benchmark
  TMPFS_PAIRS=10 DISK_PAIRS=0
else
  GRAPH_RUNS=(--warmup 2 --min-runs 10 --max-runs 100)
  TMPFS_RUNS=(--warmup 2 --min-runs 20 --max-runs 40)
  DISK_RUNS=(--warmup 1 --min-runs 6 --max-runs 10)
  TMPFS_PAIRS=30 DISK_PAIRS=10
fi


for tool in hyperfine sqlite3 cmake "$PY"; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
$PY -c 'import alembic' 2>/dev/null || die "alembic does not import under $PY (apt install python3-alembic)"

# --- build ---------------------------------------------------------------
cd "$ROOT"
build_migrate

# --- inputs --------------------------------------------------------------
mkdir -p "$WORK" "$RESULTS"
FLOOR="$WORK/floor_read"
if [[ ! -x "$FLOOR" || "$BENCH/floor_read.cpp" -nt "$FLOOR" ]]; then
  g++ -O2 -std=c++17 -o "$FLOOR" "$BENCH/floor_read.cpp"
fi
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
TMPFS="${MIGRATE_BENCH_TMPFS:-/dev/shm}/migrate-bench-$(id -u)"
mkdir -p "$TMPFS"
GEN_SUM="$(sha1sum "$BENCH/gen_chain.py" | cut -c1-12)"

generate() {  # kind n dir [gen args...]
  local kind=$1 n=$2 dir=$3; shift 3
  local stamp="$dir/.stamp"
  local want="$kind $n $GEN_SUM $*"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "inputs up to date: $dir" >&2
  else
    say "generating $n-revision $kind chain"
    "$PY" "$BENCH/gen_chain.py" --kind "$kind" --revisions "$n" --out "$dir" "$@" >&2
    echo "$want" > "$stamp"
    GENERATED=1
  fi
}

GENERATED=0
G="$WORK/graph10k"
U="$WORK/upgrade1k"
generate graph "$GRAPH_N" "$G"
DISKDIR="$WORK/disk"
mkdir -p "$DISKDIR"
generate upgrade "$UPGRADE_N" "$U" --alembic-db "tmpfs=sqlite:///$TMPFS/alembic.db" \
  --alembic-db "disk=sqlite:///$DISKDIR/alembic.db"

GM=("$MIGRATE" -c "$G/migrate/migrate.yaml")
GA="$ALEMBIC -c $G/alembic/alembic.ini"
UA_INI="$U/alembic/alembic.ini"
UM_YAML="$U/migrate/migrate.yaml"

# migrate's header cache (migrations/.migrate-cache) does not trust an
# entry for a file changed less than 2 s before it was read (the racy-clean
# rule): fresh inputs would be parsed on every run until the cache is
# rewritten later. Let them age, so the first run below writes a cache the
# timed runs can use.
if [[ $GENERATED == 1 ]]; then sleep 2.5; fi

# --- correctness checks before timing ------------------------------------
say "checking that both tools see the same graphs"
G_HEAD="$(tail -n1 "$G/chain.txt")"
U_HEAD="$(tail -n1 "$U/chain.txt")"
$GA heads >/dev/null 2>&1   # prime Alembic's .pyc cache: measure it warm
"$PY" -m alembic -c "$UA_INI" heads >/dev/null 2>&1
m_heads="$("${GM[@]}" heads)" || die "migrate heads failed"
a_heads="$($GA heads 2>/dev/null)"
[[ "$m_heads" == *"$G_HEAD"* ]] || die "migrate heads printed '$m_heads', expected $G_HEAD"
[[ "$a_heads" == *"$G_HEAD"* ]] || die "alembic heads printed '$a_heads', expected $G_HEAD"
m_hist="$("${GM[@]}" history | grep -c -- '->' || true)"
a_hist="$($GA history 2>/dev/null | grep -c -- '->' || true)"
echo "heads: migrate '$m_heads', alembic '$a_heads'; history lines: migrate $m_hist, alembic $a_hist" >&2
[[ "$m_hist" == "$GRAPH_N" ]] || die "migrate history printed $m_hist revisions, expected $GRAPH_N"

# migrate's own offline script: the sqlite3 peer runs exactly these statements
"$MIGRATE" -c "$UM_YAML" upgrade heads --sql > "$U/offline.sql" \
  || die "migrate upgrade heads --sql failed"
n_begin="$(grep -ciE '^(BEGIN|BEGIN TRANSACTION)( |;|$)' "$U/offline.sql" || true)"
n_commit="$(grep -ciE '^COMMIT( |;|$)' "$U/offline.sql" || true)"
echo "offline.sql: $(wc -l < "$U/offline.sql") lines, $n_begin BEGIN, $n_commit COMMIT" >&2
[[ "$n_begin" == "$UPGRADE_N" && "$n_commit" == "$UPGRADE_N" ]] \
  || die "offline.sql should hold one BEGIN/COMMIT per revision ($UPGRADE_N), the premise of the comparison"

check_upgrade() {  # label db version_table
  local label=$1 db=$2 vt=$3 tables version
  tables="$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE type='table' AND name LIKE 't\\_%' ESCAPE '\\'")"
  version="$(sqlite3 "$db" "SELECT group_concat(version_num) FROM $vt")"
  echo "$label: $tables tables, $vt = $version" >&2
  [[ "$tables" == "$UPGRADE_N" && "$version" == "$U_HEAD" ]] \
    || die "$label did not upgrade to $U_HEAD with $UPGRADE_N tables"
}
rm -f "$TMPFS"/*.db*
"$MIGRATE" -c "$UM_YAML" --url "sqlite:///$TMPFS/migrate.db" upgrade heads >/dev/null
check_upgrade "migrate upgrade heads" "$TMPFS/migrate.db" migrate_version
sqlite3 "$TMPFS/sqlite3.db" < "$U/offline.sql" >/dev/null
check_upgrade "sqlite3 < offline.sql" "$TMPFS/sqlite3.db" migrate_version
"$PY" -m alembic -c "$UA_INI" -n tmpfs upgrade head >/dev/null 2>&1
check_upgrade "alembic upgrade head" "$TMPFS/alembic.db" alembic_version

# --- timing --------------------------------------------------------------
HF=(hyperfine --style basic)

say "graph-heads: heads on a $GRAPH_N-revision chain"
# --shell=none: no shell in between, nothing to subtract from a ~10 ms command
"${HF[@]}" --shell=none "${GRAPH_RUNS[@]}" --export-json "$RESULTS/graph-heads.json" \
  -n "migrate heads" "${GM[*]} heads" \
  -n "migrate heads (MIGRATE_NO_CACHE=1)" "env MIGRATE_NO_CACHE=1 ${GM[*]} heads" \
  -n "alembic heads" "$GA heads" \
  -n "floor: read the 10,000 files" "$FLOOR $G/migrate/migrations/versions" >&2

say "graph-history: history on a $GRAPH_N-revision chain"
"${HF[@]}" --shell=none "${GRAPH_RUNS[@]}" --export-json "$RESULTS/graph-history.json" \
  -n "migrate history" "${GM[*]} history" \
  -n "alembic history" "$GA history" >&2

say "startup: a command that loads nothing"
"${HF[@]}" --shell=none "${GRAPH_RUNS[@]}" --export-json "$RESULTS/startup.json" \
  -n "migrate --version" "$MIGRATE --version" \
  -n "sqlite3 -version" "sqlite3 -version" >&2

upgrade_bench() {  # name dbdir alembic-ini-section which hyperfine-runs...
  # which: "all", "migrate+sqlite3" or "alembic"
  local name=$1 dir=$2 section=$3 which=$4; shift 4
  local cmds=()
  if [[ $which != alembic ]]; then
    cmds+=(-n "migrate upgrade heads" "$MIGRATE -c $UM_YAML --url sqlite:///$dir/migrate.db upgrade heads"
           -n "sqlite3 < offline.sql" "sqlite3 $dir/sqlite3.db < $U/offline.sql")
  fi
  if [[ $which != migrate+sqlite3 ]]; then
    cmds+=(-n "alembic upgrade head" "$ALEMBIC -c $UA_INI -n $section upgrade head")
  fi
  "${HF[@]}" --shell sh "$@" --export-json "$RESULTS/$name.json" \
    --prepare "rm -f $dir/migrate.db $dir/migrate.db-* $dir/sqlite3.db $dir/sqlite3.db-* $dir/alembic.db $dir/alembic.db-*" \
    "${cmds[@]}" >&2
}

interleaved() {  # name dbdir pairs: migrate and sqlite3 alternating, ratio per pair
  local name=$1 dir=$2 pairs=$3
  "$PY" "$BENCH/interleave.py" --pairs "$pairs" --out "$RESULTS/$name.json" \
    --prepare "rm -f $dir/migrate.db $dir/migrate.db-* $dir/sqlite3.db $dir/sqlite3.db-*" \
    "migrate upgrade heads" "$MIGRATE -c $UM_YAML --url sqlite:///$dir/migrate.db upgrade heads" \
    "sqlite3 < offline.sql" "sqlite3 $dir/sqlite3.db < $U/offline.sql" >&2
}

rm -f "$RESULTS"/upgrade-*.json
say "upgrade-tmpfs: upgrade $UPGRADE_N revisions, SQLite file on tmpfs ($TMPFS)"
upgrade_bench upgrade-tmpfs "$TMPFS" tmpfs all "${TMPFS_RUNS[@]}"
say "upgrade-tmpfs: the same, migrate and sqlite3 interleaved ($TMPFS_PAIRS pairs)"
interleaved upgrade-tmpfs-interleaved "$TMPFS" "$TMPFS_PAIRS"

if [[ $QUICK == 1 ]]; then
  say "upgrade-disk: skipped with --quick (fsync-bound, minutes on a busy disk)"
else
  say "upgrade-disk: upgrade $UPGRADE_N revisions, SQLite file on disk ($DISKDIR, $(df -T "$DISKDIR" | awk 'NR==2{print $2}'))"
  upgrade_bench upgrade-disk "$DISKDIR" disk migrate+sqlite3 "${DISK_RUNS[@]}"
  # Alembic commits ~3 times per revision on SQLite (pysqlite autocommits its
  # DDL), so it is the slowest by far on disk: fewer runs, same prepare.
  upgrade_bench upgrade-disk-alembic "$DISKDIR" disk alembic --warmup 0 --runs 2
  say "upgrade-disk: migrate and sqlite3 interleaved ($DISK_PAIRS pairs)"
  interleaved upgrade-disk-interleaved "$DISKDIR" "$DISK_PAIRS"
fi
rm -f "$DISKDIR"/*.db* "$TMPFS"/*.db*

# --- machine + report ----------------------------------------------------
{
  echo "{"
  echo "  \"loadavg_before\": \"$LOAD_BEFORE\","
  echo "  \"loadavg_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\","
  echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
  echo "  \"quick\": $([[ $QUICK == 1 ]] && echo true || echo false),"
  echo "  \"nproc\": $(nproc),"
  echo "  \"cpu\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')\","
  echo "  \"kernel\": \"$(uname -r)\","
  echo "  \"migrate\": \"$("$MIGRATE" --version 2>&1 | head -n1)\","
  echo "  \"alembic\": \"$($PY -m alembic --version 2>&1 | head -n1)\","
  echo "  \"sqlalchemy\": \"$($PY -c 'import sqlalchemy; print(sqlalchemy.__version__)')\","
  echo "  \"python\": \"$($PY --version 2>&1)\","
  echo "  \"sqlite3\": \"$(sqlite3 --version | cut -d' ' -f1-2)\","
  echo "  \"hyperfine\": \"$(hyperfine --version)\","
  echo "  \"compiler\": \"$(g++ --version | head -n1)\","
  echo "  \"offline_sql\": {\"begin\": $n_begin, \"commit\": $n_commit}"
  echo "}"
} > "$RESULTS/machine.json"

say "results (bench/results/*.json)"
"$PY" "$BENCH/report.py" "$RESULTS"
