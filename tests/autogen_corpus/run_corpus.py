#!/usr/bin/python3
"""`revision --autogenerate` over public schema pairs, on the real server.

For each pair (A, B) of migra's diff fixtures (both directions; the case's
`additions.sql`, when it has one, is part of A) and each real
schema (Pagila, a Rails structure.sql: from an empty database and back):

  1. a project whose one revision `a1` is A; `migrate upgrade heads`;
  2. schema.sql is B; `migrate revision --autogenerate` (the lock-safe chain);
  3. `migrate lint` over what it wrote must pass (exit 0: no error), and the
     only warnings allowed are the data-loss and compatibility ones the
     schema file asks for (a DROP TABLE, a dropped column ...): autogenerate
     keeps those visible on purpose (docs/safety.md, "Autogenerate");
  4. `migrate upgrade heads` applies the chain to A and `migrate check`
     passes: the database is B;
  5. `migrate downgrade a1` and the database is A again (`diff --to rev:a1`).

A pair whose change breaks the running application in one step (a rename, a
rewriting type change) gets an expand/contract plan instead (exit 1, no
revision): counted as "offered", and then run again with `--one-step`, which
must apply (steps 4-5) but is not expected to lint clean.

The data comes from /work/shared/data (or $MIGRATE_TEST_DATA): see its
README.md. KNOWN lists the cases that fail for a reason outside autogenerate,
each with the reason; a listed case that passes fails the run (prune the list).

Usage: run_corpus.py --migrate BIN [--data DIR] [--only SUBSTR] [-v]
Needs MIGRATE_TEST_PG_URL (scripts/pg-server.sh start).
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus_common"))
import pg_corpus  # noqa: E402

# Warnings a generated revision may carry: the schema file asks for the loss
# or the incompatibility (or for what no lock-safe form gives: a STORED
# generated column on an existing table), and autogenerate says so instead
# of hiding it (docs/safety.md).
ALLOWED_WARNINGS = {
    "drop-table", "drop-column", "drop-schema", "drop-not-null", "drop-foreign-key",
    "stored-generated-column",
}

# case/direction -> why it fails, for reasons outside autogenerate (what the
# schema model or the differ does not cover yet, or the fixture itself).
ROLES = "the fixture creates roles; roles are the server's, not in the schema model"
KNOWN = {
    "ciobis.multischema A->B": ROLES,
    "ciobis.multischema B->A": ROLES,
    "ciobis.roles A->B": ROLES,
    "ciobis.roles B->A": ROLES,
    "enumdeps B->A": "an enum losing a label is rebuilt and its column converted: a rewrite "
                     "with no lock-safe form, so column-type-change stays flagged",
    "migra-pr246.enumwithfuncdep B->A": "as enumdeps B->A: the rebuilt enum's column is "
                                        "converted, a rewrite flagged column-type-change",
}

HEADER = """-- revision: a1
-- down_revision: null
-- branch_labels: []
-- depends_on: []
-- message: corpus base
-- created: 2026-12-06T00:00:00Z

-- migrate:upgrade
"""


class Result:
    def __init__(self, name):
        self.name = name
        self.stage = "ok"  # the first stage that failed
        self.failed = []  # every stage that failed (lint does not stop the run)
        self.detail = ""
        self.offered = False
        self.warnings = []

    def fail(self, stage, detail):
        self.failed.append(stage)
        if self.stage == "ok":
            self.stage, self.detail = stage, detail
        return self


def run(migrate, cwd, args, url):
    code, out, err = pg_corpus.run_migrate(migrate, cwd, ["--url", url] + args)
    return code, out + err


def revision_files(project):
    d = os.path.join(project, "migrations", "versions")
    return sorted(os.path.join(d, f) for f in os.listdir(d) if not f.startswith("a1_"))


def lint_findings(out):
    """(severity, rule) of each finding in `migrate lint --format json`'s output."""
    try:
        doc = json.loads(out[out.index("{"):])
    except ValueError:
        return [("error", "unreadable lint output")]
    return [(f["severity"], f["rule"]) for f in doc["findings"]]


