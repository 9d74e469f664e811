"""A single-row writer for the SQLite benches (backfill_sqlite.sh,
expand_sqlite.sh): runs STATEMENT with a random id in 1..N, 5 ms apart, on
its own connection (busy_timeout 60 s) until SIGTERM, then prints one JSON
line: writes, errors, and the worst, p99 and median wait in ms.

usage: sqlite_writer.py DB N STATEMENT   (STATEMENT has one `?`: the id)
"""
import json
import random
import signal
import sqlite3
import sys
import time

stop = False


def on(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on)
db = sqlite3.connect(sys.argv[1], timeout=60, isolation_level=None)
n = int(sys.argv[2])
ms = []
rnd = random.Random(42)
while not stop:
    t0 = time.perf_counter()
    db.execute(sys.argv[3], (rnd.randint(1, n),))
    ms.append(1000 * (time.perf_counter() - t0))
    time.sleep(0.005)
ms.sort()


def q(f):
    return ms[min(len(ms) - 1, int(f * len(ms)))] if ms else 0


print(json.dumps({"writes": len(ms), "errors": 0, "max_ms": ms[-1] if ms else 0,
                  "p99_ms": q(0.99), "p50_ms": q(0.5)}))
