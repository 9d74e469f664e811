#!/usr/bin/env bash
# The crash-consistency suite at length (tests/e2e/crash_rounds.h):
#   scripts/crash-suite.sh [ROUNDS] [SEED]
# runs ROUNDS (default 100) rounds of SIGKILLs in upgrade, downgrade and
# stamp, and ROUNDS kills of a backfill, on SQLite and on PostgreSQL (a
# private server, scripts/pg-server.sh), from the Release build in
# $BUILD_DIR (default build; built here if needed). CI runs 6 of each.
# SEED replays a failed run (every failure prints its seed). Exits non-zero
# when an invariant breaks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUILD_DIR=${BUILD_DIR:-build}
export MIGRATE_CRASH_ROUNDS=${1:-100}
if [[ -n "${2:-}" ]]; then export MIGRATE_CRASH_SEED=$2; fi

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target migrate e2e_crash_sqlite_test e2e_pg_crash_test

"$BUILD_DIR/tests/e2e_crash_sqlite_test"
eval "$(scripts/pg-server.sh start)"
trap 'scripts/pg-server.sh stop "$MIGRATE_TEST_PG_DIR"' EXIT
"$BUILD_DIR/tests/e2e_pg_crash_test"
