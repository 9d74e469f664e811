#!/usr/bin/env bash
# bench/backfill_sqlite.sh: the backfill engine against one big UPDATE, on
# SQLite, in the same run over the same table.
#
#   bench/backfill_sqlite.sh            rows: MIGRATE_BENCH_BACKFILL_ROWS (default "1000000 10000000")
#   bench/backfill_sqlite.sh --quick    rows: "100000 1000000"
#
# For each row count N, each run on a fresh copy of the same file (WAL
# journal mode, as an application sharing the file with migrate uses), in
# the expand/contract window of the plan "change_type old -> new, up
# old * 2" as `migrate revision --expand-contract` writes it: the expand
# applied (column new, the planner's two sync triggers), then
#   update          sqlite3 FILE 'UPDATE t SET new = old * 2', the triggers
#                   present (they evaluate their WHEN for every row, as they
#                   do for the backfill's rows)
#   backfill        migrate upgrade of the planner's backfill revision,
#                   default tuning
#   update-notrig   the same UPDATE with the triggers dropped first
# During each a single-row writer (bench/sqlite_writer.py, busy_timeout
# 60 s, 5 ms between writes) updates random rows' `old` one at a time (the
# triggers keep `new` in step) and reports its worst wait. Writes
# bench/results/backfill-sqlite.json and prints a Markdown table.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [[ $QUICK == 1 ]]; then
  SIZES="${MIGRATE_BENCH_BACKFILL_ROWS:-100000 1000000}"
else
  SIZES="${MIGRATE_BENCH_BACKFILL_ROWS:-1000000 10000000}"
fi
build_migrate
W="$WORK/backfill-sqlite"
mkdir -p "$W" "$RESULTS"
source "$BENCH/sqlite_writer.sh"

P="$W/project"
rm -rf "$P" && mkdir -p "$P/versions"
printf 'script_location: .\ndatabase_url: sqlite:///%s/app.db\n' "$W" > "$P/migrate.yaml"
cp "$ROOT/templates/generic/script.sql.tmpl" "$P/"
cat > "$P/versions/a1_base.sql" <<'SQL'
-- revision: a1
-- down_revision: null
-- message: table t

-- migrate:upgrade
CREATE TABLE t (id INTEGER PRIMARY KEY, old INTEGER);

-- migrate:downgrade
DROP TABLE t;
SQL
printf '%s\n' 'table: t' 'operations:' \
  '  - change_type: {column: old, to: new, type: INTEGER, up: "old * 2", down: "new / 2"}' \
  > "$P/plan.yaml"
mig() { (cd "$P" && "$MIGRATE" "$@" >/dev/null 2>>"$W/migrate.err"); }
: > "$W/migrate.err"
mig revision --expand-contract plan.yaml -m change --rev-id b

wal_size() { stat -c %s "$W/app.db-wal" 2>/dev/null || echo 0; }

build() {  # N: the pristine copy, expanded, built once per N
  rm -f "$W/base.db" "$W/app.db" "$W/app.db-wal" "$W/app.db-shm"
  sqlite3 "$W/app.db" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
CREATE TABLE t (id INTEGER PRIMARY KEY, old INTEGER);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $1)
INSERT INTO t (id, old) SELECT i, i FROM c;
SQL
  mig stamp a1
  mig upgrade b_expand
  [[ "$(sqlite3 "$W/app.db" "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")" == 2 ]] \
    || die "the expand did not install the two sync triggers"
  sqlite3 "$W/app.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  mv "$W/app.db" "$W/base.db"
  rm -f "$W/app.db-wal" "$W/app.db-shm"
}
fresh() { rm -f "$W/app.db" "$W/app.db-wal" "$W/app.db-shm"; cp "$W/base.db" "$W/app.db"; }
one_update() {  # run-name: times the single UPDATE under the writer, records it
  start_writer "$N" "UPDATE t SET old = old + 0 WHERE id = ?"
  t0=$(now)
  sqlite3 "$W/app.db" "PRAGMA busy_timeout = 60000; UPDATE t SET new = old * 2;" >/dev/null
  t1=$(now)
  wal=$(wal_size)
  stop_writer; wj=$(cat "$W/writer.json")
  record "{\"rows\": $N, \"run\": \"$1\", \"s\": $(elapsed "$t0" "$t1"), \"wal_bytes\": $wal, \"hot\": null, \"writer\": $wj}"
}

OUT="$RESULTS/backfill-sqlite.json"
echo "[" > "$OUT"
first=1
record() { [[ $first == 1 ]] || echo "," >> "$OUT"; first=0; echo "$1" >> "$OUT"; }

say "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
for N in $SIZES; do
  say "N=$N: build the table, apply the expand"
  build "$N"
  say "N=$N: one UPDATE (the sync triggers present)"
  fresh
  one_update update

  say "N=$N: the backfill"
  fresh
  rm -f "$W/stats-$N.jsonl"
  start_writer "$N" "UPDATE t SET old = old + 0 WHERE id = ?"
  t0=$(now)
  (cd "$P" && MIGRATE_BACKFILL_STATS="$W/stats-$N.jsonl" "$MIGRATE" upgrade b_backfill >/dev/null 2>"$W/backfill-$N.err")
  t1=$(now)
  wal=$(wal_size)
  stop_writer; wj=$(cat "$W/writer.json")
  [[ "$(sqlite3 "$W/app.db" 'SELECT count(*) FROM t WHERE new IS NOT old * 2')" == 0 ]] \
    || die "backfill left rows unfilled"
  record "{\"rows\": $N, \"run\": \"backfill\", \"s\": $(elapsed "$t0" "$t1"), \"wal_bytes\": $wal, \"hot\": null, \"writer\": $wj, \"batches\": \"$W/stats-$N.jsonl\"}"

  say "N=$N: one UPDATE, no trigger"
  fresh
  sqlite3 "$W/app.db" 'DROP TRIGGER migrate_sync_t_insert; DROP TRIGGER migrate_sync_t_update;'
  one_update update-notrig
done
say "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "]" >> "$OUT"
"$PY" "$BENCH/backfill_report.py" "$OUT"
