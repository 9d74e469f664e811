#!/usr/bin/env python3
"""Markdown tables from bench/results/backfill-{pg,sqlite}.json (bench/backfill_*.sh).

Usage: backfill_report.py RESULTS.json
"""
import json
import sys


def pct(values, q):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    runs = json.load(open(sys.argv[1]))
    by = {(r["rows"], r["run"]): r for r in runs}
    sizes = sorted({r["rows"] for r in runs})
    print("| rows | run | s | rows/s | vs UPDATE | us/row | WAL B/row | HOT | batches | "
          "batch p50 / p99 / max ms | writer max / p99 ms |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for n in sizes:
        upd = by.get((n, "update"))
        for kind in ("update", "backfill", "update-notrig"):
            r = by.get((n, kind))
            if not r:
                continue
            rate = n / r["s"]
            ratio = f"{rate / (n / upd['s']):.0%}" if upd else ""
            batches, btimes = "", ""
            if "batches" in r:
                ms = [json.loads(line)["ms"] for line in open(r["batches"]) if line.strip()]
                r["batch_ms"] = {"count": len(ms), "p50": pct(ms, 0.5), "p99": pct(ms, 0.99),
                                 "max": max(ms) if ms else 0}
                batches = str(len(ms))
                btimes = "{p50:.1f} / {p99:.1f} / {max:.1f}".format(**r["batch_ms"])
            w = r.get("writer")
            wtxt = f"{w['max_ms']:.1f} / {w['p99_ms']:.1f} ({w['writes']} writes)" if w else ""
            print(f"| {n:,} | {kind} | {r['s']:.2f} | {rate:,.0f} | {ratio} | "
                  f"{1e6 * r['s'] / n:.2f} | {r['wal_bytes'] / n:.0f} | {r['hot']} | {batches} | "
                  f"{btimes} | {wtxt} |")
        notrig = by.get((n, "update-notrig"))
        if upd and notrig:
            print(f"\ntrigger cost at {n:,} rows: "
                  f"{1e6 * (upd['s'] - notrig['s']) / n:.2f} us/row "
                  f"({(upd['s'] - notrig['s']) / upd['s']:.0%} of the UPDATE)")
            bf = by.get((n, "backfill"))
            if bf:
                print(f"backfill at {n:,} rows: {upd['s'] / bf['s']:.0%} of the UPDATE's rows/s "
                      f"with the trigger, {notrig['s'] / bf['s']:.0%} without\n")
    json.dump(runs, open(sys.argv[1], "w"), indent=1)


if __name__ == "__main__":
    main()
