#!/usr/bin/env bash
# Starts a private PgBouncer in transaction pooling mode in front of the test
# server that scripts/pg-server.sh started (as the postgres user when we are
# root: pgbouncer refuses to run as root), on a free port on 127.0.0.1, with
# the server's password (SCRAM on both sides). Every database name goes to
# the same server, so a test's throwaway database is reachable through it.
#
#   eval "$(scripts/pg-server.sh start)"
#   eval "$(scripts/pgbouncer.sh start)"   # exports MIGRATE_TEST_PGBOUNCER_URL, _DIR
#   scripts/pgbouncer.sh stop "$MIGRATE_TEST_PGBOUNCER_DIR"
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

accepts() {
  /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 0.2).close()" 2>/dev/null
}

case "${1:-}" in
  start)
    : "${MIGRATE_TEST_PG_PORT:?start the server first (scripts/pg-server.sh start)}"
    : "${MIGRATE_TEST_PG_PASSWORD:?start the server first (scripts/pg-server.sh start)}"
    bin=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
    [[ -x "$bin" ]] || { echo "pgbouncer.sh: pgbouncer is not installed (apt-get install pgbouncer)" >&2; exit 1; }
    dir=$(private_dir pgbouncer)
    port=$(free_port)
    printf '"postgres" "%s"\n' "$MIGRATE_TEST_PG_PASSWORD" > "$dir/userlist.txt"
    chmod 600 "$dir/userlist.txt"
    # default_pool_size: enough server sessions for the concurrent runners
    # of the tests (each has its connection and its lease's renewer), far
    # below the server's max_connections (pg-server.sh: 200).
    cat > "$dir/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=$MIGRATE_TEST_PG_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 400
max_db_connections = 60
server_lifetime = 3600
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
EOF
    give_to_owner "$dir"
    as_owner "$bin" -d "$dir/pgbouncer.ini" >"$dir/start.log" 2>&1 \
      || { cat "$dir/start.log" "$dir/pgbouncer.log" >&2 2>/dev/null; exit 1; }
    wait_for 100 accepts "$port"   # up when it accepts a connection (at most 10 s)
    echo "export MIGRATE_TEST_PGBOUNCER_DIR='$dir'"
    echo "export MIGRATE_TEST_PGBOUNCER_URL='postgresql://postgres:$MIGRATE_TEST_PG_PASSWORD@127.0.0.1:$port/postgres'"
    ;;
  stop)
    dir="${2:?usage: pgbouncer.sh stop DIR}"
    if [[ -f "$dir/pgbouncer.pid" ]]; then
      pid=$(cat "$dir/pgbouncer.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
