#!/usr/bin/env bash
# bench/backfill_pg.sh: the backfill engine against one big UPDATE, on
# PostgreSQL, in the same run over the same table.
#
#   bench/backfill_pg.sh            rows: MIGRATE_BENCH_BACKFILL_ROWS (default "1000000 10000000")
#   bench/backfill_pg.sh --quick    rows: "100000 1000000"
#
# For each row count N: a table t (id bigint PRIMARY KEY, old int, new int)
# with N rows and a sync trigger like the expand phase's (BEFORE INSERT OR
# UPDATE: new := old * 2 unless migrate.backfill is 'on'), vacuumed and
# checkpointed, then, each on a freshly loaded table:
#   update          UPDATE t SET new = old * 2          (one statement)
#   backfill        migrate upgrade: a phase: backfill revision setting
#                   new = old * 2 by keyset batches (default tuning)
#   update-notrig   the UPDATE without the trigger (N <= MIGRATE_BENCH_BREAKDOWN_MAX,
#                   default 1000000): the trigger's cost per row
# During `update` and `backfill` a single-row writer (bench/backfill_writer.cpp, 5 ms between writes,
# built with g++) updates random rows one at a time and reports its worst
# wait. Recorded per run: rows/s, WAL bytes per row (pg_current_wal_lsn), the
# share of HOT updates (no index entry written), and for the backfill each
# batch's transaction time (MIGRATE_BACKFILL_STATS): p50, p99, max.
# Writes bench/results/backfill-pg.json and prints a Markdown table (see
# docs/benchmarks.md, "Backfill").
#
# The server is private (scripts/pg-server.sh: fsync off, synchronous_commit
# off, data directory on MIGRATE_BENCH_TMPFS, default /dev/shm), autovacuum
# off so that no vacuum lands inside one of the timed runs.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
TMPFS="${MIGRATE_BENCH_TMPFS:-/dev/shm}"
if [[ $QUICK == 1 ]]; then
  SIZES="${MIGRATE_BENCH_BACKFILL_ROWS:-100000 1000000}"
else
  SIZES="${MIGRATE_BENCH_BACKFILL_ROWS:-1000000 10000000}"
fi
BREAKDOWN_MAX="${MIGRATE_BENCH_BREAKDOWN_MAX:-1000000}"

build_migrate
mkdir -p "$WORK/backfill-pg" "$RESULTS"
W="$WORK/backfill-pg"
WRITER="$W/backfill_writer"
g++ -O2 -o "$WRITER" "$BENCH/backfill_writer.cpp" -I/usr/include/postgresql -lpq

WRITER_PID=""
say "starting a private PostgreSQL server (data directory on $TMPFS)"
start_private_pg "$TMPFS"
on_exit '[[ -n "$WRITER_PID" ]] && kill "$WRITER_PID" 2>/dev/null'   # before the server stops
export PGDATABASE=postgres
export DATABASE_URL=postgresql://
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)
"${PSQL[@]}" -c 'ALTER SYSTEM SET autovacuum = off' -c 'ALTER SYSTEM SET max_wal_size = '"'4GB'" \
  -c 'SELECT pg_reload_conf()' >/dev/null

# The migrate project: a1 adopts the table, b2 backfills it.
P="$W/project"
rm -rf "$P" && mkdir -p "$P/versions"
printf 'script_location: .\ndatabase_url: ${DATABASE_URL}\n' > "$P/migrate.yaml"
printf -- '-- revision: a1\n-- down_revision: null\n-- message: table t exists\n\n-- migrate:upgrade\n\n-- migrate:downgrade\n' \
  > "$P/versions/a1_base.sql"
cat > "$P/versions/b2_fill.sql" <<'SQL'
-- revision: b2
-- down_revision: a1
-- message: fill t.new (backfill)
-- phase: backfill
-- transactional: false
-- backfill:
--   table: t
--   key: [id]
--   set:
--     new: old * 2

-- migrate:upgrade

-- migrate:downgrade
SQL

