# Sourced by the scripts that start private servers (pg-server.sh,
# pg-standby.sh, pgbouncer.sh) and by the benches (bench/common.sh, and
# bench/pg_pooler.sh): where PostgreSQL's programs are, running them as the
# postgres user when we are root (initdb, postgres and pgbouncer refuse
# root), free ports, private folders, and one EXIT trap for all that must be
# stopped. Defines functions only (and LIB_ROOT, the repository).

LIB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The bin dir of the newest installed PostgreSQL, which must hold $1
# (default initdb).
pg_bin() {
  local tool="${1:-initdb}" d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -x "$d/$tool" ]] || {
    echo "$(basename "$0" .sh): no PostgreSQL server installed (apt-get install postgresql)" >&2
    exit 1
  }
  echo "$d"
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Hands files to the postgres user when we are root (as_owner runs as it).
give_to_owner() {
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$@"; fi
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# A new folder migrate-$1.XXXXXX under $TMPDIR (default /tmp) that the
# server's user may write; prints its path.
private_dir() {
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/migrate-$1.XXXXXX")
  chmod 755 "$dir"
  give_to_owner "$dir"
  echo "$dir"
}

# pg_ctl start of the cluster in $2/data (bin dir $1) on 127.0.0.1, port $3,
# its socket and logs in $2, with the server options $4; waits until it
# accepts connections (at most 60 s). Prints pg_ctl's and the server's log
# and fails when it does not start.
pg_ctl_start() {
  local bin="$1" dir="$2" port="$3" options="$4"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $options" \
    start >"$dir/pg_ctl.log" 2>&1 || { cat "$dir/pg_ctl.log" "$dir/server.log" >&2; return 1; }
}

# Stops the cluster in $1/data at once (nothing in it is kept) and removes $1.
pg_ctl_stop_and_remove() {
  local dir="$1" bin
  bin=$(pg_bin pg_ctl)
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

# Runs "$@" every 0.1 s until it succeeds, at most $1 times (then goes on:
# what follows fails with the server's own words if it is not up).
wait_for() {
  local tries="$1"
  shift
  for _ in $(seq 1 "$tries"); do
    "$@" && return 0
    sleep 0.1
  done
  return 0
}

# on_exit CODE: CODE runs (eval) when the script exits, the last registered
# first, each whatever the others do.
LIB_ON_EXIT=()
on_exit() {
  LIB_ON_EXIT=("$1" "${LIB_ON_EXIT[@]}")
  trap lib_run_on_exit EXIT
}
lib_run_on_exit() {
  local code
  for code in "${LIB_ON_EXIT[@]}"; do eval "$code" || true; done
}

# A private PostgreSQL server (scripts/pg-server.sh; its data directory
# under $1, default $TMPDIR), stopped on exit. Sets MIGRATE_TEST_PG_* and
# exports libpq's PGHOST, PGPORT, PGUSER and PGPASSWORD, so that no tool
# gets the password on its command line.
start_private_pg() {
  local env
  env=$(TMPDIR="${1:-${TMPDIR:-/tmp}}" "$LIB_ROOT/scripts/pg-server.sh" start) || exit 1
  eval "$env"
  on_exit '"$LIB_ROOT/scripts/pg-server.sh" stop "$MIGRATE_TEST_PG_DIR"'
  export PGHOST=127.0.0.1 PGPORT="$MIGRATE_TEST_PG_PORT" PGUSER=postgres
  export PGPASSWORD="$MIGRATE_TEST_PG_PASSWORD"
}

# PgBouncer in front of it (scripts/pgbouncer.sh), stopped on exit (before
# the server). Sets MIGRATE_TEST_PGBOUNCER_URL and _DIR.
start_private_pgbouncer() {
  local env
  env=$("$LIB_ROOT/scripts/pgbouncer.sh" start) || exit 1
  eval "$env"
  on_exit '"$LIB_ROOT/scripts/pgbouncer.sh" stop "$MIGRATE_TEST_PGBOUNCER_DIR"'
}
