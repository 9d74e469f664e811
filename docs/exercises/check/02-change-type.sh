#!/usr/bin/env bash
# Exercise 02 (02-change-type.md): transfers.amount (integer cents) becomes
# transfers.amount_decimal numeric(12,2) (currency units) while the old and
# the new transfer service both write. Run it in the exercise's directory,
# with DATABASE_URL set (source env.sh).
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_database_url

if expect_column transfers amount_decimal "numeric(12,2)" "NOT NULL"; then
  expect_no_column transfers amount
  # What went with the old column: CHECK (amount > 0), for the new one.
  expect_check transfers "amount_decimal > "
  expect_no_window transfers
  expect_acks transfers "t.amount_decimal"
elif [[ "$(pg_column transfers amount)" == numeric* ]]; then
  # The one-step ALTER ... TYPE: compare the values where they ended up.
  expect_acks transfers "t.amount"
fi
expect_apps v1 v2

verdict "transfers.amount_decimal is numeric(12,2) with its CHECK; both service versions ran without an error; every acknowledged amount is there, in currency units"
