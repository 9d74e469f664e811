#!/usr/bin/env bash
# bench/pg_pooler.sh: what the run lock behind PgBouncer costs, side by side
# with Alembic through the same PgBouncer, in one run.
#
#   bench/pg_pooler.sh [REVISIONS] [RUNS]     (default 500 revisions, 5 runs)
#
# Starts its own PostgreSQL server (scripts/pg-server.sh) and PgBouncer in
# transaction mode in front of it (scripts/pgbouncer.sh), generates a chain
# of REVISIONS revisions (bench/pg_gen.py: a table, an index and a row each)
# and times with hyperfine, each run on an empty database (dropped and
# created again, not timed):
#   migrate direct             the session advisory lock (pooler: session)
#   migrate direct, lease      pooler: transaction on the direct connection:
#                              the lease row and its fence in every step
#   migrate via PgBouncer      recognized as pooled (the lease lock)
#   alembic via PgBouncer      Debian's Alembic, transaction_per_migration
#                              (no lock of its own)
# Builds nothing: uses build/migrate (MIGRATE=...). Prints hyperfine's table.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
ROOT="$LIB_ROOT"
N="${1:-500}"
RUNS="${2:-5}"
MIGRATE="${MIGRATE:-$ROOT/build/migrate}"
PY=/usr/bin/python3
WORK="$ROOT/bench/work"
U="$WORK/pg-pooler$N"
[[ -x "$MIGRATE" ]] || { echo "pg_pooler: build $MIGRATE first" >&2; exit 1; }
mkdir -p "$WORK"
rm -rf "$U"
"$PY" "$ROOT/bench/pg_gen.py" --revisions "$N" --out "$U" >&2

start_private_pg
start_private_pgbouncer
BOUNCER_PORT="$(sed -E 's|.*:([0-9]+)/[^/]*$|\1|' <<<"$MIGRATE_TEST_PGBOUNCER_URL")"
export PGDATABASE=bench   # PGPORT: each command's own (direct or PgBouncer)
export DATABASE_URL=postgresql://
DIRECT="$MIGRATE_TEST_PG_PORT"
psql -X -q -p "$DIRECT" -d postgres -c 'ALTER SYSTEM SET autovacuum = off' -c 'SELECT pg_reload_conf()' >/dev/null

YAML="$U/migrate/migrate.yaml"
cp "$YAML" "$U/migrate/session.yaml"; echo "pooler: session" >> "$U/migrate/session.yaml"
cp "$YAML" "$U/migrate/lease.yaml"; echo "pooler: transaction" >> "$U/migrate/lease.yaml"
# The database is dropped through the server directly (PgBouncer keeps
# server sessions to it: WITH (FORCE) ends them).
RESET="psql -X -q -p $DIRECT -d postgres -c 'DROP DATABASE IF EXISTS bench WITH (FORCE)' -c 'CREATE DATABASE bench'"
HEAD="$(tail -n1 "$U/chain.txt")"
hyperfine --style basic --shell sh --runs "$RUNS" --prepare "$RESET" \
  --export-json "$WORK/pg-pooler.json" \
  -n "migrate direct (advisory lock)" "PGPORT=$DIRECT $MIGRATE -c $U/migrate/session.yaml upgrade heads" \
  -n "migrate direct (lease lock)" "PGPORT=$DIRECT $MIGRATE -c $U/migrate/lease.yaml upgrade heads" \
  -n "migrate via PgBouncer (lease lock)" "PGPORT=$BOUNCER_PORT $MIGRATE -c $YAML upgrade heads 2>/dev/null" \
  -n "alembic via PgBouncer" "PGPORT=$BOUNCER_PORT $PY -m alembic -c $U/alembic/alembic.ini -n pg upgrade head"
# Every tool reached the last revision (checked after the last run of each
# would need a run of its own: the last timed run is alembic's).
v="$(psql -X -At -p "$DIRECT" -c 'SELECT version_num FROM alembic_version')"
[[ "$v" == "$HEAD" ]] || { echo "pg_pooler: alembic ended at '$v', not $HEAD" >&2; exit 1; }
