#!/usr/bin/env bash
# bench/pg_run.sh: `migrate upgrade heads` on PostgreSQL, side by side with
# its peers in the same run, on loopback and over a link with a fixed delay.
#
#   bench/pg_run.sh            full run  (~12 minutes on an idle 2-core machine)
#   bench/pg_run.sh --quick    fewer runs (~5 minutes)
#
# Starts its own private PostgreSQL server (scripts/pg-server.sh: fsync off,
# data directory on tmpfs, so the time is the tools' and the network's, not
# the disk's; autovacuum off), builds a
# Release migrate into build-bench/ (if needed) and the delaying proxy
# (bench/pg_proxy.cpp, with g++), generates the inputs into
# bench/work/pg-upgrade1000/ (bench/pg_gen.py), checks that every tool reaches
# the same end state, times them with hyperfine, writes bench/results/pg-*.json
# and prints Markdown tables (bench/pg_report.py). See docs/benchmarks.md,
# section "PostgreSQL".
#
# The same 1,000 revisions (a table, an index, one row each), every run on an
# empty database (dropped and created again before each run, not timed):
#   migrate upgrade heads           one transaction per revision
#   psql -f psql-minimal.sql        per revision: BEGIN; its SQL; the version
#                                   INSERT/UPDATE; COMMIT; (Alembic's statements)
#   psql -f offline.sql             `migrate upgrade heads --sql`: exactly the
#                                   statements migrate runs (with its version
#                                   checks and history rows)
#   alembic upgrade head            Debian's Alembic + psycopg2,
#                                   transaction_per_migration=True
# on loopback (127.0.0.1), then through bench/pg_proxy (MIGRATE_BENCH_DELAY_MS,
# default 2 ms each way: a round trip of about 4 ms, measured with pgbench).
# On loopback, migrate and psql-minimal are also timed interleaved
# (bench/interleave.py). Each tool runs once more through the proxy with
# chunk counting, which gives its number of round trips.
#
# CPU time: each tool runs once more on loopback with its own CPU time and the
# server's (the backend's, read from the postmaster's reaped-children times)
# recorded: the work done, which a busy machine disturbs less than wall time.
#
# Priority: when run as root, everything after the build (the server, the
# proxy, the tools) runs at nice -10 (MIGRATE_BENCH_NICE), so that other work
# on a shared machine delays the round trips less; 0 turns it off.
#
# Environment: MIGRATE_BENCH_BIN=/path/to/migrate times that binary and skips
# the build; MIGRATE_BENCH_DELAY_MS sets the proxy's one-way delay;
# MIGRATE_BENCH_TMPFS (default /dev/shm) holds the server's data directory;
# MIGRATE_BENCH_PG_REVISIONS (default 1000) a shorter chain, to try the script.

set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DELAY_MS="${MIGRATE_BENCH_DELAY_MS:-2}"
TMPFS="${MIGRATE_BENCH_TMPFS:-/dev/shm}"   # the server's data directory
N="${MIGRATE_BENCH_PG_REVISIONS:-1000}"   # smaller only to try the script out

# Alembic's best case: compiled revision modules cached as .pyc.
unset PYTHONDONTWRITEBYTECODE PYTHONPATH PYTHONHOME PYTHONSTARTUP

if [[ $QUICK == 1 ]]; then
  LOOP_RUNS=(--warmup 1 --runs 3)
  PROXY_RUNS=(--runs 1)
  PAIRS=6
else
  LOOP_RUNS=(--warmup 1 --min-runs 10 --max-runs 15)
  PROXY_RUNS=(--runs 3)
  PAIRS=20
fi


need_tools hyperfine psql pgbench g++ cmake "$PY"
need_python_modules alembic psycopg2

# --- build ---------------------------------------------------------------
cd "$ROOT"
build_migrate

mkdir -p "$WORK" "$RESULTS"
PROXY="$WORK/pg_proxy"
if [[ ! -x "$PROXY" || "$BENCH/pg_proxy.cpp" -nt "$PROXY" ]]; then
  g++ -O2 -std=c++17 -Wall -Wextra -pthread -o "$PROXY" "$BENCH/pg_proxy.cpp"
fi

# --- inputs --------------------------------------------------------------
U="$WORK/pg-upgrade$N"
want="pg $N $(cat "$BENCH/gen_chain.py" "$BENCH/pg_gen.py" | sha1sum | cut -c1-12)"
if [[ -f "$U/.stamp" && "$(cat "$U/.stamp")" == "$want" ]]; then
  echo "inputs up to date: $U" >&2
else
  say "generating the $N-revision chain for PostgreSQL"
  "$PY" "$BENCH/pg_gen.py" --revisions "$N" --out "$U" >&2
  echo "$want" > "$U/.stamp"
fi
UM_YAML="$U/migrate/migrate.yaml"
UA_INI="$U/alembic/alembic.ini"
HEAD="$(tail -n1 "$U/chain.txt")"

# --- server and proxy ----------------------------------------------------
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
NICE="${MIGRATE_BENCH_NICE:--10}"
if [[ "$NICE" != 0 && $(id -u) == 0 ]]; then
  renice -n "$NICE" -p $$ >/dev/null   # inherited by the server and every tool
