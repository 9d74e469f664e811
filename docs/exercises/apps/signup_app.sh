#!/usr/bin/env bash
# Exercise 01's application: sign-ups and profile edits of the CRUD app's
# users. v1 knows users.display_name, v2 knows users.full_name. Each
# version inserts users (ids 100000+ for v1, 200000+ for v2), reads them
# back, renames some, deletes some, and edits seed users (odd ids for v1,
# even ids for v2, so every row has one writer). See lib.sh.
#
#   signup_app.sh start|stop v1|v2
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

app_op() {
  local v=$1 i=$2 col base seed
  if [[ $v == v1 ]]; then col=display_name base=100000 seed=$(((2 * i - 1) % 5000)); else
    col=full_name base=200000 seed=$(((2 * i) % 5000 + 2)); fi
  local id=$((base + i)) name="${v^^} user $i"
  echo "INSERT INTO users (id, email, $col) VALUES ($id, '$v-$i@example.com', '$name');"
  ack users "$id" "$name"
  echo "SELECT $col FROM users WHERE id = $id;"
  if ((i % 2 == 0)); then
    local edited="${v^^} user $((i - 1)) edited"
    echo "UPDATE users SET $col = '$edited' WHERE id = $((id - 1));"
    ack users "$((id - 1))" "$edited"
  fi
  if ((i % 5 == 0)); then
    echo "DELETE FROM users WHERE id = $((id - 2));"
    ack users "$((id - 2))" "<deleted>"
  fi
  if ((i % 3 == 0)); then
    echo "UPDATE users SET $col = 'Seed $seed by $v' WHERE id = $seed;"
    ack users "$seed" "Seed $seed by $v"
  fi
}

app_main "$@"
