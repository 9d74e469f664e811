#!/usr/bin/env bash
# bench/import.sh: `migrate import alembic` side by side with Alembic's own
# reading of the same project (the peer: Debian's python3-alembic), in the
# same run, on the largest real revision graph in the shared test data
# (backend.ai's manager: 484 revisions, merges), written as an Alembic
# project by bench/gen_real_graph.py (its revisions' functions do nothing:
# this measures reading the project and writing the files, not SQL).
#
#   bench/import.sh            full run
#   bench/import.sh --quick    fewer runs
#
# Timed (whole commands, output discarded, warm .pyc):
#   migrate import alembic DIR        (into an emptied versions/ each run)
#   alembic history                   (loads the same revision modules)
#   alembic upgrade heads --sql       (Alembic's offline SQL for every revision)
# After a first import the script checks that `migrate heads` equals
# `alembic heads`. Results: bench/results/import-real.json and a Markdown
# table printed; the numbers go in docs/benchmarks.md. Not run by CI.
#
# Environment: MIGRATE_GRAPH_TSV picks another TSV of real_graphs/;
# MIGRATE_TEST_DATA the data folder (default /work/shared/data).

set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [[ $QUICK == 1 ]]; then RUNS=(--warmup 1 --min-runs 3 --max-runs 5); else RUNS=(--warmup 2 --min-runs 10 --max-runs 20); fi
real_graph_setup

G="$WORK/importgraph"
say "writing $(basename "$TSV") as an Alembic project into $G"
rm -rf "$G"
"$PY" "$BENCH/gen_real_graph.py" --tsv "$TSV" --out "$G"
N="$(wc -l < "$G/revisions.txt")"
P="$G/imported"
rm -rf "$P" && mkdir -p "$P"
(cd "$P" && "$MIGRATE" init migrations >/dev/null)
M=(env MIGRATE_PYTHON="$PY" "$MIGRATE" -c "$P/migrate.yaml" --url "sqlite:///$P/app.db")
A="$PY -m alembic -c $G/alembic/alembic.ini"

say "a first import, checked against alembic heads"
$A heads > "$G/alembic-heads.txt" 2>/dev/null   # also writes Alembic's .pyc
"${M[@]}" import alembic "$G/alembic" > /dev/null
"${M[@]}" heads > "$G/migrate-heads.txt"
m_heads="$(same_heads "$G/alembic-heads.txt" "$G/migrate-heads.txt")"
files="$(ls "$P/migrations/versions" | wc -l)"
[[ "$files" == "$N" ]] || die "import wrote $files files, expected $N"
echo "revisions $N, heads: $m_heads" >&2

mkdir -p "$RESULTS"
say "import vs Alembic ($N revisions)"
hyperfine "${RUNS[@]}" -N --export-json "$RESULTS/import-real.json" \
  --prepare "find $P/migrations/versions -name '*.sql' -delete" \
  -n "migrate import alembic" "${M[*]} import alembic $G/alembic" \
  -n "alembic history" "$A history" \
  -n "alembic upgrade heads --sql" "$A upgrade heads --sql" >&2

"$PY" - "$RESULTS/import-real.json" "$N" <<'PYEOF'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
def ms(name): return res[name]["median"] * 1e3
def cpu(name): return (res[name]["user"] + res[name]["system"]) * 1e3
m = "migrate import alembic"
print("| command (%s revisions) | median wall | CPU (user+sys) | migrate import / it (wall) |" % sys.argv[2])
print("| --- | --- | --- | --- |")
for name in res:
    print("| `%s` | %.0f ms | %.0f ms | %.2fx |" % (name, ms(name), cpu(name), ms(m) / ms(name)))
PYEOF