fi
NICE_NOW="$(nice)"
PROXY_PID=""
say "starting a private PostgreSQL server (data directory on $TMPFS)"
# On tmpfs: with the data directory on a disk, the kernel's writeback of one
# run's files (6,000 relation files, WAL) slows the next run down by 2-3x.
start_private_pg "$TMPFS"
on_exit '[[ -n "$PROXY_PID" ]] && kill "$PROXY_PID" 2>/dev/null'   # before the server stops
# Every tool reaches the server through libpq's environment (start_private_pg):
# no password on any command line. PGPORT is replaced by the proxy's port
# for delayed runs.
export PGDATABASE=bench
export DATABASE_URL=postgresql://     # migrate.yaml: ${DATABASE_URL}; libpq fills in the rest
DIRECT="$PGPORT"
# No autovacuum workers: 1,000 new tables per run would start some at random
# moments, and their CPU time would be counted as the run's (server CPU below).
psql -X -q -d postgres -c 'ALTER SYSTEM SET autovacuum = off' -c 'SELECT pg_reload_conf()' >/dev/null

STATS="$WORK/pg_proxy.stats"
: > "$STATS"
"$PROXY" 127.0.0.1 "$DIRECT" "$DELAY_MS" "$STATS" > "$WORK/pg_proxy.port" &
PROXY_PID=$!
for _ in $(seq 50); do [[ -s "$WORK/pg_proxy.port" ]] && break; sleep 0.1; done
SLOW="$(cat "$WORK/pg_proxy.port")"
[[ -n "$SLOW" ]] || die "the proxy did not start"
echo "server on port $DIRECT, proxy ($DELAY_MS ms each way) on port $SLOW" >&2

RESET="psql -X -q -d postgres -p $DIRECT -c 'DROP DATABASE IF EXISTS bench' -c 'CREATE DATABASE bench'"
reset_db() { sh -c "$RESET"; }

# Round-trip time: pgbench running `select 1` on one connection.
rtt_ms() {  # port
  printf 'select 1;\n' > "$WORK/select1.sql"
  pgbench -n -p "$1" -d postgres -t "$2" -f "$WORK/select1.sql" 2>/dev/null \
    | awk -F'= ' '/latency average/ {print $2+0}'
}
say "round-trip time (pgbench, select 1)"
RTT_DIRECT="$(rtt_ms "$DIRECT" 2000)"
RTT_SLOW="$(rtt_ms "$SLOW" 300)"
echo "loopback: $RTT_DIRECT ms; through the proxy: $RTT_SLOW ms" >&2

# --- commands ------------------------------------------------------------
"$MIGRATE" -c "$UM_YAML" upgrade heads --sql > "$U/offline.sql" \
  || die "migrate upgrade heads --sql failed"
n_begin="$(grep -c '^BEGIN;$' "$U/offline.sql" || true)"
n_commit="$(grep -c '^COMMIT;$' "$U/offline.sql" || true)"
[[ "$n_begin" == "$N" && "$n_commit" == "$N" ]] \
  || die "offline.sql should hold one BEGIN/COMMIT per revision ($N): $n_begin, $n_commit"
m_begin="$(grep -c '^BEGIN;$' "$U/psql-minimal.sql" || true)"
[[ "$m_begin" == "$N" ]] || die "psql-minimal.sql should hold $N BEGIN"

NAMES=("migrate upgrade heads" "psql -f psql-minimal.sql" "psql -f offline.sql" "alembic upgrade head")
cmd_of() {  # index port
  case $1 in
    0) echo "PGPORT=$2 $MIGRATE -c $UM_YAML upgrade heads" ;;
    1) echo "PGPORT=$2 psql -X -q -v ON_ERROR_STOP=1 -f $U/psql-minimal.sql" ;;
    2) echo "PGPORT=$2 psql -X -q -v ON_ERROR_STOP=1 -f $U/offline.sql" ;;
    3) echo "PGPORT=$2 $PY -m alembic -c $UA_INI -n pg upgrade head" ;;
  esac
}
VTABLE=(migrate_version migrate_version migrate_version alembic_version)

check_end() {  # index
  local got
  got="$(psql -X -At -p "$DIRECT" -c "SELECT (SELECT count(*) FROM pg_tables WHERE tablename LIKE 't\\_%'), (SELECT string_agg(version_num, ',') FROM ${VTABLE[$1]}), (SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'ix\\_t\\_%')")"
  echo "${NAMES[$1]}: tables|version|indexes = $got" >&2
  [[ "$got" == "$N|$HEAD|$N" ]] || die "${NAMES[$1]} did not reach $HEAD with $N tables and indexes"
}

# --- correctness, and round trips through the proxy ----------------------
say "checking that every tool reaches the same end state (loopback)"
for i in 0 1 2 3; do
  reset_db
  sh -c "$(cmd_of $i "$DIRECT")" >/dev/null 2>&1 || die "${NAMES[$i]} failed"
  check_end $i
done

