#!/usr/bin/env bash
# bench/expand_sqlite.sh: an expand/contract change on SQLite (the planner's
# in-place path), phase by phase, against the one-statement ways of doing the
# same work, in the same run over copies of the same file.
#
#   bench/expand_sqlite.sh            rows: MIGRATE_BENCH_EXPAND_ROWS (default "1000000")
#   bench/expand_sqlite.sh --quick    rows: "100000"
#
# The table: users (id INTEGER PRIMARY KEY, email TEXT, amount_cents INTEGER,
# note TEXT), WAL journal mode. The plan: rename email -> email_address and
# change_type amount_cents -> amount REAL (up amount_cents / 100.0), done in
# place; then the same plus add_check (note_short), which makes the planner
# rebuild the table online (copy batches, a swap). For each
# row count N, each run on a fresh copy of the file with a single-row writer
# (bench/sqlite_writer.py, busy_timeout 60 s, 5 ms between writes, updating a random
# row's note) that reports its worst wait:
#   expand     migrate upgrade b_expand (ADD COLUMN x2, the sync triggers)
#   backfill   migrate upgrade b_backfill (the engine's batches, default tuning)
#   update     sqlite3: one UPDATE setting both new columns, with the same triggers
#   contract   migrate upgrade b_contract (check, DROP COLUMN x2, RENAME COLUMN;
#              rebuilt: check, DROP TABLE, RENAME TO)
#   copy       sqlite3: one INSERT INTO a new table SELECT ... (what a table
#              rebuild's copy costs in one statement; for reference)
# Prints a Markdown table; raw lines in bench/results/expand-sqlite.txt.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [[ $QUICK == 1 ]]; then
  SIZES="${MIGRATE_BENCH_EXPAND_ROWS:-100000}"
else
  SIZES="${MIGRATE_BENCH_EXPAND_ROWS:-1000000}"
fi
build_migrate
W="$WORK/expand-sqlite"
mkdir -p "$W" "$RESULTS"
source "$BENCH/sqlite_writer.sh"

P="$W/project"
rm -rf "$P" && mkdir -p "$P/versions"
printf 'script_location: .\ndatabase_url: sqlite:///%s/app.db\n' "$W" > "$P/migrate.yaml"
cat > "$P/versions/a1_base.sql" <<'SQL'
-- revision: a1
-- down_revision: null
-- message: users

-- migrate:upgrade
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, amount_cents INTEGER, note TEXT);

-- migrate:downgrade
DROP TABLE users;
SQL
cp "$ROOT/templates/generic/script.sql.tmpl" "$P/"
PLAN='table: users
operations:
  - rename_column: {from: email, to: email_address}
  - change_type: {column: amount_cents, to: amount, type: REAL, up: "amount_cents / 100.0", down: "CAST(round(amount * 100) AS INTEGER)"}
'
plan() {  # [extra operation lines]: the three revisions b_* for the plan
  rm -f "$P"/versions/b_*
  printf '%s%s' "$PLAN" "${1:-}" > "$P/plan.yaml"
  (cd "$P" && "$MIGRATE" revision --expand-contract plan.yaml -m change --rev-id b >/dev/null)
}

fresh() { rm -f "$W/app.db" "$W/app.db-wal" "$W/app.db-shm"; cp "$W/base.db" "$W/app.db"; }
mig() { (cd "$P" && "$MIGRATE" "$@" >/dev/null 2>>"$W/migrate.err"); }
json() { "$PY" -c 'import json,sys; print(round(json.loads(sys.argv[1])[sys.argv[2]], 1))' "$1" "$2"; }

OUT="$RESULTS/expand-sqlite.txt"
: > "$OUT"
row() {  # N run seconds writer-json
  echo "$1 $2 $3 $4" >> "$OUT"
  local rate="–"
  [[ "$2" == expand* ]] || rate="$(echo "$1 / $3" | bc)"
  printf '| %s | %s | %s s | %s | %s ms | %s ms |\n' "$1" "$2" "$3" "$rate" \
    "$(json "$4" max_ms)" "$(json "$4" p99_ms)"
}
timed() {  # N run command...: times the command under the writer
  local n=$1 name=$2; shift 2
  start_writer "$n" "UPDATE users SET note = note WHERE id = ?"
  local t0; t0=$(now)
  "$@"
  local t1; t1=$(now)
  stop_writer
  row "$n" "$name" "$(elapsed "$t0" "$t1")" "$(cat "$W/writer.json")"
}

echo "| rows | run | time | rows/s | writer max wait | writer p99 |"
echo "| ---: | --- | ---: | ---: | ---: | ---: |"
for N in $SIZES; do
  rm -f "$W/base.db"
  sqlite3 "$W/base.db" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, amount_cents INTEGER, note TEXT);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $N)
INSERT INTO users SELECT i, 'user' || i || '@example.com', i, 'n' FROM c;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
  for kind in "in place" rebuilt; do
    if [[ $kind == rebuilt ]]; then
      plan '  - add_check: {name: note_short, check: "length(note) < 100"}
'
      final="id,email_address,amount,note"
    else
      plan
      final="id,email_address,note,amount"
    fi
    fresh
    mig stamp a1
    timed "$N" "expand ($kind)" mig upgrade b_expand
    timed "$N" "backfill ($kind)" mig upgrade b_backfill
    [[ "$(sqlite3 "$W/app.db" 'SELECT count(*) FROM users WHERE email_address IS NOT email OR amount IS NOT amount_cents / 100.0')" == 0 ]] \
      || die "the backfill left rows out of step"
    timed "$N" "contract ($kind)" mig upgrade b_contract
    [[ "$(sqlite3 "$W/app.db" "SELECT group_concat(name) FROM pragma_table_info('users')")" == "$final" ]] \
      || die "the contract did not leave the final columns"
  done

  plan
  fresh
  mig stamp a1
  mig upgrade b_expand
  timed "$N" "update (one statement)" sqlite3 -cmd ".timeout 60000" "$W/app.db" \
    "UPDATE users SET email_address = email, amount = amount_cents / 100.0;"

  fresh
  sqlite3 "$W/app.db" "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email_address TEXT, note TEXT, amount REAL);"
  timed "$N" "copy (one INSERT ... SELECT)" sqlite3 -cmd ".timeout 60000" "$W/app.db" \
    "INSERT INTO users_new SELECT id, email, note, amount_cents / 100.0 FROM users;"
done