load() {  # N [notrigger]
  "${PSQL[@]}" <<SQL >/dev/null
DROP TABLE IF EXISTS t;
DROP TABLE IF EXISTS migrate_version, migrate_history, migrate_backfill;
CREATE TABLE t (id bigint PRIMARY KEY, old int NOT NULL, new int);
INSERT INTO t SELECT i, i FROM generate_series(1, $1) i;
CREATE OR REPLACE FUNCTION t_sync() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
  IF current_setting('migrate.backfill', true) IS DISTINCT FROM 'on' THEN
    NEW.new := NEW.old * 2;
  END IF;
  RETURN NEW;
END \$\$;
$( [[ "${2:-}" == notrigger ]] || echo "CREATE TRIGGER t_sync BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION t_sync();" )
VACUUM (ANALYZE) t;
CHECKPOINT;
SQL
}

lsn() { "${PSQL[@]}" -c "SELECT pg_current_wal_lsn()"; }
wal_bytes() { "${PSQL[@]}" -c "SELECT pg_wal_lsn_diff('$2', '$1')::bigint"; }
hot_share() {
  "${PSQL[@]}" -c "SELECT round(n_tup_hot_upd::numeric / greatest(n_tup_upd, 1), 3) FROM pg_stat_user_tables WHERE relname = 't'"
}
now() { date +%s.%N; }
elapsed() { printf '%.3f' "$(echo "$2 - $1" | bc)"; }
start_writer() {  # N
  "$WRITER" "host=$PGHOST port=$PGPORT user=postgres dbname=postgres" "$1" > "$W/writer.json" &
  WRITER_PID=$!
  sleep 0.5
}
stop_writer() {
  kill -TERM "$WRITER_PID"; wait "$WRITER_PID" || true; WRITER_PID=""
}

OUT="$RESULTS/backfill-pg.json"
echo "[" > "$OUT"
first=1
record() {  # json object
  [[ $first == 1 ]] || echo "," >> "$OUT"
  first=0
  echo "$1" >> "$OUT"
}

for N in $SIZES; do
  say "N=$N: load, then one UPDATE"
  load "$N"
  start_writer "$N"
  l0=$(lsn); t0=$(now)
  "${PSQL[@]}" -c "UPDATE t SET new = old * 2" >/dev/null
  t1=$(now); l1=$(lsn)
  stop_writer; wj=$(cat "$W/writer.json")
  record "{\"rows\": $N, \"run\": \"update\", \"s\": $(elapsed "$t0" "$t1"), \"wal_bytes\": $(wal_bytes "$l0" "$l1"), \"hot\": $(hot_share), \"writer\": $wj}"

  say "N=$N: load, then the backfill"
  load "$N"
  (cd "$P" && "$MIGRATE" upgrade a1 >/dev/null)
  rm -f "$W/stats-$N.jsonl"
  start_writer "$N"
  l0=$(lsn); t0=$(now)
  (cd "$P" && MIGRATE_BACKFILL_STATS="$W/stats-$N.jsonl" "$MIGRATE" upgrade heads >/dev/null 2>"$W/backfill-$N.err")
  t1=$(now); l1=$(lsn)
  stop_writer; wj=$(cat "$W/writer.json")
  "${PSQL[@]}" -c "SELECT count(*) FROM t WHERE new IS DISTINCT FROM old * 2" | grep -qx 0 \
    || die "backfill left rows unfilled"
  record "{\"rows\": $N, \"run\": \"backfill\", \"s\": $(elapsed "$t0" "$t1"), \"wal_bytes\": $(wal_bytes "$l0" "$l1"), \"hot\": $(hot_share), \"writer\": $wj, \"batches\": \"$W/stats-$N.jsonl\"}"

  if (( N <= BREAKDOWN_MAX )); then
    say "N=$N: load without the trigger, then one UPDATE"
    load "$N" notrigger
    l0=$(lsn); t0=$(now)
    "${PSQL[@]}" -c "UPDATE t SET new = old * 2" >/dev/null
    t1=$(now); l1=$(lsn)
    record "{\"rows\": $N, \"run\": \"update-notrig\", \"s\": $(elapsed "$t0" "$t1"), \"wal_bytes\": $(wal_bytes "$l0" "$l1"), \"hot\": $(hot_share)}"
  fi
done
echo "]" >> "$OUT"
"$PY" "$BENCH/backfill_report.py" "$OUT"
