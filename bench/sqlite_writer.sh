# Sourced by the SQLite benches (backfill_sqlite.sh, expand_sqlite.sh), after
# common.sh and with W set: a background single-row writer (sqlite_writer.py)
# whose JSON result lands in $W/writer.json, stopped on exit; and timing.
WRITER_PID=""
cleanup() { [[ -n "$WRITER_PID" ]] && kill "$WRITER_PID" 2>/dev/null || true; }
trap cleanup EXIT
# start_writer N STATEMENT: on $W/app.db, then half a second to get going.
start_writer() {
  "$PY" "$BENCH/sqlite_writer.py" "$W/app.db" "$1" "$2" > "$W/writer.json" &
  WRITER_PID=$!
  sleep 0.5
}
stop_writer() { kill -TERM "$WRITER_PID"; wait "$WRITER_PID" || true; WRITER_PID=""; }
now() { date +%s.%N; }
elapsed() { printf '%.3f' "$(echo "$2 - $1" | bc)"; }
