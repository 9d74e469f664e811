#!/usr/bin/env bash
# bench/fanout.sh: one project upgraded on many PostgreSQL databases, by
# `migrate upgrade heads --all-databases --jobs 1, 4, 16`, side by side in
# the same run with a shell loop of single `migrate` runs and with Alembic's
# multidb way (one Python process looping over the databases).
#
#   bench/fanout.sh            200 tenant databases, 5 revisions each
#   bench/fanout.sh --quick    40 tenant databases
#
# Each step sleeps 50 ms on the server (SELECT pg_sleep(0.05)) before it
# creates its table: the simulated cost of a real step, so that what
# parallel runs gain is visible on a 2-core machine. Target (issue 13):
# --jobs 16 within 1.5x of (one database's time x databases / 16).
#
# Starts its own PostgreSQL server (scripts/pg-server.sh, data directory on
# tmpfs), builds a Release migrate into build-bench/ (or times
# MIGRATE_BENCH_BIN), generates the inputs (bench/fanout_gen.py), creates
# the databases, and for each tool: empties every database (DROP SCHEMA
# public CASCADE, not timed), times one run, and checks that every database
# reached the head with every table. Prints a Markdown table and writes
# bench/results/fanout.json. Environment: MIGRATE_BENCH_FANOUT_TENANTS,
# MIGRATE_BENCH_FANOUT_REVISIONS, MIGRATE_BENCH_TMPFS (default /dev/shm).

set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
TMPFS="${MIGRATE_BENCH_TMPFS:-/dev/shm}"
if [[ $QUICK == 1 ]]; then T_DEFAULT=40; else T_DEFAULT=200; fi
T="${MIGRATE_BENCH_FANOUT_TENANTS:-$T_DEFAULT}"
R="${MIGRATE_BENCH_FANOUT_REVISIONS:-5}"

need_tools psql "$PY"
need_python_modules alembic psycopg2

cd "$ROOT"
build_migrate
mkdir -p "$WORK" "$RESULTS"
U="$WORK/fanout-$T-$R"
say "generating $T tenants x $R revisions into $U"
"$PY" "$BENCH/fanout_gen.py" --revisions "$R" --tenants "$T" --out "$U" >&2
YAML="$U/migrate/migrate.yaml"
HEAD="$(tail -n1 "$U/chain.txt")"

say "starting a private PostgreSQL server (data directory on $TMPFS)"
start_private_pg "$TMPFS"
export PGDATABASE=postgres
export DATABASE_URL=postgresql:///fanout_001   # the single target of the loop's runs (--url)
psql -X -q -c 'ALTER SYSTEM SET autovacuum = off' -c 'SELECT pg_reload_conf()' >/dev/null
say "creating $T databases"
while read -r db; do echo "CREATE DATABASE $db;"; done < "$U/tenants.list" | psql -X -q >/dev/null

reset_all() {
  while read -r db; do
    psql -X -q -d "$db" -c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public' 2>/dev/null
  done < "$U/tenants.list"
}
check_all() {  # name version_table
  local bad=0 got
  while read -r db; do
    got="$(psql -X -At -d "$db" -c "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\\_%'), (SELECT string_agg(version_num, ',') FROM $2)")"
    [[ "$got" == "$R|$HEAD" ]] || { echo "$1: $db: tables|version = $got" >&2; bad=1; }
  done < "$U/tenants.list"
  [[ $bad == 0 ]] || die "$1 did not bring every database to $HEAD"
}
now() { date +%s.%N; }

declare -A SECS
time_tool() {  # name version_table command...
  local name="$1" vt="$2"; shift 2
  reset_all
  local t0 t1
  t0="$(now)"
  "$@" >/dev/null 2>"$WORK/fanout.err" || { cat "$WORK/fanout.err" >&2; die "$name failed"; }
  t1="$(now)"
  check_all "$name" "$vt"
  SECS[$name]="$(awk "BEGIN {printf \"%.2f\", $t1 - $t0}")"
  echo "$name: ${SECS[$name]} s" >&2
}

shell_loop() {
  while read -r db; do "$MIGRATE" -c "$YAML" --url "postgresql:///$db" upgrade heads || return 1
  done < "$U/tenants.list"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
say "one database alone (3 runs, the median)"
singles=()
for _ in 1 2 3; do
  reset_all
  t0="$(now)"; "$MIGRATE" -c "$YAML" upgrade heads >/dev/null; t1="$(now)"
  singles+=("$(awk "BEGIN {print $t1 - $t0}")")
done
SINGLE="$(printf '%s\n' "${singles[@]}" | sort -n | sed -n 2p)"
echo "one database: $SINGLE s" >&2

time_tool "shell loop of migrate" migrate_version shell_loop
time_tool "alembic multidb loop" alembic_version "$PY" "$U/alembic_multidb.py"
for j in 1 4 16; do
  time_tool "migrate --jobs $j" migrate_version "$MIGRATE" -c "$YAML" upgrade heads --all-databases --jobs "$j"
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

IDEAL16="$(awk "BEGIN {printf \"%.2f\", $SINGLE * $T / 16}")"
{
  echo "{\"tenants\": $T, \"revisions\": $R, \"step_sleep_ms\": 50, \"single_s\": $SINGLE,"
  echo " \"load_before\": \"$LOAD_BEFORE\", \"load_after\": \"$LOAD_AFTER\", \"seconds\": {"
  first=1
  for k in "shell loop of migrate" "alembic multidb loop" "migrate --jobs 1" "migrate --jobs 4" "migrate --jobs 16"; do
    [[ $first == 1 ]] || echo ","
    first=0
    printf '  "%s": %s' "$k" "${SECS[$k]}"
  done
  echo "}}"
} > "$RESULTS/fanout.json"

echo
echo "$T databases x $R revisions (50 ms each); one database alone: $SINGLE s; load $LOAD_BEFORE -> $LOAD_AFTER"
echo
echo "| run | wall (s) | vs shell loop |"
echo "| --- | ---: | ---: |"
for k in "shell loop of migrate" "alembic multidb loop" "migrate --jobs 1" "migrate --jobs 4" "migrate --jobs 16"; do
  echo "| $k | ${SECS[$k]} | $(awk "BEGIN {printf \"%.2fx\", ${SECS["shell loop of migrate"]} / ${SECS[$k]}}") |"
done
echo
echo "--jobs 16: ${SECS["migrate --jobs 16"]} s against one database x $T / 16 = $IDEAL16 s" \
  "($(awk "BEGIN {printf \"%.2f\", ${SECS["migrate --jobs 16"]} / $IDEAL16}")x; target <= 1.5x)"
