# shellcheck shell=bash
# Helpers of the check scripts: each check adds what is wrong with
# `problem`, and `verdict` prints "PASS: ..." (exit 0) or "FAIL: ..." with
# every problem found (exit 1). PostgreSQL checks read $DATABASE_URL with
# psql; the acks of the exercise's apps are in ./app-logs (apps/lib.sh).

PROBLEMS=()

problem() { PROBLEMS+=("$1"); }

verdict() {
  if [[ ${#PROBLEMS[@]} -eq 0 ]]; then
    echo "PASS: $1"
    exit 0
  fi
  echo "FAIL: ${#PROBLEMS[@]} problem(s):"
  printf '  - %s\n' "${PROBLEMS[@]}"
  exit 1
}

need_database_url() {
  if [[ -z "${DATABASE_URL:-}" ]]; then
    echo "FAIL: DATABASE_URL is not set (source the env.sh that setup.sh wrote)"
    exit 1
  fi
}

# One value of a query on the exercise's PostgreSQL database.
pg() { psql -X -q -At -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "$1"; }

# "type|nullable|default" of TABLE.COLUMN, or "" when there is no such column.
pg_column() {
  pg "SELECT format_type(a.atttypid, a.atttypmod) || '|' ||
             CASE WHEN a.attnotnull THEN 'NOT NULL' ELSE 'NULL' END || '|' ||
             coalesce(pg_get_expr(d.adbin, d.adrelid), '')
        FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = 'public.$1'::regclass AND a.attname = '$2' AND NOT a.attisdropped"
}

# expect_column TABLE COLUMN TYPE NULLABILITY: the column exists as said.
expect_column() {
  local got
  got=$(pg_column "$1" "$2")
  if [[ -z "$got" ]]; then
    problem "column $1.$2 does not exist"
  elif [[ "${got%|*}" != "$3|$4" ]]; then
    problem "column $1.$2 is ${got%|*}, expected $3|$4"
  else
    return 0
  fi
  return 1
}

expect_no_column() {
  [[ -z "$(pg_column "$1" "$2")" ]] || problem "column $1.$2 still exists"
}

# What the window left behind: the sync trigger and function of TABLE.
expect_no_window() {
  local n
  n=$(pg "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.$1'::regclass AND NOT tgisinternal")
  [[ "$n" == 0 ]] || problem "table $1 still has $n trigger(s): the contract did not run"
}

# A validated CHECK constraint on TABLE whose definition contains TEXT.
expect_check() {
  local n
  n=$(pg "SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.$1'::regclass
            AND contype = 'c' AND convalidated AND pg_get_constraintdef(oid) LIKE '%' || \$q\$$2\$q\$ || '%'")
  [[ "$n" -ge 1 ]] || problem "table $1 has no validated CHECK constraint with $2"
}

# expect_apps VERSION...: each app ran, wrote, and no statement of it failed.
expect_apps() {
  local v acks
  for v in "$@"; do
    if [[ ! -f "app-logs/$v.out" ]]; then
      problem "app $v never ran (app-logs/$v.out is missing)"
      continue
    fi
    acks=$(grep -c '^ack|' "app-logs/$v.out" || true)
    if [[ -s "app-logs/$v.err" ]]; then
      problem "app $v failed: $({ grep -m1 -E 'ERROR|FATAL' "app-logs/$v.err" || head -n1 "app-logs/$v.err"; } | sed -E 's/^psql:[^:]*:[0-9]+: //') (after $acks acknowledged writes)"
    elif [[ -f "app-logs/$v.pid" ]] && kill -0 "$(cat "app-logs/$v.pid")" 2>/dev/null; then
      problem "app $v is still running: stop it first"
    elif [[ "$acks" -lt 20 ]]; then
      problem "app $v made only $acks writes"
    fi
  done
}

# expect_acks TABLE EXPR: every acknowledged write of the seed and the apps
# is in the table: EXPR (an SQL expression over the row `t`, as text) equals
# the value the last ack of the row says (or the row is gone: <deleted>;
# or not NULL: <not null>). Lists the first rows that differ.
expect_acks() {
  local table=$1 expr=$2 acks bad
  acks=$(mktemp)
  local f
  for f in app-logs/seed.out app-logs/v1.out app-logs/v2.out; do
    [[ -f "$f" ]] || continue
    awk -F'|' -v src="$(basename "$f" .out)" -v tbl="$table" \
      '$1 == "ack" && $2 == tbl { print src "|" NR "|" $3 "|" $4 }' "$f" >>"$acks"
  done
  bad=$(psql -X -q -At -v ON_ERROR_STOP=1 "$DATABASE_URL" <<SQL
CREATE TEMP TABLE acks (src text, seq int, id bigint, val text);
\copy acks FROM '$acks' WITH (FORMAT text, DELIMITER '|')
WITH last AS (
  SELECT DISTINCT ON (id) id, val, src FROM acks ORDER BY id, src = 'seed', seq DESC
), cmp AS (
  SELECT l.*, t.id IS NOT NULL AS present, ($expr)::text AS got
    FROM last l LEFT JOIN public.$table t ON t.id = l.id
)
SELECT count(*) OVER () || '|' || src || '|' || id || '|' || val || '|' ||
       CASE WHEN NOT present THEN 'no row' ELSE coalesce(got, 'NULL') END
  FROM cmp
 WHERE CASE val WHEN '<deleted>' THEN present
                WHEN '<not null>' THEN NOT present OR got IS NULL
                ELSE NOT present OR got IS DISTINCT FROM val END
 ORDER BY id LIMIT 5;
SQL
  ) || bad="0|psql|0|$table|the acks could not be compared"
  rm -f "$acks"
  [[ -z "$bad" ]] && return 0
  local n src id want got
  while IFS='|' read -r n src id want got; do
    problem "$table row $id (written by $src): expected $want, found $got"
  done <<<"$bad"
  problem "$table: ${bad%%|*} acknowledged write(s) in all are not in the table as written"
}
