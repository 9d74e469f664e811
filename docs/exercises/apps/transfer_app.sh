#!/usr/bin/env bash
# Exercise 02's application: the money-transfer service writing transfers.
# v1 knows transfers.amount (integer cents), v2 knows
# transfers.amount_decimal (numeric(12,2), in currency units). Each version
# books transfers (ids 100000+ for v1, 200000+ for v2), reads them back,
# corrects some amounts, deletes some, and corrects seed transfers (odd ids
# for v1, even ids for v2). See lib.sh.
#
#   transfer_app.sh start|stop v1|v2
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Cents as a decimal: 1017 -> 10.17.
units() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); }

app_op() {
  local v=$1 i=$2 base seed
  if [[ $v == v1 ]]; then base=100000 seed=$(((2 * i - 1) % 5000)); else
    base=200000 seed=$(((2 * i) % 5000 + 2)); fi
  local id=$((base + i)) cents=$((1000 + i)) from=$((1 + i % 100)) to=$((1 + (i + 1) % 100))
  local amount
  if [[ $v == v1 ]]; then amount=$cents col=amount; else amount=$(units "$cents") col=amount_decimal; fi
  echo "INSERT INTO transfers (id, from_account_id, to_account_id, $col, status)" \
    "VALUES ($id, $from, $to, $amount, 'pending');"
  ack transfers "$id" "$(units "$cents")"
  echo "SELECT $col FROM transfers WHERE id = $id;"
  if ((i % 2 == 0)); then
    # A correction of the previous transfer: 50 cents more.
    if [[ $v == v1 ]]; then amount=50; else amount=0.50; fi
    echo "UPDATE transfers SET $col = $col + $amount, status = 'completed' WHERE id = $((id - 1));"
    ack transfers "$((id - 1))" "$(units $((cents - 1 + 50)))"
  fi
  if ((i % 5 == 0)); then
    echo "DELETE FROM transfers WHERE id = $((id - 2));"
    ack transfers "$((id - 2))" "<deleted>"
  fi
  if ((i % 3 == 0)); then
    if [[ $v == v1 ]]; then amount=777; else amount=7.77; fi
    echo "UPDATE transfers SET $col = $amount WHERE id = $seed;"
    ack transfers "$seed" "7.77"
  fi
}

app_main "$@"
