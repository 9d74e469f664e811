#!/usr/bin/python3
"""`migrate diff` over public schema pairs, on the real server.

For each pair (A, B) of migra's diff fixtures and of the corpus's own cases
(tests/diff_corpus/cases: "own.NAME"; both directions; the case's
`additions.sql`, when it has one, is loaded into A after `a.sql`) and each
real schema (Pagila, a Rails structure.sql: from an empty database and back):

  1. load the `from` side and the `to` side into two fresh databases (roles
     are the server's, not a database's: a `CREATE ROLE` the other side, or
     the server, already ran is skipped, not an error);
  2. `migrate diff --from FROM --to TO` writes a script;
  3. the script is applied to FROM with psql, in one transaction, stopping at
     the first error (the statement and the server's error are reported);
  4. a second `migrate diff --from FROM --to TO --exit-code` prints nothing;
  5. normalised `pg_dump --schema-only` of FROM and TO are equal (without
     owners and privileges, but for the cases about them: PRIVILEGE_CASES);
  6. `migrate diff --strict-column-order` reports a column order difference
     whenever pg_dump's column order differs;
  7. for an own case with `rows.sql` (rows that fit either side) and
     `kept.sql` (a query that runs on either side): the rows are inserted
     into FROM before the diff, and the query returns the same rows after
     the script as before it (the change keeps them).

migra's fixtures about its schema filters (FILTERED) run once more, as
migra runs them, with `--schema`/`--exclude-schema` ("NAME A->B --schema
goodschema"): the filtered script applies in one transaction, a second
filtered diff is empty, pg_dump of the compared schemas (`-n`/`-N`) match,
the schemas left out are as they were (pg_dump of them before and after),
and a diff without the filter still differs (so the case tests the filter).

What pg_dump's output is normalised of, because it is noise and not schema:
comment lines, `SET` and `SELECT pg_catalog.set_config` lines, blank lines,
psql's `\\restrict KEY`/`\\unrestrict KEY` lines (a random key per dump),
and the order of the column lines inside each `CREATE TABLE` and of a
table's `ALTER TABLE ONLY ... ALTER COLUMN ... SET DEFAULT` lines (migrate
does not compare column order: an added column goes at the end;
docs/reference.md "Schema diffs"); step 6 checks that
`--strict-column-order` reports it.

The data comes from /work/shared/data (or $MIGRATE_TEST_DATA): see its
README.md. KNOWN lists the cases that fail today, each with the reason; a
listed case that passes fails the run (prune the list), and so does an
unlisted failure.

Usage: run_corpus.py --migrate BIN [--data DIR] [--only SUBSTR] [-v]
Needs MIGRATE_TEST_PG_URL (scripts/pg-server.sh start).
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus_common"))
import pg_corpus  # noqa: E402
import psycopg2  # noqa: E402

# Privileges and owners are not compared by default (a dev database's roles
# differ from production's): pg_dump leaves them out too (--no-owner
# --no-privileges), but for the cases about them, where both are compared
# and the diff runs with PRIVILEGE_FLAGS.
PRIVILEGE_CASES = ("privileges", "ownertracking")
PRIVILEGE_FLAGS = ["--privileges"]  # the diff option that compares privileges and owners

# migra's fixtures for its schema filters -> the flags migra's tests run them
# with (its own repository and forks; diffrentschemas maps one schema onto
# another, which no flag of migrate's does).
FILTERED = {
    "singleschema": ["--schema", "goodschema"],
    "ciobis.multischema": ["--schema", "goodschema", "--schema", "goodschema2"],
    "excludeschema": ["--exclude-schema", "excludedschema"],
    "ciobis.excludemultischema": ["--exclude-schema", "excludedschema"],
    "migra-pr246.excludesingleschema": ["--exclude-schema", "excludedschema"],
    "migra-pr246.excludemultipleschema": ["--exclude-schema", "excludedschema1",
                                          "--exclude-schema", "excludedschema2"],
    "pgkit.excludemultipleschemas": ["--exclude-schema", "excludedschema1",
                                     "--exclude-schema", "excludedschema2"],
}

# case/direction -> why it fails today.
KNOWN = {}


class Result:
    def __init__(self, name):
        self.name = name
        self.stage = "ok"  # the stage that failed
        self.detail = ""
        self.column_order = False  # only the order of some table's columns differs

    def fail(self, stage, detail):
        self.stage, self.detail = stage, detail
        return self


def psql(url, path, single_transaction):
    argv = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", path]
    if single_transaction:
        argv.insert(1, "--single-transaction")
    env = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")
    p = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)
    return p.returncode, p.stdout + p.stderr


def failing_statement(script, psql_output):
    """The statement psql's `psql:FILE:LINE: ERROR:` names (LINE is where it ends)."""
    m = re.search(r"psql:[^:\n]*:(\d+): (ERROR|FATAL):", psql_output)
    if not m:
        return ""
    lines = script.split("\n")
    end = min(int(m.group(1)), len(lines))
    start = end - 1
    while start > 0 and not lines[start - 1].rstrip().endswith(";"):
        start -= 1
    return "\n".join(lines[start:end])


