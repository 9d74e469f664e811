#!/usr/bin/env bash
# Runs clang-tidy (the checks of .clang-tidy) over migrate's sources, using
# the compile commands of a configured build directory.
#
#   scripts/clang-tidy.sh                  # every file under src/ and tests/
#   scripts/clang-tidy.sh src/util/fd.cpp  # only these files
#
# BUILD_DIR (default build) is configured first when it has no
# compile_commands.json. Exits non-zero when any check fires. Slow (about
# 10 CPU-minutes for all of src/, most of it clang-analyzer), so CI does not
# run it; run it on the files you change.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUILD_DIR=${BUILD_DIR:-build}
TIDY=$(command -v clang-tidy-14 || command -v clang-tidy || true)
if [[ -z "$TIDY" ]]; then
  echo "clang-tidy.sh: clang-tidy not found (apt-get install clang-tidy)" >&2
  exit 2
fi
if [[ ! -f "$BUILD_DIR/compile_commands.json" ]]; then
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi

if (($# > 0)); then
  files=("$@")
else
  mapfile -t files < <(git ls-files 'src/*.cpp' 'tests/*.cpp')
fi

# One clang-tidy per file, $(nproc) at a time; --quiet keeps the output to
# the warnings themselves. --warnings-as-errors makes any warning fail.
printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -n 1 "$TIDY" -p "$BUILD_DIR" --quiet --warnings-as-errors='*' 2>/dev/null
