#!/usr/bin/env bash
# Exercise 04 (04-delete-without-where.md): the revision `purge` removes
# the expired sessions, and only those, and is guarded so that it cannot
# remove more. Run it in the exercise's directory (SQLite: ./app.db; on
# PostgreSQL, setup.sh 04pg: DATABASE_URL).
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
migrate=${MIGRATE:-migrate}

if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  q() { pg "$1"; }
else
  db=app.db
  [[ -f $db ]] || { echo "FAIL: no $db here: run the check in the exercise's directory"; exit 1; }
  q() { sqlite3 -batch "$db" "$1"; }
fi

# setup.sh made 50,000 sessions, 5,000 of them expired since 2020.
version=$(q "SELECT version_num FROM migrate_version ORDER BY version_num" | paste -sd,)
[[ "$version" == purge ]] || problem "the database is at '$version', not at the revision purge"
expired=$(q "SELECT count(*) FROM user_sessions WHERE expires_at < CURRENT_TIMESTAMP")
valid=$(q "SELECT count(*) FROM user_sessions WHERE expires_at >= CURRENT_TIMESTAMP")
[[ "$expired" == 0 ]] || problem "$expired expired sessions are still there"
if [[ "$valid" != 45000 ]]; then
  problem "$((45000 - valid)) of the 45000 sessions that had not expired are gone: those users were logged out"
fi

file=$(find migrations/versions -name 'purge_*.sql' 2>/dev/null | head -n1)
if [[ -z "$file" ]]; then
  problem "no revision file migrations/versions/purge_*.sql"
else
  # A guard that would have stopped the forgotten WHERE.
  grep -Eq '^-- (max_rows_affected: [0-9]+|migrate:expect-rows (<= ?)?[0-9]+)' "$file" ||
    problem "$file has no row guard (max_rows_affected, or expect-rows with a bound)"
  # Lint clean, without acknowledging a full-table DELETE.
  grep -Eq '^-- migrate:(expect-rows any|lint-ignore)' "$file" &&
    problem "$file acknowledges a full-table statement or silences the linter"
  out=$("$migrate" lint "$file" 2>&1) ||
    problem "migrate lint $file: $(grep -m1 -E 'error' <<<"$out" || head -n1 <<<"$out")"
fi
grep -Eq '^lint_on_upgrade: *off' migrate.yaml &&
  problem "migrate.yaml still turns the upgrade gate off (lint_on_upgrade: off)"

verdict "the expired sessions are gone, the 45000 others are there, and the purge revision is lint clean and guarded"