def dump(url, privileges, select=()):
    """pg_dump --schema-only; `select`: its -n/-N options. A selection that
    matches no schema (one side lacks it) dumps nothing."""
    argv = ["pg_dump", "--schema-only", "--no-tablespaces", "-d", url] + list(select)
    if not privileges:
        argv += ["--no-owner", "--no-privileges"]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        if "no matching schemas were found" in p.stderr:
            return ""
        raise RuntimeError("pg_dump failed: " + p.stderr)
    return p.stdout


def selections(flags):
    """pg_dump's options for the schemas `flags` compare, and for the others."""
    inside, outside = [], []
    for flag, schema in zip(flags[::2], flags[1::2]):
        if flag == "--schema":
            inside += ["-n", schema]
            outside += ["-N", schema]
        else:
            inside += ["-N", schema]
            outside += ["-n", schema]
    return inside, outside


# pg_dump's `ALTER TABLE ONLY t ALTER COLUMN c SET DEFAULT ...` lines (the
# defaults of inherited columns) come in the table's column order too.
COLUMN_DEFAULT = re.compile(r"^ALTER TABLE ONLY (\S+) ALTER COLUMN ")


def sort_column_defaults(lines):
    """Each run of one table's column-default lines, sorted."""
    out, i = [], 0
    while i < len(lines):
        m = COLUMN_DEFAULT.match(lines[i])
        j = i + 1
        while m and j < len(lines) and (COLUMN_DEFAULT.match(lines[j]) or [None, None])[1] == \
                m.group(1):
            j += 1
        out.extend(sorted(lines[i:j]))
        i = j
    return out


def normalise(text, sort_columns):
    """pg_dump's output without its noise (see the module's comment)."""
    out = normalise_lines(text, sort_columns)
    return sort_column_defaults(out) if sort_columns else out


def normalise_lines(text, sort_columns):
    out, table = [], None
    for line in text.split("\n"):
        if not line.strip() or line.startswith(("--", "SET ", "SELECT pg_catalog.set_config(",
                                                 "\\restrict ", "\\unrestrict ")):
            continue
        if table is not None:
            if line.startswith(")"):
                # The last column line has no comma: compare them all without.
                cols = [c.rstrip(",") for c in table]
                out.extend(sorted(cols) if sort_columns else cols)
                out.append(line)
                table = None
            else:
                table.append(line)
            continue
        out.append(line)
        if re.match(r"CREATE (UNLOGGED )?TABLE .*\($", line):
            table = []
    return out


def first_difference(a, b):
    """The first lines of a unified diff of the two dumps (- applied, + wanted)."""
    lines = list(difflib.unified_diff(a, b, "applied", "wanted", n=1, lineterm=""))
    return "\n".join(lines[:16] + (["..."] if len(lines) > 16 else []))


CREATE_ROLE = re.compile(r"^[ \t]*(create[ \t]+role[^;]*);", re.IGNORECASE | re.MULTILINE)


