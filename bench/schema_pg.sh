#!/usr/bin/env bash
# bench/schema_pg.sh: schema diffs on PostgreSQL, side by side with the peers
# in the same run. Two databases of N tables (default 1,000; each with two
# indexes and a foreign key, the keys forming a tree; a view on every tenth
# table and a view on a view on every fiftieth) that differ in one table of
# twenty (a column added, a numeric widened under its views, an index
# changed) and one view of a hundred, and a few objects of every other kind
# per hundred tables (domains, composite and range types, partitioned and
# inherited tables, aggregates, policies, triggers, collations, fillfactor,
# an event trigger, a publication), about half of them differing
# (bench/schema_pg_gen.py). Timed, each a whole process:
#
#   migrate diff --from A --to B    inspect both, diff, print the SQL
#   migrate diff --from A --to A    the same with nothing to print
#   alembic compare_metadata        Alembic's autogenerate comparison of A
#                                   against SQLAlchemy metadata of B
#                                   (bench/schema_pg_alembic.py: Debian's
#                                   Alembic 1.8 has no `alembic check`, which
#                                   runs the same function)
#   migra A B --unsafe              @pgkit/migra from npm, installed into
#                                   bench/work/migra/ (not the repo)
#
#   bench/schema_pg.sh            full run
#   bench/schema_pg.sh --quick    fewer runs
#
# Starts its own private PostgreSQL server (scripts/pg-server.sh), builds a
# Release migrate into build-bench/ unless MIGRATE_BENCH_BIN names one, checks
# that migrate's script turns A into B (a copy of A, the script applied in one
# transaction, then diffed against B: nothing left), writes
# bench/results/schema-pg.json and prints a Markdown table. See
# docs/benchmarks.md, section "Schema diffs".
# MIGRATE_BENCH_SCHEMA_TABLES sets N (smaller only to try the script out).
# MIGRATE_BENCH_BASELINE_BIN names another migrate binary (an earlier build,
# its migrate_postgres.so beside it) timed in the same run as "baseline diff
# A B" and "baseline diff A A": before/after figures under the same load.

set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
N="${MIGRATE_BENCH_SCHEMA_TABLES:-1000}"
MIGRA_VERSION=0.6.1
unset PYTHONDONTWRITEBYTECODE PYTHONPATH PYTHONHOME PYTHONSTARTUP

if [[ $QUICK == 1 ]]; then RUNS=(--warmup 1 --runs 3); else RUNS=(--warmup 2 --min-runs 10); fi


need_tools hyperfine psql npm cmake "$PY"
need_python_modules alembic sqlalchemy psycopg2

# --- build, peers, inputs ------------------------------------------------
cd "$ROOT"
build_migrate

mkdir -p "$WORK" "$RESULTS"
MIGRA="$WORK/migra/node_modules/.bin/migra"
if [[ ! -x "$MIGRA" ]]; then
  say "installing @pgkit/migra@$MIGRA_VERSION into bench/work/migra/"
  mkdir -p "$WORK/migra"
  npm install --prefix "$WORK/migra" --no-save --no-audit --no-fund \
    "@pgkit/migra@$MIGRA_VERSION" >&2
fi

IN="$WORK/schema-pg$N"
say "generating two $N-table schemas into $IN"
"$PY" "$BENCH/schema_pg_gen.py" "$IN" "$N"

# --- server --------------------------------------------------------------
NICE="${MIGRATE_BENCH_NICE:--10}"
if [[ "$NICE" != 0 && $(id -u) == 0 ]]; then renice -n "$NICE" -p $$ >/dev/null; fi
say "starting a private PostgreSQL server"
# Every tool gets the password from libpq's environment, never a command line.
start_private_pg
unset MIGRATE_TEST_PG_URL MIGRATE_TEST_PG_PASSWORD
URL_BASE="postgresql://postgres@127.0.0.1:$PGPORT"
A="$URL_BASE/schema_a" B="$URL_BASE/schema_b" APPLIED="$URL_BASE/schema_applied"
for db in schema_a schema_b schema_applied; do psql -qd postgres -c "CREATE DATABASE $db"; done
psql -q1 -v ON_ERROR_STOP=1 -d schema_a -f "$IN/a.sql"
psql -q1 -v ON_ERROR_STOP=1 -d schema_b -f "$IN/b.sql"
psql -qd postgres -c "VACUUM ANALYZE" -d schema_a >/dev/null

# --- the tools agree that A and B differ; migrate's script is complete -----
say "checking the outputs"
cd "$WORK"
"$MIGRATE" diff --from "$A" --to "$B" > "$IN/migrate.sql"
psql -q1 -v ON_ERROR_STOP=1 -d schema_applied -f "$IN/a.sql"
psql -q1 -v ON_ERROR_STOP=1 -d schema_applied -f "$IN/migrate.sql"
LEFT="$("$MIGRATE" diff --from "$APPLIED" --to "$B")"
[[ -z "$LEFT" ]] || die "migrate's script leaves differences: $LEFT"
[[ -z "$("$MIGRATE" diff --from "$A" --to "$A")" ]] || die "A differs from itself"
"$MIGRA" "$A" "$B" --unsafe > "$IN/migra.sql" || true   # exits 2 when they differ
ALEMBIC_DIFFS="$("$PY" "$BENCH/schema_pg_alembic.py" "$A" "$IN")"
printf 'migrate: %s statements; migra: %s statements; alembic: %s differences (no views)\n' \
  "$(grep -c ';$' "$IN/migrate.sql")" "$(grep -c ';$' "$IN/migra.sql")" "$ALEMBIC_DIFFS" >&2

# --- timing --------------------------------------------------------------
BASELINE=()
if [[ -n "${MIGRATE_BENCH_BASELINE_BIN:-}" ]]; then
  BASE="$MIGRATE_BENCH_BASELINE_BIN"
  "$BASE" diff --from "$A" --to "$B" | cmp -s - "$IN/migrate.sql" ||
    say "note: the baseline's script differs from migrate's"
  BASELINE=(-n "baseline diff A B" "$BASE diff --from $A --to $B"
            -n "baseline diff A A" "$BASE diff --from $A --to $A")
fi
say "timing (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
hyperfine "${RUNS[@]}" -N --export-json "$RESULTS/schema-pg.json" \
  -n "migrate diff A B" "$MIGRATE diff --from $A --to $B" \
  -n "migrate diff A A" "$MIGRATE diff --from $A --to $A" \
  "${BASELINE[@]}" \
  -n "alembic compare_metadata" "$PY $BENCH/schema_pg_alembic.py $A $IN" \
  -n "migra" -i "$MIGRA $A $B --unsafe" >&2

"$PY" - "$RESULTS/schema-pg.json" "$N" <<'PYEOF'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
base = next(r for r in res if r["command"] == "migrate diff A B")["mean"]
print("\n%s tables; load after: %s\n" % (sys.argv[2], open("/proc/loadavg").read().split()[:3]))
print("| tool | mean | σ | vs `migrate diff A B` |")
print("| --- | ---: | ---: | ---: |")
for r in res:
    print("| %s | %.0f ms | %.0f ms | %.1f× |" % (r["command"], r["mean"] * 1000,
                                             r["stddev"] * 1000, r["mean"] / base))
PYEOF
