"""What the two schema corpora share (tests/diff_corpus, tests/autogen_corpus).

Both run `migrate` over the same public schema pairs on the real server:
migra's diff fixtures (both directions) and real schemas (Pagila, a Rails
structure.sql: from an empty database and back). This module reads those
cases, makes and drops the databases they run in, runs `migrate` without any
project configuration of the caller's, and parses the runners' common options.
"""
import argparse
import contextlib
import os
import subprocess
import sys
import urllib.parse

import psycopg2

# The roles migra's fixtures GRANT to or own objects as: roles are the
# server's, so they are made once per run, before any case.
FIXTURE_ROLES = ("schemainspect_test_role", "schemainspect_test_role2")
REAL_SCHEMAS = ("pagila-23f7fe7.sql", "danbooru.sql")


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--migrate", required=True)
    ap.add_argument("--data", default=os.environ.get("MIGRATE_TEST_DATA", "/work/shared/data"))
    ap.add_argument("--only", default="")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    args.migrate = os.path.abspath(args.migrate)
    if not os.environ.get("MIGRATE_TEST_PG_URL"):
        sys.exit("run_corpus: MIGRATE_TEST_PG_URL is not set (scripts/pg-server.sh start)")
    return args


def admin_url():
    return os.environ["MIGRATE_TEST_PG_URL"]


def admin():
    c = psycopg2.connect(admin_url())
    c.autocommit = True
    return c


def with_db(url, name):
    p = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((p.scheme, p.netloc, "/" + name, p.query, p.fragment))


def db_name(prefix, case):
    """A database name for a case: identifier characters only, short enough."""
    return prefix + "".join(ch if ch.isalnum() else "_" for ch in case.lower())[:40]


def create_roles():
    conn = admin()
    for role in FIXTURE_ROLES:
        conn.cursor().execute(
            f"DO $$ BEGIN CREATE ROLE {role}; "
            f"EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
    conn.close()


@contextlib.contextmanager
def fresh_databases(*names):
    """Each name as a new empty database (dropped first if a run left it),
    yielding their URLs; dropped again afterwards."""
    conn = admin()
    cur = conn.cursor()
    try:
        for db in names:
            cur.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{db}"')
        yield [with_db(admin_url(), db) for db in names]
    finally:
        for db in names:
            cur.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.close()


def run_migrate(binary, cwd, argv):
    """(exit code, stdout, stderr) of `migrate ARGV` in CWD, with no
    migrate.yaml named by the environment and no DATABASE_URL."""
    env = dict(os.environ, DATABASE_URL="", MIGRATE_CONFIG="")
    p = subprocess.run([binary] + argv, cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=600)
    return p.returncode, p.stdout, p.stderr


def read(path):
    with open(path) as f:
        return f.read()


def cases(data, own=None):
    """(name, from SQL, to SQL) of every case: each fixture pair both ways
    (its `additions.sql`, when it has one, loaded into A after `a.sql`), then
    each pair in OWN (a directory of the corpus's own cases, named
    "own.NAME"), then each real schema from an empty database and back."""
    fixtures = os.path.join(data, "migra_fixtures")
    dirs = [(c, os.path.join(fixtures, c)) for c in sorted(os.listdir(fixtures))]
    if own:
        dirs += [("own." + c, os.path.join(own, c)) for c in sorted(os.listdir(own))]
    for case, d in dirs:
        if not os.path.isfile(os.path.join(d, "a.sql")):
            continue
        a, b = read(os.path.join(d, "a.sql")), read(os.path.join(d, "b.sql"))
        additions = os.path.join(d, "additions.sql")
        if os.path.isfile(additions):
            a += "\n;\n" + read(additions)
        yield case + " A->B", a, b
        yield case + " B->A", b, a
    for f in REAL_SCHEMAS:
        p = os.path.join(data, "real_schemas", f)
        if os.path.isfile(p):
            s = read(p)
            yield f + " empty->", "", s
            yield f + " ->empty", s, ""