def load(url, sql, work):
    if not sql.strip():
        return ""
    sql = CREATE_ROLE.sub(
        r"DO $$ BEGIN \1; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; "
        r"END $$;", sql)
    # In the case's own directory: two runs at once (on two servers) must
    # not share a file.
    fd, path = tempfile.mkstemp(suffix=".load.sql", dir=work)
    with os.fdopen(fd, "w") as f:
        f.write(sql)
    code, out = psql(url, path, single_transaction=False)
    return out if code != 0 else ""


def rows_of(own, name):
    """(rows.sql, kept.sql) of own case NAME ("own.CASE A->B"), or None."""
    if not name.startswith("own."):
        return None
    d = os.path.join(own, name[len("own."):].split(" ")[0])
    seed, kept = os.path.join(d, "rows.sql"), os.path.join(d, "kept.sql")
    if not os.path.isfile(seed):
        return None
    return pg_corpus.read(seed), pg_corpus.read(kept)


def query_rows(url, query):
    conn = psycopg2.connect(url)
    try:
        cur = conn.cursor()
        cur.execute(query)
        return cur.fetchall()
    finally:
        conn.close()


def one_case(args, name, a_sql, b_sql, filter_flags=None, rows=None):
    r = Result(name + (" " + " ".join(filter_flags) if filter_flags else ""))
    privileges = any(p in name for p in PRIVILEGE_CASES)
    flags = PRIVILEGE_FLAGS if privileges else []
    base = pg_corpus.db_name("dcorpus_", r.name)
    work = tempfile.mkdtemp(prefix="diff-corpus-")
    try:
        with pg_corpus.fresh_databases(base + "_f", base + "_t") as (url_from, url_to):
            if filter_flags:
                return compare_filtered(args, r, work, url_from, url_to, a_sql, b_sql,
                                        filter_flags)
            return compare(args, r, work, url_from, url_to, a_sql, b_sql, privileges, flags,
                           rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def load_diff_apply_rediff(args, r, work, url_from, url_to, a_sql, b_sql, diff,
                           loaded=None):
    """The stages every case goes through: load A and B, apply `migrate
    diff` (argv `diff`) to A in one transaction, diff again (nothing may be
    left). `loaded()` runs once both sides are loaded, before the script.
    Returns the failed Result, or None when every stage passed."""
    for url, sql in ((url_from, a_sql), (url_to, b_sql)):
        err = load(url, sql, work)
        if err:
            return r.fail("load", err)
    if loaded:
        loaded()
    code, script, err = pg_corpus.run_migrate(args.migrate, work, diff)
    if code != 0:
        return r.fail("diff", err)
    if args.verbose:
        print(f"---- {r.name}\n{script}{err}")
    path = os.path.join(work, "change.sql")
    with open(path, "w") as f:
        f.write(script)
    code, out = psql(url_from, path, single_transaction=True)
    if code != 0:
        stmt = failing_statement(script, out)
        return r.fail("apply", out.strip() + ("\n  statement:\n" + stmt if stmt else ""))
    code, again, err = pg_corpus.run_migrate(args.migrate, work, diff + ["--exit-code"])
    if code != 0 or again.strip():
        return r.fail("rediff", f"exit {code}\n{again}{err}")
    return None


def compare_filtered(args, r, work, url_from, url_to, a_sql, b_sql, flags):
    inside, outside = selections(flags)
    left_out = []  # A's schemas the filter leaves out, before the script
    diff = ["diff", "--from", url_from, "--to", url_to]
    failed = load_diff_apply_rediff(
        args, r, work, url_from, url_to, a_sql, b_sql, diff + flags,
        loaded=lambda: left_out.append(normalise(dump(url_from, False, outside), True)))
    if failed:
        return failed
    a = normalise(dump(url_from, False, inside), True)
    b = normalise(dump(url_to, False, inside), True)
    if a != b:
        return r.fail("pg_dump", first_difference(a, b))
    after = normalise(dump(url_from, False, outside), True)
    if after != left_out[0]:
        return r.fail("left-out", "the script changed schemas the filter leaves out:\n" +
                      first_difference(left_out[0], after))
    code, _, err = pg_corpus.run_migrate(args.migrate, work, diff + ["--exit-code"])
    if code != 3:
        return r.fail("vacuous", f"without the filter the sides are equal (exit {code}): the "
                      f"case does not test it\n{err}")
    return r


def compare(args, r, work, url_from, url_to, a_sql, b_sql, privileges, flags, rows):
    # No migrate.yaml in work, none named by the environment: both sides are URLs.
    diff = ["diff", "--from", url_from, "--to", url_to] + flags
    before = []  # kept.sql's rows once rows.sql is in (or why rows.sql does not load)

    def seed():
        err = load(url_from, rows[0], work)
        before.append(("rows.sql does not load: " + err) if err else query_rows(url_from, rows[1]))

    failed = load_diff_apply_rediff(args, r, work, url_from, url_to, a_sql, b_sql, diff,
                                    loaded=seed if rows else None)
    if failed:
        return failed
    if rows:
        if isinstance(before[0], str):
            return r.fail("rows", before[0])
        if not before[0]:
            return r.fail("rows", "kept.sql returns no row before the script: it checks nothing")
        after = query_rows(url_from, rows[1])
        if after != before[0]:
            return r.fail("rows", f"kept.sql returned {before[0]} before the script, "
                          f"{after} after it")
    got, want = dump(url_from, privileges), dump(url_to, privileges)
    a, b = normalise(got, True), normalise(want, True)
    if a != b:
        return r.fail("pg_dump", first_difference(a, b))
    r.column_order = normalise(got, False) != normalise(want, False)
    # Column order is not compared, but never differs silently:
    # --strict-column-order reports it whenever pg_dump shows it (and
    # where pg_dump does not: it leaves an inheriting table's inherited
    # columns out).
    code, _, err = pg_corpus.run_migrate(args.migrate, work, diff + ["--strict-column-order"])
    reported = [l for l in err.splitlines() if l.startswith("migrate: column order: ")]
    if code != 0 or (r.column_order and not reported):
        return r.fail("column-order", f"pg_dump's column order differs: {r.column_order}; "
                      f"--strict-column-order (exit {code}) said:\n{err}")
    return r


def report(args, r):
    tag = "ok" if r.stage == "ok" else "FAIL at " + r.stage
    if r.stage != "ok" and r.name in KNOWN:
        tag += " (known: " + KNOWN[r.name] + ")"
    print(f"{r.name}: {tag}" + ("  (column order differs)" if r.column_order else ""))
    if r.stage != "ok" and (args.verbose or r.name not in KNOWN):
        print("    " + r.detail.strip().replace("\n", "\n    "))


def main():
    args = pg_corpus.parse_args()
    pg_corpus.create_roles()
    own = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases")

    results = []
    for name, a, b in pg_corpus.cases(args.data, own):
        runs = [None] + ([FILTERED[name.split(" ")[0]]] if name.split(" ")[0] in FILTERED else [])
        for filter_flags in runs:
            if args.only and args.only not in name:
                continue
            r = one_case(args, name, a, b, filter_flags, rows_of(own, name))
            results.append(r)
            report(args, r)

    passed = [r for r in results if r.stage == "ok"]
    failed = [r for r in results if r.stage != "ok" and r.name not in KNOWN]
    fixed = [r for r in passed if r.name in KNOWN]
    print(f"\ndiff corpus: passed {len(passed)} of {len(results)} "
          f"({len(results) - len(passed) - len(failed)} known failures, "
          f"{len(failed)} unlisted failures, {len(fixed)} listed but passing; "
          f"column order differs in {sum(r.column_order for r in results)})")
    for r in failed:
        print(f"{r.name}: fails at {r.stage} and is not listed in KNOWN")
    for r in fixed:
        print(f"{r.name}: listed in KNOWN ({KNOWN[r.name]}) but passes: remove it from the list")
    sys.exit(1 if failed or fixed or not results else 0)


if __name__ == "__main__":
    main()
