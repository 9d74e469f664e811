#!/usr/bin/env bash
# bench/graph.sh: `migrate graph` side by side with `alembic history` (the
# peer: Debian's python3-alembic), in the same run, on the largest real
# revision graph in the shared test data (backend.ai's manager: 484
# revisions, merges), written as both projects by bench/gen_real_graph.py.
#
#   bench/graph.sh            full run
#   bench/graph.sh --quick    fewer runs
#
# Both projects' databases are SQLite files stamped at the heads. Timed
# (whole commands, output discarded, warm: Alembic's .pyc and migrate's
# header cache written before timing):
#   migrate graph               (reads its version table to mark current)
#   alembic history             (reads no database)
#   alembic history --indicate-current   (reads its version table, as graph does)
#   migrate graph --format dot  (the same graph as DOT, for reference)
# Results: bench/results/graph-*.json and a Markdown table printed; the
# numbers go in docs/benchmarks.md. Not run by CI.
#
# Environment: MIGRATE_GRAPH_TSV picks another TSV of real_graphs/;
# MIGRATE_TEST_DATA the data folder (default /work/shared/data).

set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [[ $QUICK == 1 ]]; then RUNS=(--warmup 1 --min-runs 5 --max-runs 10); else RUNS=(--warmup 3 --min-runs 20 --max-runs 60); fi
real_graph_setup

G="$WORK/realgraph"
say "writing $(basename "$TSV") as a migrate and an Alembic project into $G"
"$PY" "$BENCH/gen_real_graph.py" --tsv "$TSV" --out "$G"
N="$(wc -l < "$G/revisions.txt")"
M=("$MIGRATE" -c "$G/migrate/migrate.yaml")
A="$PY -m alembic -c $G/alembic/alembic.ini"
sleep 2.5  # migrate's header cache trusts files older than 2 s only

say "checking that both tools see the same graph"
$A heads > "$G/alembic-heads.txt" 2>/dev/null   # also writes Alembic's .pyc
"${M[@]}" heads > "$G/migrate-heads.txt"
m_heads="$(same_heads "$G/alembic-heads.txt" "$G/migrate-heads.txt")"
a_lines="$($A history 2>/dev/null | grep -c -- '->' || true)"
m_lines="$("${M[@]}" graph --url "sqlite:///$G/none.db" 2>/dev/null | grep -c '\*' || true)"
echo "revisions $N; heads: $m_heads; alembic history $a_lines lines, migrate graph $m_lines revisions" >&2
[[ "$a_lines" == "$N" && "$m_lines" == "$N" ]] || die "both tools must list all $N revisions"

# The version tables at the heads, without running anything.
rm -f "$G/migrate/app.db" "$G/alembic/app.db"
"${M[@]}" stamp heads >/dev/null
$A stamp heads 2>/dev/null
"${M[@]}" graph > "$G/graph-at-heads.txt"
for h in $m_heads; do
  grep -qE "^[|* ]*\* $h \(head, current" "$G/graph-at-heads.txt" \
    || die "migrate graph does not mark head $h current after stamp heads"
done

mkdir -p "$RESULTS"
say "graph vs history ($N revisions)"
hyperfine "${RUNS[@]}" -N --export-json "$RESULTS/graph-real.json" \
  -n "migrate graph" "${M[*]} graph" \
  -n "alembic history" "$A history" \
  -n "migrate graph --format dot" "${M[*]} graph --format dot" \
  -n "alembic history --indicate-current" "$A history --indicate-current" >&2

"$PY" - "$RESULTS/graph-real.json" "$N" <<'PYEOF'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
def ms(name): return res[name]["median"] * 1e3
def cpu(name): return (res[name]["user"] + res[name]["system"]) * 1e3
print(f"| command ({sys.argv[2]} revisions) | median | CPU (user+sys, mean) | runs |")
print("| --- | ---: | ---: | ---: |")
for name, r in res.items():
    print(f"| `{name}` | {ms(name):.1f} ms | {cpu(name):.1f} ms | {len(r['times'])} |")
print()
for m, a in (("migrate graph", "alembic history"),
             ("migrate graph", "alembic history --indicate-current")):
    print(f"- `{m}` vs `{a}`: {ms(a) / ms(m):.1f}x faster on wall time (median), "
          f"{cpu(a) / cpu(m):.1f}x less CPU")
PYEOF
