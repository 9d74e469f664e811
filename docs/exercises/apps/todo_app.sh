#!/usr/bin/env bash
# Exercise 03's application: the CRUD app's todos. v1 never sets
# todos.due_date and clears it when a user removes a deadline; v2 always
# sets one (it needs todos.due_date NOT NULL). Each version adds todos (ids
# 100000+ for v1, 200000+ for v2), reads them, ticks some off, deletes some,
# and edits seed todos (odd ids for v1, even ids for v2). See lib.sh.
#
#   todo_app.sh start|stop v1|v2
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

app_op() {
  local v=$1 i=$2 base seed
  if [[ $v == v1 ]]; then base=100000 seed=$(((2 * i - 1) % 5000)); else
    base=200000 seed=$(((2 * i) % 5000 + 2)); fi
  local id=$((base + i)) user=$((1 + i % 100))
  if [[ $v == v1 ]]; then
    echo "INSERT INTO todos (id, user_id, title) VALUES ($id, $user, 'v1 todo $i');"
    ack todos "$id" "<not null>"
  else
    echo "INSERT INTO todos (id, user_id, title, due_date) VALUES ($id, $user, 'v2 todo $i', '2027-01-15');"
    ack todos "$id" "2027-01-15"
  fi
  echo "SELECT title, due_date FROM todos WHERE user_id = $user AND done = FALSE ORDER BY id LIMIT 5;"
  if ((i % 2 == 0)); then
    echo "UPDATE todos SET done = TRUE, updated_at = CURRENT_TIMESTAMP WHERE id = $((id - 1));"
  fi
  if ((i % 5 == 0)); then
    echo "DELETE FROM todos WHERE id = $((id - 2));"
    ack todos "$((id - 2))" "<deleted>"
  fi
  if ((i % 3 == 0)); then
    if [[ $v == v1 ]]; then
      # The user removes the deadline: v1 writes NULL.
      echo "UPDATE todos SET due_date = NULL WHERE id = $seed;"
      ack todos "$seed" "<not null>"
    else
      echo "UPDATE todos SET due_date = '2027-02-01' WHERE id = $seed;"
      ack todos "$seed" "2027-02-01"
    fi
  fi
}

app_main "$@"
