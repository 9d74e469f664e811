#!/usr/bin/python3
"""Turn bench/results/pg-*.json (bench/pg_run.sh) into Markdown.

    pg_report.py [RESULTS_DIR]

Prints the machine and the measured round-trip times, the work per tool
(round trips counted by the proxy, client and server CPU time of one run),
one row per timed command and network (median wall time, mean ± σ, min, the
client's CPU time, runs), the ratios between migrate and each
peer (medians of wall time from the same hyperfine run), the interleaved
loopback ratio, and whether each PostgreSQL target of docs/benchmarks.md is
met. Standard library only; runs under /usr/bin/python3.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import cpu, fmt_time, fmt_x  # noqa: E402  (bench/report.py)

MIGRATE = "migrate upgrade heads"
PSQL = "psql -f psql-minimal.sql"
OFFLINE = "psql -f offline.sql"
ALEMBIC = "alembic upgrade head"


def load_json(results, name):
    path = os.path.join(results, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def main():
    results = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "results")
    machine = load_json(results, "pg-machine") or {}
    trips = load_json(results, "pg-roundtrips") or {}
    cpus = load_json(results, "pg-cpu") or {}
    out = []
    if machine:
        out.append(
            f"Machine: {machine.get('nproc')} × {machine.get('cpu')}, Linux "
            f"{machine.get('kernel')}; load average {machine.get('loadavg_before')} "
            f"before, {machine.get('loadavg_after')} after. {machine.get('migrate')} "
            f"(Release); PostgreSQL {machine.get('server')}; {machine.get('psql')}; "
            f"{machine.get('alembic')} (SQLAlchemy {machine.get('sqlalchemy')}, psycopg2 "
            f"{machine.get('psycopg2')}, {machine.get('python')}); "
            f"{machine.get('hyperfine')}. {machine.get('date')}"
            f"{' (--quick)' if machine.get('quick') else ''}; nice {machine.get('nice')}.")
        out.append("")
        out.append(
            f"Round-trip time (pgbench, `select 1`): loopback "
            f"{machine.get('rtt_loopback_ms')} ms; through `bench/pg_proxy` "
            f"({machine.get('delay_ms')} ms each way) {machine.get('rtt_delay_ms')} ms.")
        out.append("")

    if cpus or trips:
        out.append("| Work per run | Round trips (delayed link) | Client CPU | Server CPU "
                   "| Client + server CPU | Wall (this run, loopback) |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for name in (MIGRATE, PSQL, OFFLINE, ALEMBIC):
            c = cpus.get(name, {})
            rt = trips.get(name, {}).get("round_trips", "")

            def t(key):
                return fmt_time(c[key]) if key in c else ""
            both = fmt_time(c["client_cpu"] + c["server_cpu"]) if c else ""
            out.append(f"| `{name}` | {rt} | {t('client_cpu')} | {t('server_cpu')} | "
                       f"{both} | {t('wall')} |")
        out.append("")

    nets = []
    for name, title in (("pg-upgrade-loopback", "loopback"),
                        ("pg-upgrade-delay", "delayed link")):
        data = load_json(results, name)
        if data:
            nets.append((title, {r["command"]: r for r in data["results"]}))

    out.append("| Network | Command | Median | Mean ± σ | Min | Client CPU | Runs |")
    out.append("|---|---|---:|---:|---:|---:|---:|")
    for title, d in nets:
        for name, r in d.items():
            out.append(
                f"| {title} | `{name}` | {fmt_time(r['median'])} | "
                f"{fmt_time(r['mean'])} ± {fmt_time(r['stddev'] or 0)} | "
                f"{fmt_time(r['min'])} | {fmt_time(cpu(r))} | {len(r['times'])} |")

    out.append("")
    out.append("| Network | migrate vs | Wall (medians) |")
    out.append("|---|---|---|")
    ratios = {}
    for title, d in nets:
        if MIGRATE not in d:
            continue
        for peer in (PSQL, OFFLINE, ALEMBIC):
            if peer not in d:
                continue
            m, p = d[MIGRATE]["median"], d[peer]["median"]
            ratios[(title, peer)] = (m, p)
            how = f"{fmt_x(p / m)} faster" if p >= m else f"{fmt_x(m / p)} the time"
            out.append(f"| {title} | `{peer}` | migrate **{how}** "
                       f"(migrate/peer {m / p:.3f}) |")

    inter = load_json(results, "pg-upgrade-loopback-interleaved")
    if inter:
        q1, med, q3 = inter["wall_ratio_quartiles"]
        out.append("")
        out.append("| Interleaved (`bench/interleave.py`), loopback | Pairs | migrate "
                   "| psql | migrate/psql wall, median (IQR) |")
        out.append("|---|---:|---:|---:|---|")
        out.append(f"| `{inter['a']}` vs `{inter['b']}` | {inter['pairs']} | "
                   f"{fmt_time(inter['median_wall_a'])} | {fmt_time(inter['median_wall_b'])} | "
                   f"**{med:.3f}** ({q1:.3f}-{q3:.3f}) |")

    out.append("")
    out.append("Targets:")
    out.append("")

    def target(ok, text):
        out.append(f"- **{'MET' if ok else 'NOT MET'}**: {text}")

    if ("loopback", PSQL) in ratios:
        m, p = ratios[("loopback", PSQL)]
        judged = m / p
        text = f"loopback, ≤ 1.05× `{PSQL}`: hyperfine {m / p:.2f}×"
        if inter:
            judged = inter["wall_ratio_quartiles"][1]
            text += f"; interleaved {judged:.2f}× (judged on the interleaved median)"
        target(judged <= 1.05, text)
    for peer, want in ((PSQL, 4), (ALEMBIC, 5)):
        if ("delayed link", peer) in ratios:
            m, p = ratios[("delayed link", peer)]
            target(p / m >= want, f"delayed link, ≥ {want}× faster than `{peer}`: "
                                  f"{fmt_x(p / m)} ({fmt_time(m)} vs {fmt_time(p)})")
    print("\n".join(out))


if __name__ == "__main__":
    main()
