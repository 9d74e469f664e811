#!/usr/bin/env bash
# THE test command: installs what it needs, builds, starts a private
# PostgreSQL server, runs every test (unit, end-to-end on real SQLite files
# and the real server, and the Alembic differential oracle), stops the server.
# Fails when the server cannot start or when no test ran.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh --test

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DMIGRATE_WERROR=ON >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"

eval "$(scripts/pg-server.sh start)"
trap 'scripts/pg-server.sh stop "$MIGRATE_TEST_PG_DIR"' EXIT
echo "PostgreSQL test server: ${MIGRATE_TEST_PG_URL//:$MIGRATE_TEST_PG_PASSWORD@/:***@}"

# --no-tests=error: a run that found no test fails instead of passing.
ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error -j"$(nproc)" "$@"
