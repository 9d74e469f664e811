#!/usr/bin/env bash
# Starts a private PostgreSQL server for the tests: initdb in a temp dir (as
# the postgres user when we are root: initdb and postgres refuse to run as
# root), a free port on 127.0.0.1, password authentication over TCP.
#
#   eval "$(scripts/pg-server.sh start)"   # exports MIGRATE_TEST_PG_URL, MIGRATE_TEST_PG_DIR
#   scripts/pg-server.sh stop "$MIGRATE_TEST_PG_DIR"
#
# `start PREFIX` names the variables PREFIX_URL, PREFIX_DIR, ... instead: a
# second server (a second cluster, for the many-databases tests) is
#   eval "$(scripts/pg-server.sh start MIGRATE_TEST_PG2)"
set -euo pipefail

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -x "$d/initdb" ]] || { echo "pg-server: no PostgreSQL server installed (apt-get install postgresql)" >&2; exit 1; }
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
    prefix="${2:-MIGRATE_TEST_PG}"
    [[ "$prefix" =~ ^[A-Z_][A-Z0-9_]*$ ]] || { echo "pg-server: bad variable prefix '$prefix'" >&2; exit 2; }
    bin=$(pg_bin)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/migrate-pg.XXXXXX")
    chmod 755 "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
    password="test-secret-$RANDOM$RANDOM"
    printf '%s\n' "$password" > "$dir/pwfile"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir/pwfile"; fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(free_port)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >"$dir/pg_ctl.log" 2>&1 || { cat "$dir/pg_ctl.log" "$dir/server.log" >&2; exit 1; }
    echo "export ${prefix}_DIR='$dir'"
    echo "export ${prefix}_URL='postgresql://postgres:$password@127.0.0.1:$port/postgres'"
    echo "export ${prefix}_PORT='$port'"
    echo "export ${prefix}_PASSWORD='$password'"
    ;;
  stop)
    dir="${2:?usage: pg-server.sh stop DIR}"
    bin=$(pg_bin)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start [VARIABLE_PREFIX] | stop DIR" >&2
    exit 2
    ;;
esac
