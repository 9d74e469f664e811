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

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in
  start)
    prefix="${2:-MIGRATE_TEST_PG}"
    [[ "$prefix" =~ ^[A-Z_][A-Z0-9_]*$ ]] || { echo "pg-server: bad variable prefix '$prefix'" >&2; exit 2; }
    bin=$(pg_bin)
    dir=$(private_dir pg)
    password="test-secret-$RANDOM$RANDOM"
    printf '%s\n' "$password" > "$dir/pwfile"
    give_to_owner "$dir/pwfile"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(free_port)
    pg_ctl_start "$bin" "$dir" "$port" \
      "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      || exit 1
    echo "export ${prefix}_DIR='$dir'"
    echo "export ${prefix}_URL='postgresql://postgres:$password@127.0.0.1:$port/postgres'"
    echo "export ${prefix}_PORT='$port'"
    echo "export ${prefix}_PASSWORD='$password'"
    ;;
  stop)
    pg_ctl_stop_and_remove "${2:?usage: pg-server.sh stop DIR}"
    ;;
  *)
    echo "usage: $0 start [VARIABLE_PREFIX] | stop DIR" >&2
    exit 2
    ;;
esac
