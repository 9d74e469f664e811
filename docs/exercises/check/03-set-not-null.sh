#!/usr/bin/env bash
# Exercise 03 (03-set-not-null.md): todos.due_date becomes NOT NULL (a week
# after created_at where it was missing) while the old application, which
# writes NULL, and the new one both run. Run it in the exercise's directory,
# with DATABASE_URL set (source env.sh).
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_database_url

expect_column todos due_date date "NOT NULL"
expect_no_window todos
# The helper CHECK (due_date IS NOT NULL) is gone once SET NOT NULL holds.
n=$(pg "SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.todos'::regclass AND contype = 'c'
          AND pg_get_constraintdef(oid) LIKE '%due_date IS NOT NULL%'")
[[ "$n" == 0 ]] || problem "todos still has a CHECK (due_date IS NOT NULL): the contract did not finish"
expect_apps v1 v2
# Every seed row without a due date got created_at + 7 days; every
# acknowledged write is there (v2's dates as written, v1's rows filled).
expect_acks todos "t.due_date"

verdict "todos.due_date is NOT NULL; both app versions ran without an error; missing dates were filled and every acknowledged write is there"
