#!/usr/bin/env bash
# Starts a streaming standby of the test server that scripts/pg-server.sh
# started: pg_basebackup -R (over TCP, with the server's password, which
# initdb's pg_hba.conf allows for replication from 127.0.0.1) into a temp
# dir, then the standby on a free port (as the postgres user when we are
# root; max_connections as on the primary, which a standby needs at least),
# and waits until the primary lists it in pg_stat_replication.
# The standby streams through a physical replication slot (pg_basebackup -C
# -S): without one the primary recycles WAL the standby has not received yet
# (every CREATE DATABASE of the suite writes the whole template to WAL), a
# standby that fell that far behind can never reconnect, and the tests that
# watch its lag then see no standby at all. `stop` drops the slot.
#
#   eval "$(scripts/pg-server.sh start)"
#   eval "$(scripts/pg-standby.sh start)"   # exports MIGRATE_TEST_PG_STANDBY_URL, _DIR
#   scripts/pg-standby.sh stop "$MIGRATE_TEST_PG_STANDBY_DIR"
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Streaming when the primary lists it in pg_stat_replication.
streaming() {
  local n
  n=$(psql -X -At "$MIGRATE_TEST_PG_URL" -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" 2>/dev/null || echo 0)
  [[ "$n" != "0" ]]
}

# Drops replication slot $2 on the server at URL $1; succeeds when the slot
# is gone, or the server is (then there is nothing to keep).
drop_slot() {
  local left
  left=$(psql -X -q -At "$1" -c "SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE slot_name = '$2' AND NOT active; SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$2'" 2>/dev/null | tail -1) || return 0
  [[ "$left" == "0" || -z "$left" ]]
}

case "${1:-}" in
  start)
    : "${MIGRATE_TEST_PG_PORT:?start the server first (scripts/pg-server.sh start)}"
    : "${MIGRATE_TEST_PG_PASSWORD:?start the server first (scripts/pg-server.sh start)}"
    : "${MIGRATE_TEST_PG_URL:?start the server first (scripts/pg-server.sh start)}"
    bin=$(pg_bin pg_basebackup)
    dir=$(private_dir standby)
    slot="migrate_standby_${dir##*.}"
    slot="${slot,,}"  # slot names are lower case
    PGPASSWORD="$MIGRATE_TEST_PG_PASSWORD" as_owner "$bin/pg_basebackup" -h 127.0.0.1 \
      -p "$MIGRATE_TEST_PG_PORT" -U postgres -D "$dir/data" -R -X stream -c fast --no-sync \
      -C -S "$slot" >"$dir/basebackup.log" 2>&1 ||
      { cat "$dir/basebackup.log" >&2; drop_slot "$MIGRATE_TEST_PG_URL" "$slot"; rm -rf "$dir"; exit 1; }
    (umask 077 && printf '%s\n%s\n' "$slot" "$MIGRATE_TEST_PG_URL" >"$dir/slot")
    port=$(free_port)
    pg_ctl_start "$bin" "$dir" "$port" "-c hot_standby=on -c fsync=off -c max_connections=200" \
      || { drop_slot "$MIGRATE_TEST_PG_URL" "$slot"; rm -rf "$dir"; exit 1; }
    wait_for 300 streaming   # at most 30 s
    echo "export MIGRATE_TEST_PG_STANDBY_DIR='$dir'"
    echo "export MIGRATE_TEST_PG_STANDBY_URL='postgresql://postgres:$MIGRATE_TEST_PG_PASSWORD@127.0.0.1:$port/postgres'"
    ;;
  stop)
    dir="${2:?usage: pg-standby.sh stop DIR}"
    slot_file=""
    [[ -f "$dir/slot" ]] && slot_file=$(cat "$dir/slot")
    pg_ctl_stop_and_remove "$dir"
    # After the standby is gone (an active slot cannot be dropped); the
    # primary may be stopped already: then there is nothing to keep.
    if [[ -n "$slot_file" ]]; then
      # (its walsender may outlive it for a moment: at most 5 s)
      wait_for 50 drop_slot "$(sed -n 2p <<<"$slot_file")" "$(sed -n 1p <<<"$slot_file")" || true
    fi
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
