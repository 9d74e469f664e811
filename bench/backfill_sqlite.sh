#!/usr/bin/env bash
# bench/backfill_sqlite.sh: the backfill engine against one big UPDATE, on
# SQLite, in the same run over the same table.
#
#   bench/backfill_sqlite.sh            rows: MIGRATE_BENCH_BACKFILL_ROWS (default "1000000 10000000")
#   bench/backfill_sqlite.sh --quick    rows: "100000 1000000"
#
# For each row count N, each on a freshly built copy of the same file (WAL
# journal mode, as an application sharing the file with migrate uses; a
# trigger AFTER UPDATE OF old keeps new = old * 2 for application writes, and
# does not fire for `SET new = ...`):
#   update     sqlite3 FILE 'UPDATE t SET new = old * 2'
#   backfill   migrate upgrade: a phase: backfill revision, default tuning
# During both a single-row writer (bench/sqlite_writer.py, busy_timeout 60 s, 5 ms between writes)
# updates random rows one at a time and reports its worst wait. Writes
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

wal_size() { stat -c %s "$W/app.db-wal" 2>/dev/null || echo 0; }

build() {  # N: the pristine copy, built once per N
  rm -f "$W/base.db"
  sqlite3 "$W/base.db" <<SQL
PRAGMA journal_mode = WAL;
CREATE TABLE t (id INTEGER PRIMARY KEY, old INTEGER NOT NULL, new INTEGER);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $1)
INSERT INTO t (id, old) SELECT i, i FROM c;
CREATE TRIGGER t_sync AFTER UPDATE OF old ON t BEGIN
  UPDATE t SET new = NEW.old * 2 WHERE id = NEW.id;
END;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
}
fresh() { rm -f "$W/app.db" "$W/app.db-wal" "$W/app.db-shm"; cp "$W/base.db" "$W/app.db"; }

OUT="$RESULTS/backfill-sqlite.json"
echo "[" > "$OUT"
first=1
record() { [[ $first == 1 ]] || echo "," >> "$OUT"; first=0; echo "$1" >> "$OUT"; }

for N in $SIZES; do
  say "N=$N: build the table"
  build "$N"
  say "N=$N: one UPDATE"
  fresh
  start_writer "$N" "UPDATE t SET old = old + 0 WHERE id = ?"
  t0=$(now)
  sqlite3 "$W/app.db" "PRAGMA busy_timeout = 60000; UPDATE t SET new = old * 2;" >/dev/null
  t1=$(now)
  wal=$(wal_size)
  stop_writer; wj=$(cat "$W/writer.json")
  record "{\"rows\": $N, \"run\": \"update\", \"s\": $(elapsed "$t0" "$t1"), \"wal_bytes\": $wal, \"hot\": null, \"writer\": $wj}"

  say "N=$N: the backfill"
  fresh
  (cd "$P" && "$MIGRATE" upgrade a1 >/dev/null)
  rm -f "$W/stats-$N.jsonl"
  start_writer "$N" "UPDATE t SET old = old + 0 WHERE id = ?"
  t0=$(now)
  (cd "$P" && MIGRATE_BACKFILL_STATS="$W/stats-$N.jsonl" "$MIGRATE" upgrade heads >/dev/null 2>"$W/backfill-$N.err")
  t1=$(now)
  wal=$(wal_size)
  stop_writer; wj=$(cat "$W/writer.json")
  [[ "$(sqlite3 "$W/app.db" 'SELECT count(*) FROM t WHERE new IS NOT old * 2')" == 0 ]] \
    || die "backfill left rows unfilled"
  record "{\"rows\": $N, \"run\": \"backfill\", \"s\": $(elapsed "$t0" "$t1"), \"wal_bytes\": $wal, \"hot\": null, \"writer\": $wj, \"batches\": \"$W/stats-$N.jsonl\"}"
done
echo "]" >> "$OUT"
"$PY" "$BENCH/backfill_report.py" "$OUT"
