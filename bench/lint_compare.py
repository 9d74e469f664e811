#!/usr/bin/env python3
"""bench/lint_compare.py MIGRATE SQUAWK CORPUS: runs both linters on every
case of tests/lint_corpus/ (a file, or a directory of revisions linted as one
run) and prints a Markdown table: which dangerous cases each flags, and
which safe cases each reports something on (false positives).

squawk runs with its default rules minus three that do not apply to migrate
projects: prefer-robust-stmts (IF NOT EXISTS: a migrate step is atomic and
recorded, it is not re-run half-way), require-lock-timeout and
require-statement-timeout (migrate sets lock_timeout and statement_timeout
on every step from migrate.yaml). Its style rules (prefer-bigint-over-int,
prefer-text-field, ...) are excluded too, as migrate's style rules are off
by default. A dangerous case counts as flagged by squawk when it reports
anything on it."""
import json
import os
import subprocess
import sys
import tempfile

migrate, squawk, corpus = (os.path.abspath(a) for a in sys.argv[1:4])
SQUAWK_EXCLUDE = ",".join([
    "prefer-robust-stmts", "require-lock-timeout", "require-statement-timeout",
    "prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-identity",
    "prefer-text-field", "prefer-timestamptz",
])


def cases(kind):
    root = os.path.join(corpus, kind)
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        if os.path.isdir(path):
            yield name, [os.path.join(path, f) for f in sorted(os.listdir(path))]
        else:
            yield name[:-4], [path]


def run_migrate(files, project):
    r = subprocess.run([migrate, "--url", "postgresql://bench@localhost/bench", "lint",
                        "--format", "json", *files], cwd=project, capture_output=True, text=True)
    return sorted({f["rule"] for f in json.loads(r.stdout)["findings"]})


def run_squawk(files):
    r = subprocess.run([squawk, "--reporter", "json", "--exclude", SQUAWK_EXCLUDE, *files],
                       capture_output=True, text=True)
    out = r.stdout.strip()
    if not out.startswith("["):
        return ["(squawk: %s)" % (out or r.stderr.strip())[:60]]
    return sorted({f["rule_name"] for f in json.loads(out)})


with tempfile.TemporaryDirectory() as project:
    with open(os.path.join(project, "migrate.yaml"), "w") as f:
        f.write("script_location: migrations\n")
    os.makedirs(os.path.join(project, "migrations", "versions"))
    totals = {"dangerous": [0, 0, 0], "safe": [0, 0, 0]}
    for kind in ("dangerous", "safe"):
        print(f"\n### {kind} cases\n")
        print("| case | migrate | squawk 2.66 |")
        print("| --- | --- | --- |")
        for name, files in cases(kind):
            m, s = run_migrate(files, project), run_squawk(files)
            t = totals[kind]
            t[0] += 1
            t[1] += bool(m)
            t[2] += bool(s)
            print(f"| {name} | {', '.join(m) or '—'} | {', '.join(s) or '—'} |")
    d, s = totals["dangerous"], totals["safe"]
    print(f"\nDangerous cases flagged: migrate {d[1]}/{d[0]}, squawk {d[2]}/{d[0]}.")
    print(f"False positives on safe cases: migrate {s[1]}/{s[0]}, squawk {s[2]}/{s[0]}.")
