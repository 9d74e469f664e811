#!/usr/bin/env bash
# Checks the layering of src/ against the table in src/README.md: every
# folder of src/ has a row, every `#include "folder/..."` of a file names its
# own folder or one its row allows, and every source file is under 650
# lines. Prints each violation with file:line and exits 1 when there is one.
#
# usage: scripts/check-layers.sh [SRC_DIR]   (default: the repository's src/)
set -euo pipefail

src="${1:-$(cd "$(dirname "$0")/.." && pwd)/src}"
map="$src/README.md"
max_lines=650
[[ -f "$map" ]] || { echo "check-layers: $map is missing" >&2; exit 1; }

declare -A allowed=()
# Rows look like: | `db/` | what it holds | config, graph, sql, util |
while IFS= read -r row; do
  folder="$(sed -E 's/^\| `([a-z_]+)\/` \|.*/\1/' <<<"$row")"
  deps="$(awk -F'|' '{print $4}' <<<"$row" | tr -d ' ')"
  allowed[$folder]=",${deps},"
done < <(grep -E '^\| `[a-z_]+/` \|' "$map")

fail=0
for dir in "$src"/*/; do
  folder="$(basename "$dir")"
  if [[ -z "${allowed[$folder]+set}" ]]; then
    echo "src/$folder/: no row in src/README.md's layer table; add one saying what it holds and may include" >&2
    fail=1
    continue
  fi
  while IFS=: read -r file line inc; do
    dep="$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$inc")"
    [[ "$dep" == "$folder" || -z "${allowed[$dep]+set}" ]] && continue
    if [[ "${allowed[$folder]}" != *",$dep,"* ]]; then
      may="$(sed -E 's/^,//; s/,$//; s/,/, /g' <<<"${allowed[$folder]}")"
      echo "${file#"$src"/}:$line: src/$folder/ includes $dep/, which its row in src/README.md does not allow (may include: ${may:-nothing})" >&2
      fail=1
    fi
  done < <(grep -rnE '^#include "[a-z_]+/' "$dir" --include='*.h' --include='*.cpp' || true)
done

while read -r count file; do
  [[ "$file" == total ]] && continue
  if ((count >= max_lines)); then
    echo "${file#"$src"/}: $count lines; keep source files under $max_lines (one concept per file)" >&2
    fail=1
  fi
done < <(find "$src" -name '*.h' -o -name '*.cpp' | sort | xargs wc -l)

if ((fail == 0)); then
  echo "check-layers: ${#allowed[@]} layers, every include and file length within src/README.md's rules"
fi
exit "$fail"
