#!/usr/bin/env bash
# Draws the pictures of the docs from the sample project with the migrate
# just built, so that they show what the code draws, not what someone drew:
#   docs/img/sample-graph.svg   migrate graph --format svg   (the revision graph)
#   docs/img/sample-erd.svg     migrate erd rev:heads --format svg   (its tables)
# Graphviz lays them out. Each SVG carries the SHA-256 of the DOT text it was
# drawn from; --check redraws only that text (no Graphviz needed) and exits 1
# when a picture is missing or stale (ctest docs/pictures).
#
# usage: scripts/docs-pictures.sh [--check] [--migrate PATH]   (default build/migrate)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
migrate="$root/build/migrate"
check=0
while (($#)); do
  case "$1" in
    --check) check=1 ;;
    --migrate) migrate="$2"; shift ;;
    -h|--help) sed -n '2,/^$/p' "$0"; exit 0 ;;
    *) echo "docs-pictures: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -x "$migrate" ]] || { echo "docs-pictures: no migrate at $migrate (build first)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -R "$root/sample_project" "$work/sample"
# A database with nothing applied: no revision is marked current.
url="sqlite:///:memory:"

# name, then the migrate arguments that draw it (without --format)
pictures=(
  "sample-graph|graph"
  "sample-erd|erd rev:heads"
)

fail=0
for p in "${pictures[@]}"; do
  name="${p%%|*}"
  read -r -a args <<<"${p#*|}"
  svg="$root/docs/img/$name.svg"
  dot="$(cd "$work/sample" && "$migrate" "${args[@]}" --url "$url" --format dot)"
  sum="$(printf '%s' "$dot" | sha256sum | cut -d' ' -f1)"
  stamp="<!-- drawn from DOT sha256 $sum by scripts/docs-pictures.sh -->"
  if ((check)); then
    if [[ ! -f "$svg" ]]; then
      echo "docs-pictures: docs/img/$name.svg is missing; run scripts/docs-pictures.sh" >&2
      fail=1
    elif ! grep -qF -- "$stamp" "$svg"; then
      echo "docs-pictures: docs/img/$name.svg is stale (migrate ${args[*]} draws something else now); run scripts/docs-pictures.sh and commit it" >&2
      fail=1
    else
      echo "docs-pictures: docs/img/$name.svg is current"
    fi
  else
    command -v dot >/dev/null || { echo "docs-pictures: Graphviz's dot is needed (apt-get install graphviz)" >&2; exit 1; }
    out="$(printf '%s\n' "$dot" | dot -Tsvg)"
    # The stamp goes after the XML declaration, which must stay first.
    { sed -n '1p' <<<"$out"; echo "$stamp"; sed '1d' <<<"$out"; } > "$svg"
    echo "docs-pictures: wrote docs/img/$name.svg"
  fi
done
exit "$fail"
