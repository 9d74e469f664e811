#!/usr/bin/env bash
# Exercise 01 (01-rename-column.md): users.display_name is renamed to
# users.full_name while the old and the new application both write.
# Run it in the exercise's directory, with DATABASE_URL set (source env.sh).
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_database_url

# The schema: the new name, as the old column was; the old one gone, and the
# window (trigger, function) with it.
if expect_column users full_name "character varying(100)" "NOT NULL"; then
  columns_ok=1
else
  columns_ok=0
fi
expect_no_column users display_name
expect_no_window users
# Both application versions ran, and not one of their statements failed.
expect_apps v1 v2
# No write lost: every row the seed and the apps acknowledged holds its name.
if [[ $columns_ok == 1 ]]; then expect_acks users "t.full_name"; fi

verdict "users.display_name is users.full_name; both app versions ran without an error; every acknowledged write is there"