def one_case(args, name, a_sql, b_sql):
    r = Result(name)
    project = tempfile.mkdtemp(prefix="autogen-corpus-")
    try:
        with pg_corpus.fresh_databases(pg_corpus.db_name("corpus_", name)) as (url,):
            return autogenerate(args, r, project, url, a_sql, b_sql)
    finally:
        shutil.rmtree(project, ignore_errors=True)


def autogenerate(args, r, project, url, a_sql, b_sql):
    code, out = run(args.migrate, project, ["init", "--template", "postgres", "migrations"], url)
    if code != 0:
        return r.fail("init", out)
    with open(os.path.join(project, "migrations", "versions", "a1_base.sql"), "w") as f:
        f.write(HEADER + a_sql + "\n\n-- migrate:downgrade\n")
    code, out = run(args.migrate, project, ["upgrade", "heads"], url)
    if code != 0:
        return r.fail("base", out)
    with open(os.path.join(project, "schema.sql"), "w") as f:
        f.write(b_sql)
    code, out = run(args.migrate, project, ["revision", "--autogenerate", "-m", "corpus"], url)
    if code == 1 and "expand/contract plan" in out:
        r.offered = True
        code, out = run(args.migrate, project,
                        ["revision", "--autogenerate", "--one-step", "-m", "corpus"], url)
    if code != 0:
        return r.fail("autogenerate", out)
    files = revision_files(project)
    if not files and "No changes" not in out:
        return r.fail("autogenerate", "no revision written:\n" + out)
    text = "".join(open(f).read() for f in files)
    if args.verbose:
        print(f"---- {r.name}\n{text}")
    if not r.offered:
        code, out = run(args.migrate, project, ["lint", "--format", "json"], url)
        r.warnings = lint_findings(out)
        bad = [rule for sev, rule in r.warnings
               if sev == "error" or rule not in ALLOWED_WARNINGS]
        if code != 0 or bad:
            r.fail("lint", out + "\n" + text)  # and on: does it apply?
    code, out = run(args.migrate, project, ["upgrade", "heads"], url)
    if code != 0:
        return r.fail("upgrade", out + "\n" + text)
    code, out = run(args.migrate, project, ["check"], url)
    if code != 0:
        return r.fail("check", out + "\n" + text)
    code, out = run(args.migrate, project, ["downgrade", "a1"], url)
    if code != 0:
        return r.fail("downgrade", out + "\n" + text)
    code, out = run(args.migrate, project, ["diff", "--to", "rev:a1", "--exit-code"], url)
    if code != 0:
        return r.fail("downgraded", out + "\n" + text)
    return r


def main():
    args = pg_corpus.parse_args()
    pg_corpus.create_roles()

    results = []
    for name, a, b in pg_corpus.cases(args.data):
        if args.only and args.only not in name:
            continue
        r = one_case(args, name, a, b)
        results.append(r)
        tag = "ok" if r.stage == "ok" else "FAIL at " + ", ".join(r.failed)
        extra = " (offered expand/contract; --one-step applied)" if r.offered else ""
        warn = sorted({rule for _, rule in r.warnings})
        print(f"{name}: {tag}{extra}" + (f"  warnings: {', '.join(warn)}" if warn else ""))
        if r.stage != "ok" and (args.verbose or name not in KNOWN):
            print("    " + r.detail.strip().replace("\n", "\n    "))

    failed = [r for r in results if r.stage != "ok" and r.name not in KNOWN]
    fixed = [r for r in results if r.stage == "ok" and r.name in KNOWN]
    clean = [r for r in results if r.stage == "ok" and not r.offered]
    print(f"\n{len(results)} cases: {len(clean)} generated, linted clean, applied and checked; "
          f"{sum(r.offered for r in results)} offered expand/contract (--one-step applied); "
          f"{len([r for r in results if r.stage != 'ok'])} failed "
          f"({len([r for r in results if r.stage != 'ok' and r.name in KNOWN])} known)")
    for r in fixed:
        print(f"{r.name}: listed in KNOWN ({KNOWN[r.name]}) but passes: remove it from the list")
    sys.exit(1 if failed or fixed or not results else 0)


if __name__ == "__main__":
    main()
