#!/usr/bin/env bash
# Prepares an exercise (docs/exercises/README.md): a fresh copy of
# sample_project/ in DIR, its database created and upgraded to the heads,
# and the rows the exercise starts from.
#
#   docs/exercises/setup.sh NN DIR      NN: 01, 02, 03 (PostgreSQL), 04 (SQLite),
#                                       04pg (exercise 4 on PostgreSQL)
#
# PostgreSQL exercises create the database $COURSE_DB (default course_NN) on
# the server of $COURSE_PG_URL (any database URL of a role that may create
# databases; default $MIGRATE_TEST_PG_URL, which scripts/pg-server.sh start
# exports), dropping an older one of that name. DIR/env.sh exports
# DATABASE_URL for the exercise and EX (this folder): `source env.sh` in DIR. `migrate` is
# $MIGRATE, else the one on PATH.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
migrate=${MIGRATE:-migrate}

nn=${1:-}
dir=${2:-}
if [[ ! "$nn" =~ ^(0[1-4]|04pg)$ || -z "$dir" ]]; then
  echo "usage: $0 NN DIR   (NN: 01..04, 04pg)" >&2
  exit 2
fi
if [[ -e "$dir" && -n "$(ls -A "$dir")" ]]; then
  echo "setup: $dir is not empty" >&2
  exit 1
fi
mkdir -p "$dir"
cp -R "$repo/sample_project/." "$dir/"
rm -f "$dir/app.db"
dir=$(cd "$dir" && pwd)

if [[ "$nn" == 04 ]]; then
  printf "export DATABASE_URL='sqlite:///app.db'\nexport EX='%s'\n" "$here" >"$dir/env.sh"
  export DATABASE_URL='sqlite:///app.db'
else
  admin=${COURSE_PG_URL:-${MIGRATE_TEST_PG_URL:-}}
  if [[ -z "$admin" ]]; then
    echo "setup: set COURSE_PG_URL to a PostgreSQL URL that may create databases, or start" >&2
    echo "  a private server: eval \"\$(scripts/pg-server.sh start)\"" >&2
    exit 1
  fi
  db=${COURSE_DB:-course_$nn}
  psql -X -q -v ON_ERROR_STOP=1 "$admin" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
    -c "CREATE DATABASE $db" 2>&1 | { grep -v 'does not exist, skipping' || true; }
  # The same server, another database: replace the path of the URL.
  base=${admin%%\?*}
  query=${admin#"$base"}
  url="${base%/*}/$db$query"
  printf "export DATABASE_URL='%s'\nexport EX='%s'\n" "$url" "$here" >"$dir/env.sh"
  export DATABASE_URL=$url
fi

cd "$dir"
"$migrate" upgrade heads >/dev/null
mkdir -p app-logs

# The rows the exercise starts from. seed.out holds an ack line per row the
# check script compares (see apps/lib.sh).
case "$nn" in
  01)
    psql -X -q -At -v ON_ERROR_STOP=1 "$DATABASE_URL" >app-logs/seed.out <<'SQL'
INSERT INTO users (id, email, display_name)
SELECT g, 'user' || g || '@example.com', 'User ' || g FROM generate_series(1, 5000) g;
SELECT 'ack|users|' || id || '|' || display_name FROM users ORDER BY id;
SQL
    ;;
  02)
    psql -X -q -At -v ON_ERROR_STOP=1 "$DATABASE_URL" >app-logs/seed.out <<'SQL'
INSERT INTO users (id, email, display_name)
SELECT g, 'user' || g || '@example.com', 'User ' || g FROM generate_series(1, 100) g;
INSERT INTO accounts (id, user_id, balance) SELECT g, g, 1000000 FROM generate_series(1, 100) g;
INSERT INTO transfers (id, from_account_id, to_account_id, amount, status)
SELECT g, 1 + g % 100, 1 + (g + 1) % 100, 100 + g, 'completed' FROM generate_series(1, 5000) g;
SELECT 'ack|transfers|' || id || '|' || to_char(amount / 100.0, 'FM9999999990.00')
  FROM transfers ORDER BY id;
SQL
    ;;
  03)
    psql -X -q -At -v ON_ERROR_STOP=1 "$DATABASE_URL" >app-logs/seed.out <<'SQL'
INSERT INTO users (id, email, display_name)
SELECT g, 'user' || g || '@example.com', 'User ' || g FROM generate_series(1, 100) g;
INSERT INTO todos (id, user_id, title, created_at, due_date)
SELECT g, 1 + g % 100, 'Todo ' || g, timestamp '2026-11-01' + g * interval '1 minute',
       CASE WHEN g % 3 = 0 THEN date '2026-12-24' END
  FROM generate_series(1, 5000) g;
SELECT 'ack|todos|' || id || '|' || coalesce(due_date, (created_at + interval '7 days')::date)
  FROM todos ORDER BY id;
SQL
    ;;
  04)
    sqlite3 app.db <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
INSERT INTO users (id, email, display_name) SELECT i, 'user' || i || '@example.com', 'User ' || i FROM n;
INSERT INTO user_sessions (id, user_id, token_hash, created_at, expires_at)
SELECT id, id, printf('%064d', id), '2019-12-01 08:00:00',
       CASE WHEN id % 10 = 0 THEN '2020-01-01 00:00:00' ELSE '2099-12-31 00:00:00' END
  FROM users;
SQL
    ;;
  04pg)
    psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" <<'SQL'
INSERT INTO users (id, email, display_name)
SELECT g, 'user' || g || '@example.com', 'User ' || g FROM generate_series(1, 50000) g;
INSERT INTO user_sessions (id, user_id, token_hash, created_at, expires_at)
SELECT id, id, lpad(id::text, 64, '0'), timestamp '2019-12-01 08:00:00',
       CASE WHEN id % 10 = 0 THEN timestamp '2020-01-01' ELSE timestamp '2099-12-31' END
  FROM users;
SQL
    ;;
esac
echo "Exercise $nn is ready in $dir (database upgraded to its heads, rows loaded)."
echo "Next: cd $dir && source env.sh"
