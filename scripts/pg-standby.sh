#!/usr/bin/env bash
# Starts a streaming standby of the test server that scripts/pg-server.sh
# started: pg_basebackup -R (over TCP, with the server's password, which
# initdb's pg_hba.conf allows for replication from 127.0.0.1) into a temp
# dir, then the standby on a free port (as the postgres user when we are
# root; max_connections as on the primary, which a standby needs at least),
# and waits until the primary lists it in pg_stat_replication.
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

case "${1:-}" in
  start)
    : "${MIGRATE_TEST_PG_PORT:?start the server first (scripts/pg-server.sh start)}"
    : "${MIGRATE_TEST_PG_PASSWORD:?start the server first (scripts/pg-server.sh start)}"
    : "${MIGRATE_TEST_PG_URL:?start the server first (scripts/pg-server.sh start)}"
    bin=$(pg_bin pg_basebackup)
    dir=$(private_dir standby)
    PGPASSWORD="$MIGRATE_TEST_PG_PASSWORD" as_owner "$bin/pg_basebackup" -h 127.0.0.1 \
      -p "$MIGRATE_TEST_PG_PORT" -U postgres -D "$dir/data" -R -X stream -c fast --no-sync \
      >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; rm -rf "$dir"; exit 1; }
    port=$(free_port)
    pg_ctl_start "$bin" "$dir" "$port" "-c hot_standby=on -c fsync=off -c max_connections=200" \
      || { rm -rf "$dir"; exit 1; }
    wait_for 300 streaming   # at most 30 s
    echo "export MIGRATE_TEST_PG_STANDBY_DIR='$dir'"
    echo "export MIGRATE_TEST_PG_STANDBY_URL='postgresql://postgres:$MIGRATE_TEST_PG_PASSWORD@127.0.0.1:$port/postgres'"
    ;;
  stop)
    pg_ctl_stop_and_remove "${2:?usage: pg-standby.sh stop DIR}"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
