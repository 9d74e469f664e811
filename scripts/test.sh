#!/usr/bin/env bash
# THE test command: installs what it needs, then
#  1. the Release build (-Werror): starts a private PostgreSQL server, a
#     PgBouncer in transaction mode in front of it, a streaming standby
#     of it and a second server (another cluster), runs every test (unit, end-to-end on real SQLite files, the
#     real server, through the pooler and against the standby, the Alembic
#     differential oracle, the docs' console blocks), then stops them;
#  2. the fuzz targets (tests/fuzz/, clang, libFuzzer + ASan + UBSan) in
#     $BUILD_DIR-fuzz, each for MIGRATE_TEST_FUZZ_RUNS inputs (default
#     20000) from its committed seeds with a fixed random seed
#     (scripts/fuzz.sh --runs): nearly the same inputs on every machine,
#     so the result is the commit's, not the run's luck (campaigns that
#     look for new findings are scripts/fuzz.sh SECONDS, by hand);
#  3. the sanitizer build (ASan + UBSan, Debug, -Werror) in $BUILD_DIR-sanitize:
#     runs the unit and the SQLite end-to-end tests under it (ctest labels
#     `unit` and `e2e-sqlite`; tests/CMakeLists.txt). Any sanitizer report
#     fails the test that caused it (util/sanitizer.h).
# Fails when the server cannot start or when a run finds no test.
# Arguments go to the Release run's ctest (e.g. -R graph).
# MIGRATE_TEST_SANITIZE=0 skips step 3 (a quicker run by hand; CI runs all).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh --test

BUILD_DIR=${BUILD_DIR:-build}
SANITIZE_DIR=${BUILD_DIR%/}-sanitize
JOBS=$(nproc)

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DMIGRATE_WERROR=ON >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS"

(
  eval "$(scripts/pg-server.sh start)"
  trap 'scripts/pg-server.sh stop "$MIGRATE_TEST_PG_DIR"' EXIT
  eval "$(scripts/pgbouncer.sh start)"
  trap 'scripts/pgbouncer.sh stop "$MIGRATE_TEST_PGBOUNCER_DIR"; scripts/pg-server.sh stop "$MIGRATE_TEST_PG_DIR"' EXIT
  eval "$(scripts/pg-standby.sh start)"
  trap 'scripts/pg-standby.sh stop "$MIGRATE_TEST_PG_STANDBY_DIR"; scripts/pgbouncer.sh stop "$MIGRATE_TEST_PGBOUNCER_DIR"; scripts/pg-server.sh stop "$MIGRATE_TEST_PG_DIR"' EXIT
  # A second cluster, for the tests that run one project on two servers.
  eval "$(scripts/pg-server.sh start MIGRATE_TEST_PG2)"
  trap 'scripts/pg-server.sh stop "$MIGRATE_TEST_PG2_DIR"; scripts/pg-standby.sh stop "$MIGRATE_TEST_PG_STANDBY_DIR"; scripts/pgbouncer.sh stop "$MIGRATE_TEST_PGBOUNCER_DIR"; scripts/pg-server.sh stop "$MIGRATE_TEST_PG_DIR"' EXIT
  echo "PostgreSQL test server: ${MIGRATE_TEST_PG_URL//:$MIGRATE_TEST_PG_PASSWORD@/:***@}"
  echo "PgBouncer (transaction mode) in front of it: ${MIGRATE_TEST_PGBOUNCER_URL//:$MIGRATE_TEST_PG_PASSWORD@/:***@}"
  # --no-tests=error: a run that found no test fails instead of passing.
  ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error -j"$JOBS" "$@"
)

FUZZ_RUNS=${MIGRATE_TEST_FUZZ_RUNS:-20000}
echo "Fuzz targets in ${BUILD_DIR%/}-fuzz: $FUZZ_RUNS inputs each, fixed seed"
FUZZ_BUILD_DIR=${BUILD_DIR%/}-fuzz scripts/fuzz.sh --runs "$FUZZ_RUNS"

if [[ "${MIGRATE_TEST_SANITIZE:-1}" == "0" ]]; then
  echo "MIGRATE_TEST_SANITIZE=0: the sanitizer build and run are skipped"
  exit 0
fi
echo "Sanitizer build (ASan + UBSan) in $SANITIZE_DIR: unit and SQLite end-to-end tests"
cmake -S . -B "$SANITIZE_DIR" -DCMAKE_BUILD_TYPE=Debug -DMIGRATE_SANITIZE=ON \
  -DMIGRATE_WERROR=ON >/dev/null
cmake --build "$SANITIZE_DIR" -j"$JOBS"
ctest --test-dir "$SANITIZE_DIR" --output-on-failure --no-tests=error -j"$JOBS" \
  -L '^(unit|e2e-sqlite)$'
# The builds' size, for the record: CI's disk is finite (the sanitizer build
# links the core as a shared library so that it stays a few GB).
du -sh "$BUILD_DIR" "${BUILD_DIR%/}-fuzz" "$SANITIZE_DIR" 2>/dev/null || true
