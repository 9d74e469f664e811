#!/usr/bin/python3
"""Interleaved A/B timing: a cross-check of hyperfine's ratio for two commands
whose gap is small compared with how much the machine drifts.

    interleave.py --pairs N --prepare CMD --out FILE.json NAME_A CMD_A NAME_B CMD_B

hyperfine runs all of A, then all of B, so a neighbour that starts or stops
half-way moves the ratio. Here A and B alternate (A B, B A, A B, ...), each
after CMD (run by sh, not timed), and the ratio is taken per pair; the median
of the pair ratios is reported with its interquartile range. Wall-clock time
of the child, and its user + system CPU time from wait4(). Commands run under
sh with stdout and stderr discarded, as in hyperfine.
"""

import argparse
import json
import os
import statistics
import subprocess
import time


def run(cmd):
    t0 = time.perf_counter()
    proc = subprocess.Popen(["sh", "-c", cmd], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"interleave.py: `{cmd}` exited {proc.returncode}")
    return wall, ru.ru_utime + ru.ru_stime


def quartiles(xs):
    q = statistics.quantiles(xs, n=4)
    return q[0], statistics.median(xs), q[2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--prepare", default="true")
    ap.add_argument("--out", required=True)
    ap.add_argument("name_a")
    ap.add_argument("cmd_a")
    ap.add_argument("name_b")
    ap.add_argument("cmd_b")
    args = ap.parse_args()

    for _ in range(args.warmup):
        for cmd in (args.cmd_a, args.cmd_b):
            subprocess.run(["sh", "-c", args.prepare], check=True)
            run(cmd)
    wall = {"a": [], "b": []}
    cpu = {"a": [], "b": []}
    for i in range(args.pairs):
        order = ("a", "b") if i % 2 == 0 else ("b", "a")
        for which in order:
            subprocess.run(["sh", "-c", args.prepare], check=True)
            w, c = run(args.cmd_a if which == "a" else args.cmd_b)
            wall[which].append(w)
            cpu[which].append(c)
    wall_ratio = [a / b for a, b in zip(wall["a"], wall["b"])]
    cpu_ratio = [a / b for a, b in zip(cpu["a"], cpu["b"])]
    result = {
        "a": args.name_a, "b": args.name_b, "pairs": args.pairs,
        "wall_a": wall["a"], "wall_b": wall["b"],
        "cpu_a": cpu["a"], "cpu_b": cpu["b"],
        "median_wall_a": statistics.median(wall["a"]),
        "median_wall_b": statistics.median(wall["b"]),
        "wall_ratio_quartiles": quartiles(wall_ratio),
        "cpu_ratio_quartiles": quartiles(cpu_ratio),
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    q1, med, q3 = result["wall_ratio_quartiles"]
    c1, cmed, c3 = result["cpu_ratio_quartiles"]
    print(f"{args.name_a} / {args.name_b}, {args.pairs} interleaved pairs: "
          f"wall {med:.3f} (IQR {q1:.3f}-{q3:.3f}), "
          f"CPU {cmed:.3f} (IQR {c1:.3f}-{c3:.3f})")


if __name__ == "__main__":
    main()
