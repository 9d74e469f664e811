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

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -x "$d/pg_basebackup" ]] || { echo "pg-standby: no PostgreSQL server installed" >&2; exit 1; }
  echo "$d"
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

case "${1:-}" in
  start)
    : "${MIGRATE_TEST_PG_PORT:?start the server first (scripts/pg-server.sh start)}"
    : "${MIGRATE_TEST_PG_PASSWORD:?start the server first (scripts/pg-server.sh start)}"
    : "${MIGRATE_TEST_PG_URL:?start the server first (scripts/pg-server.sh start)}"
    bin=$(pg_bin)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/migrate-standby.XXXXXX")
    chmod 755 "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
    PGPASSWORD="$MIGRATE_TEST_PG_PASSWORD" as_owner "$bin/pg_basebackup" -h 127.0.0.1 \
      -p "$MIGRATE_TEST_PG_PORT" -U postgres -D "$dir/data" -R -X stream -c fast --no-sync \
      >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; rm -rf "$dir"; exit 1; }
    port=$(free_port)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c hot_standby=on -c fsync=off -c max_connections=200" \
      start >"$dir/pg_ctl.log" 2>&1 || { cat "$dir/pg_ctl.log" "$dir/server.log" >&2; rm -rf "$dir"; exit 1; }
    # Streaming when the primary lists it (at most 30 s).
    for _ in $(seq 1 300); do
      n=$(psql -X -At "$MIGRATE_TEST_PG_URL" -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" 2>/dev/null || echo 0)
      [[ "$n" != "0" ]] && break
      sleep 0.1
    done
    echo "export MIGRATE_TEST_PG_STANDBY_DIR='$dir'"
    echo "export MIGRATE_TEST_PG_STANDBY_URL='postgresql://postgres:$MIGRATE_TEST_PG_PASSWORD@127.0.0.1:$port/postgres'"
    ;;
  stop)
    dir="${2:?usage: pg-standby.sh stop DIR}"
    bin=$(pg_bin)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
