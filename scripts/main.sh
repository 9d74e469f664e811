#!/usr/bin/env bash
# The main job: install the build dependencies (Debian bookworm, as root),
# build migrate in Release mode into build/, then migrate a throw-away copy of
# sample_project/ up to its heads and back down to base.
#
# Usage: scripts/main.sh        (from any directory)
#
# apt is skipped when every package is already installed, so the script also
# works offline on a prepared machine. The repository itself is never
# modified apart from build/.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# Prints a command, then runs it.
run() {
  printf '+ %s\n' "$*"
  "$@"
}

scripts/install-deps.sh

run cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
run cmake --build build -j2
migrate="$repo/build/migrate"

# Work in a temporary copy of the sample project, never in the repository.
work="$(mktemp -d "${TMPDIR:-/tmp}/migrate-sample.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R "$repo/sample_project/." "$work/"
rm -f "$work"/*.db "$work"/*.db-journal "$work"/*.db-wal "$work"/*.db-shm
cd "$work"
# The sample's migrate.yaml reads DATABASE_URL; make sure it uses its own
# SQLite file here.
unset DATABASE_URL MIGRATE_CONFIG
echo "sample project copied to $work"

run "$migrate" heads
run "$migrate" upgrade heads
run "$migrate" current
run "$migrate" history --indicate-current
run sqlite3 app.db .tables
run "$migrate" downgrade base
run "$migrate" current
