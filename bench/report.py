#!/usr/bin/python3
"""Turn bench/results/*.json (hyperfine --export-json) into Markdown.

    report.py [RESULTS_DIR]

Prints the machine, one row per timed command (median wall time, mean ± σ,
min, CPU time = user + system, runs), the ratios between migrate and each
peer from the same run (medians of wall time, and mean CPU time), and whether
each target in docs/benchmarks.md is met.  Standard library only; runs under
/usr/bin/python3.
"""

import json
import os
import sys

# (result files merged into one benchmark, title, migrate command, peers)
BENCHMARKS = [
    (["graph-heads"], "`heads`, 10,000-revision chain", "migrate heads",
     ["alembic heads"]),
    (["graph-history"], "`history`, 10,000-revision chain", "migrate history",
     ["alembic history"]),
    (["upgrade-tmpfs"], "`upgrade`, 1,000 revisions, SQLite file on tmpfs",
     "migrate upgrade heads", ["sqlite3 < offline.sql", "alembic upgrade head"]),
    (["upgrade-disk", "upgrade-disk-alembic"],
     "`upgrade`, 1,000 revisions, SQLite file on disk",
     "migrate upgrade heads", ["sqlite3 < offline.sql", "alembic upgrade head"]),
    (["startup"], "start-up (`--version`)", "migrate --version", ["sqlite3 -version"]),
]

SQLITE = "sqlite3 < offline.sql"


def fmt_time(sec):
    if sec < 0.001:
        return f"{sec * 1e6:.0f} µs"
    if sec < 1:
        return f"{sec * 1e3:.1f} ms"
    return f"{sec:.2f} s"


def fmt_x(r):
    return f"{r:.0f}×" if r >= 100 else f"{r:.1f}×" if r >= 10 else f"{r:.2f}×"


def cpu(r):
    return (r.get("user") or 0) + (r.get("system") or 0)


def load(results, files):
    merged = {}
    for name in files:
        path = os.path.join(results, name + ".json")
        if os.path.exists(path):
            with open(path) as f:
                for r in json.load(f)["results"]:
                    merged[r["command"]] = r
    return merged


def main():
    results = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "results")
    machine = {}
    mpath = os.path.join(results, "machine.json")
    if os.path.exists(mpath):
        with open(mpath) as f:
            machine = json.load(f)

    out = []
    if machine:
        out.append(
            f"Machine: {machine.get('nproc')} × {machine.get('cpu')}, Linux "
            f"{machine.get('kernel')}; load average {machine.get('loadavg_before')} "
            f"before, {machine.get('loadavg_after')} after. "
            f"{machine.get('migrate')} ({machine.get('compiler')}, Release); "
            f"{machine.get('alembic')} (SQLAlchemy {machine.get('sqlalchemy')}, "
            f"{machine.get('python')}); sqlite3 {machine.get('sqlite3')}; "
            f"{machine.get('hyperfine')}. {machine.get('date')}"
            f"{' (--quick)' if machine.get('quick') else ''}.")
        out.append("")

    out.append("| Benchmark | Command | Median | Mean ± σ | Min | CPU (user+sys) | Runs |")
    out.append("|---|---|---:|---:|---:|---:|---:|")
    data = {}
    for files, title, _, _ in BENCHMARKS:
        data[title] = load(results, files)
        for name, r in data[title].items():
            out.append(
                f"| {title} | `{name}` | {fmt_time(r['median'])} | "
                f"{fmt_time(r['mean'])} ± {fmt_time(r['stddev'] or 0)} | "
                f"{fmt_time(r['min'])} | {fmt_time(cpu(r))} | {len(r['times'])} |")

    out.append("")
    out.append("| Benchmark | migrate vs | Wall (medians) | CPU (means) |")
    out.append("|---|---|---|---|")
    ratios = {}
    for _, title, mig, peers in BENCHMARKS:
        d = data[title]
        if mig not in d:
            continue
        for peer in peers:
            if peer not in d:
                continue
            m, p = d[mig]["median"], d[peer]["median"]
            mc, pc = cpu(d[mig]), cpu(d[peer])
            ratios[(title, peer)] = (m, p, mc, pc)

            def say(a, b):
                if b >= a:
                    return f"{fmt_x(b / a)} faster"
                return f"{fmt_x(a / b)} the time"

            out.append(f"| {title} | `{peer}` | migrate **{say(m, p)}** "
                       f"(migrate/peer {m / p:.3f}) | {say(mc, pc)} "
                       f"(migrate/peer {mc / pc:.3f}) |")

    inter = {}
    for key, where in (("upgrade-tmpfs-interleaved", "tmpfs"),
                       ("upgrade-disk-interleaved", "disk")):
        path = os.path.join(results, key + ".json")
        if os.path.exists(path):
            with open(path) as f:
                inter[where] = json.load(f)
    if inter:
        out.append("")
        out.append("| Interleaved (`bench/interleave.py`) | Pairs | migrate | sqlite3 "
                   "| migrate/sqlite3 wall, median (IQR) | CPU, median (IQR) |")
        out.append("|---|---:|---:|---:|---|---|")
        for where, r in inter.items():
            q1, med, q3 = r["wall_ratio_quartiles"]
            c1, cmed, c3 = r["cpu_ratio_quartiles"]
            out.append(f"| `upgrade`, 1,000 revisions, {where} | {r['pairs']} | "
                       f"{fmt_time(r['median_wall_a'])} | {fmt_time(r['median_wall_b'])} | "
                       f"**{med:.3f}** ({q1:.3f}-{q3:.3f}) | {cmed:.3f} ({c1:.3f}-{c3:.3f}) |")

    out.append("")
    out.append("Targets:")
    out.append("")

    def target(ok, text):
        out.append(f"- **{'MET' if ok else 'NOT MET'}**: {text}")

    heads_t = BENCHMARKS[0][1]
    h = data.get(BENCHMARKS[0][1], {})
    if "migrate heads" in h:
        m = h["migrate heads"]["median"]
        floor = [r for n, r in h.items() if n.startswith("floor")]
        extra = (f"; merely reading the 10,000 files takes {fmt_time(floor[0]['median'])}"
                 if floor else "")
        target(m <= 0.030, f"`migrate heads` on 10,000 revisions ≤ 30 ms: "
                           f"median {fmt_time(m)}{extra}")
    if (heads_t, "alembic heads") in ratios:
        m, p, _, _ = ratios[(heads_t, "alembic heads")]
        target(p / m >= 30, f"`migrate heads` ≥ 30× faster than `alembic heads` "
                            f"(Alembic warm, .pyc cached): {fmt_x(p / m)} "
                            f"({fmt_time(m)} vs {fmt_time(p)})")
    for _, title, _, _ in BENCHMARKS[2:]:
        if (title, SQLITE) in ratios:
            m, p, mc, pc = ratios[(title, SQLITE)]
            where = "tmpfs" if "tmpfs" in title else "disk"
            text = (f"`migrate upgrade heads` within 1.1× of `sqlite3` ({where}): "
                    f"hyperfine {m / p:.2f}× wall ({fmt_time(m)} vs {fmt_time(p)}), "
                    f"{mc / pc:.2f}× CPU")
            judged = m / p
            if where in inter:
                judged = inter[where]["wall_ratio_quartiles"][1]
                text += (f"; interleaved {judged:.2f}× wall, "
                         f"{inter[where]['cpu_ratio_quartiles'][1]:.2f}× CPU "
                         f"(judged on the interleaved median)")
            target(judged <= 1.10, text)
    print("\n".join(out))


if __name__ == "__main__":
    main()
