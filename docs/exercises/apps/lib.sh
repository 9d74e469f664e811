# shellcheck shell=bash
# The "application" of the exercises: one psql session per app version that
# writes to the database in a loop, as a web app's connection would, until
# it is told to stop. Sourced by the app scripts (signup_app.sh, ...), which
# define `app_op VERSION I`: the SQL of the I-th operation of that version,
# each statement followed by the ack line it earns:
#
#   \echo ack|TABLE|ID|VALUE     VALUE: what the row must hold once the change
#                                is done (<deleted>: the row must be gone;
#                                <not null>: any value but NULL)
#
# psql runs with ON_ERROR_STOP=1, so an ack is printed only once its
# statement has succeeded (acknowledged writes), and the first failing
# statement ends the app: what the old application sees when a migration
# breaks it. Logs in ./app-logs/: VERSION.out (psql's output, the acks),
# VERSION.err (the error, if any), VERSION.pid, VERSION.stop.
#
#   APP.sh start VERSION   start in the background; returns once the app has
#                          made its first write (or failed)
#   APP.sh stop VERSION    let it make 20 more writes (waiting 60 s at most),
#                          stop it, and report:
#                          exit 0 when no statement failed, else 1
# DATABASE_URL must name the PostgreSQL database (see setup.sh).

APP_LOGS=${APP_LOGS:-app-logs}

# The ack line of a write: ack TABLE ID VALUE.
ack() { printf '\\echo ack|%s|%s|%s\n' "$1" "$2" "$3"; }

app_acks() { grep -c '^ack|' "$APP_LOGS/$1.out" 2>/dev/null || true; }

# The first error of a stopped app, without psql's "psql:<stdin>:LINE: ".
app_error() {
  { grep -m1 -E 'ERROR|FATAL' "$APP_LOGS/$1.err" || head -n1 "$APP_LOGS/$1.err"; } |
    sed -E 's/^psql:[^:]*:[0-9]+: //'
}

app_alive() { [[ -f "$APP_LOGS/$1.pid" ]] && kill -0 "$(cat "$APP_LOGS/$1.pid")" 2>/dev/null; }

# The loop: operations until the stop file appears, fed to one psql session.
app_run() {
  local version=$1 i=0
  while [[ ! -e "$APP_LOGS/$version.stop" ]]; do
    i=$((i + 1))
    app_op "$version" "$i"
    sleep 0.02
  done
}

app_start() {
  local version=$1
  : "${DATABASE_URL:?set DATABASE_URL (source the env.sh that setup.sh wrote)}"
  mkdir -p "$APP_LOGS"
  rm -f "$APP_LOGS/$version".{out,err,log,stop,pid,status}
  (
    set -o pipefail
    app_run "$version" | psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" \
      >"$APP_LOGS/$version.out" 2>"$APP_LOGS/$version.err"
    echo $? >"$APP_LOGS/$version.status"
  ) >"$APP_LOGS/$version.log" 2>&1 &
  echo $! >"$APP_LOGS/$version.pid"
  local waited=0
  while [[ $(app_acks "$version") -lt 1 ]] && app_alive "$version"; do
    sleep 0.05
    waited=$((waited + 1))
    if [[ $waited -gt 600 ]]; then
      echo "$version: no write acknowledged after 30 s" >&2
      return 1
    fi
  done
  if [[ $(app_acks "$version") -lt 1 ]]; then
    echo "$version: FAILED: $(app_error "$version")"
    return 1
  fi
  echo "$version: started, writing"
}

app_stop() {
  local version=$1
  [[ -f "$APP_LOGS/$version.pid" ]] || { echo "$version: not started" >&2; return 1; }
  local target=$(($(app_acks "$version") + 20)) waited=0
  # (At most 60 s: an app that makes no progress is stopped all the same.)
  while [[ $(app_acks "$version") -lt $target ]] && app_alive "$version" && [[ $waited -lt 1200 ]]; do
    sleep 0.05
    waited=$((waited + 1))
  done
  touch "$APP_LOGS/$version.stop"
  while app_alive "$version"; do sleep 0.05; done
  if [[ -s "$APP_LOGS/$version.err" ]]; then
    echo "$version: FAILED: $(app_error "$version")"
    return 1
  fi
  echo "$version: stopped; every statement succeeded"
}

app_main() {
  case "${1:-}:${2:-}" in
    start:v1 | start:v2) app_start "$2" ;;
    stop:v1 | stop:v2) app_stop "$2" ;;
    *)
      echo "usage: $0 start|stop v1|v2" >&2
      return 2
      ;;
  esac
}
