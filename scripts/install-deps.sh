#!/usr/bin/env bash
# Installs the Debian packages migrate needs to build, test and benchmark.
# Skips apt entirely when everything is present, so it also works offline.
set -euo pipefail

BUILD_PKGS=(cmake g++ make pkg-config libcli11-dev libyaml-cpp-dev libsqlite3-dev libssl-dev
            libfmt-dev nlohmann-json3-dev catch2 libpqxx-dev libpg-query-dev libprotobuf-c-dev
            sqlite3)
# Installed always (the tests need them too). graphviz: at run time,
# `migrate graph|erd --format svg` runs its `dot` (every other format needs
# nothing); the tests render every DOT picture with it, and
# scripts/docs-pictures.sh draws docs/img/ with it.
RUNTIME_PKGS=(graphviz)
# jq: the pipeline examples of docs/ci-cd.md, which ctest docs/examples runs.
# clang and its runtimes (libFuzzer): the fuzz targets (scripts/fuzz.sh) only.
# pgbouncer: the tests through a pooler in transaction mode (scripts/pgbouncer.sh).
TEST_PKGS=(postgresql postgresql-client python3-alembic python3-psycopg2 python3-sqlalchemy jq
           clang libclang-rt-14-dev pgbouncer)

want=("${BUILD_PKGS[@]}" "${RUNTIME_PKGS[@]}")
if [[ "${1:-}" == "--test" ]]; then want+=("${TEST_PKGS[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi

echo "Installing: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