# CPU seconds of the postmaster's reaped children: a backend's CPU time is
# added when its connection ends.
PM_PID="$(head -n1 "$MIGRATE_TEST_PG_DIR/data/postmaster.pid")"
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($16 + $17) / hz}' "/proc/$PM_PID/stat"; }

say "CPU time: each tool once more on loopback (client and server)"
echo "{" > "$RESULTS/pg-cpu.json"
for i in 0 1 2 3; do
  reset_db
  sleep 0.2                              # let the reset's backend be reaped
  s0="$(server_cpu)"
  /usr/bin/time -o "$WORK/pg_time.txt" -f "%e %U %S" sh -c "$(cmd_of $i "$DIRECT")" >/dev/null 2>&1 \
    || die "${NAMES[$i]} failed"
  for _ in $(seq 20); do sleep 0.1; s1="$(server_cpu)"; [[ "$s1" != "$s0" ]] && break; done
  read -r wall cu cs < "$WORK/pg_time.txt"
  server="$(awk "BEGIN {print $s1 - $s0}")"
  echo "${NAMES[$i]}: wall $wall s, client CPU $(awk "BEGIN {print $cu + $cs}") s, server CPU $server s" >&2
  sep=$([[ $i == 3 ]] && echo "" || echo ",")
  echo "  \"${NAMES[$i]}\": {\"wall\": $wall, \"client_cpu\": $(awk "BEGIN {print $cu + $cs}"), \"server_cpu\": $server}$sep" >> "$RESULTS/pg-cpu.json"
done
echo "}" >> "$RESULTS/pg-cpu.json"

say "counting round trips: each tool once through the proxy"
echo "{" > "$RESULTS/pg-roundtrips.json"
for i in 0 1 2 3; do
  reset_db
  : > "$STATS"
  t0=$(date +%s.%N)
  sh -c "$(cmd_of $i "$SLOW")" >/dev/null 2>&1 || die "${NAMES[$i]} failed through the proxy"
  t1=$(date +%s.%N)
  check_end $i
  # the proxy appends a line when the connections have closed
  for _ in $(seq 50); do [[ -s "$STATS" ]] && break; sleep 0.1; done
  sleep 0.2
  rt="$(awk -F'[ =]' '{n += $2; c++} END {print n + 0, c + 0}' "$STATS")"
  echo "${NAMES[$i]}: $(cut -d' ' -f1 <<<"$rt") round trips on $(cut -d' ' -f2 <<<"$rt") connection(s), $(awk "BEGIN {printf \"%.1f\", $t1 - $t0}") s" >&2
  sep=$([[ $i == 3 ]] && echo "" || echo ",")
  echo "  \"${NAMES[$i]}\": {\"round_trips\": $(cut -d' ' -f1 <<<"$rt"), \"connections\": $(cut -d' ' -f2 <<<"$rt")}$sep" >> "$RESULTS/pg-roundtrips.json"
done
echo "}" >> "$RESULTS/pg-roundtrips.json"

# --- timing --------------------------------------------------------------
HF=(hyperfine --style basic --shell sh)
hf() {  # name port runs...
  local name=$1 port=$2; shift 2
  local cmds=()
  for i in 0 1 2 3; do cmds+=(-n "${NAMES[$i]}" "$(cmd_of $i "$port")"); done
  "${HF[@]}" "$@" --prepare "$RESET" --export-json "$RESULTS/$name.json" "${cmds[@]}" >&2
}
rm -f "$RESULTS"/pg-upgrade-*.json
say "pg-upgrade-loopback: $N revisions, loopback (RTT $RTT_DIRECT ms)"
hf pg-upgrade-loopback "$DIRECT" "${LOOP_RUNS[@]}"
say "pg-upgrade-loopback: migrate and psql -f psql-minimal.sql interleaved ($PAIRS pairs)"
"$PY" "$BENCH/interleave.py" --pairs "$PAIRS" --out "$RESULTS/pg-upgrade-loopback-interleaved.json" \
  --prepare "$RESET" \
  "${NAMES[0]}" "$(cmd_of 0 "$DIRECT")" "${NAMES[1]}" "$(cmd_of 1 "$DIRECT")" >&2
say "pg-upgrade-delay: $N revisions through the proxy (RTT $RTT_SLOW ms)"
hf pg-upgrade-delay "$SLOW" "${PROXY_RUNS[@]}"

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
  echo "  \"psycopg2\": \"$($PY -c 'import psycopg2; print(psycopg2.__version__.split()[0])')\","
  echo "  \"python\": \"$($PY --version 2>&1)\","
  echo "  \"server\": \"$(psql -X -At -p "$DIRECT" -d postgres -c 'SHOW server_version')\","
  echo "  \"psql\": \"$(psql --version)\","
  echo "  \"hyperfine\": \"$(hyperfine --version)\","
  echo "  \"nice\": $NICE_NOW,"
  echo "  \"delay_ms\": $DELAY_MS,"
  echo "  \"rtt_loopback_ms\": $RTT_DIRECT,"
  echo "  \"rtt_delay_ms\": $RTT_SLOW"
  echo "}"
} > "$RESULTS/pg-machine.json"

say "results (bench/results/pg-*.json)"
"$PY" "$BENCH/pg_report.py" "$RESULTS"
