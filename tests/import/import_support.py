"""Shared by the `migrate import` tests: running migrate on a project, and
real databases (SQLite files, or databases created on the PostgreSQL server
of MIGRATE_TEST_PG_URL) read back as comparable values."""

import argparse
import glob
import os
import random
import shutil
import sqlite3
import subprocess
import tempfile
import uuid

MIGRATE = None  # set by the test's main()


class Failure(Exception):
    pass


def as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return [value]


def init_migrate_project(root, url):
    os.makedirs(root, exist_ok=True)
    r = subprocess.run([MIGRATE, "init", "migrations"], cwd=root, capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure("migrate init failed: " + r.stderr)
    with open(os.path.join(root, "migrate.yaml"), "w") as f:
        f.write("script_location: migrations\ndatabase_url: '%s'\n" % url.replace("$", "$$"))


def run_migrate(root, args, env=None, extra_config=None):
    cmd = [MIGRATE]
    if extra_config:
        path = os.path.join(root, "migrate-extra.yaml")
        with open(os.path.join(root, "migrate.yaml")) as f:
            base = f.read()
        with open(path, "w") as f:
            f.write(base + extra_config)
        cmd += ["-c", path]
    full_env = dict(os.environ)
    full_env.pop("MIGRATE_CONFIG", None)
    full_env.update(env or {})
    r = subprocess.run(cmd + args, cwd=root, capture_output=True, text=True, env=full_env)
    return r.returncode, r.stdout, r.stderr


def revision_file(root, rev):
    """The file whose header says `revision: REV` (names alone can mislead:
    V1_1_seed.sql and V1_create.sql both start with V1_)."""
    found = []
    for path in glob.glob(os.path.join(root, "migrations", "versions", "*.sql")):
        with open(path) as f:
            if f.readline().strip() == "-- revision: " + rev:
                found.append(path)
    if len(found) != 1:
        raise Failure("revision file of %s: %s" % (rev, found))
    return found[0]


TOOL_TABLES = ("alembic_version", "flyway_schema_history", "migrate_version", "migrate_history")


class Databases:
    """Fresh databases of one dialect, each named by its URL."""

    def __init__(self, dialect, folder):
        self.dialect = dialect
        self.folder = folder
        self.created = []
        self.admin = None
        if dialect == "postgresql":
            import psycopg2
            self.admin_url = os.environ.get("MIGRATE_TEST_PG_URL")
            if not self.admin_url:
                raise Failure("MIGRATE_TEST_PG_URL is not set (scripts/pg-server.sh start)")
            self.admin = psycopg2.connect(self.admin_url)
            self.admin.autocommit = True

    def new(self):
        if self.dialect == "sqlite":
            path = os.path.join(self.folder, "db%d.sqlite" % len(self.created))
            self.created.append(path)
            open(path, "w").close()  # an empty database, as a new server database is
            return "sqlite:///" + path
        name = "mig_import_" + uuid.uuid4().hex[:12]
        with self.admin.cursor() as c:
            c.execute("CREATE DATABASE " + name)
        self.created.append(name)
        base, _, _ = self.admin_url.rpartition("/")
        return base + "/" + name

    def _connect(self, url):
        if self.dialect == "sqlite":
            return sqlite3.connect(url[len("sqlite:///"):])
        import psycopg2
        return psycopg2.connect(url)

    def rows(self, url, sql):
        conn = self._connect(url)
        try:
            cur = conn.cursor()
            cur.execute(sql)
            return [r[0] for r in cur.fetchall()]
        finally:
            conn.close()

    def execute(self, url, statements):
        conn = self._connect(url)
        try:
            cur = conn.cursor()
            for s in statements:
                cur.execute(s)
            conn.commit()
        finally:
            conn.close()

    def tables(self, url):
        if self.dialect == "sqlite":
            return sorted(self.rows(url, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                         "AND name NOT LIKE 'sqlite_%'"))
        return sorted(self.rows(url, "SELECT table_name FROM information_schema.tables "
                                     "WHERE table_schema = 'public'"))

    def dump(self, url):
        """Tables (but the tools' own), their columns, indexes and rows."""
        conn = self._connect(url)
        try:
            cur = conn.cursor()
            out = []
            for t in self.tables(url):
                if t in TOOL_TABLES:
                    continue
                if self.dialect == "sqlite":
                    cur.execute("PRAGMA table_info(\"%s\")" % t)
                    cols = [(r[1], r[2].upper(), r[3], r[4], r[5]) for r in cur.fetchall()]
                    cur.execute("PRAGMA index_list(\"%s\")" % t)
                    idx = []
                    for r in cur.fetchall():
                        if r[1].startswith("sqlite_autoindex"):
                            continue
                        cur.execute("PRAGMA index_info(\"%s\")" % r[1])
                        idx.append((r[1], r[2], [c[2] for c in cur.fetchall()]))
                    idx.sort()
                else:
                    cur.execute("SELECT column_name, data_type, is_nullable, column_default "
                                "FROM information_schema.columns WHERE table_schema = 'public' "
                                "AND table_name = %s ORDER BY ordinal_position", (t,))
                    cols = cur.fetchall()
                    cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE "
                                "schemaname = 'public' AND tablename = %s ORDER BY 1", (t,))
                    idx = cur.fetchall()
                # By column name: branches applied in another order add
                # their columns in another order, which is no difference.
                cols = sorted(cols)
                names = ", ".join('"%s"' % c[0] for c in cols)
                cur.execute("SELECT %s FROM \"%s\" ORDER BY \"id\"" % (names, t))
                rows = [tuple(str(v) for v in r) for r in cur.fetchall()]
                out.append((t, cols, idx, rows))
            return {"tables": out}
        finally:
            conn.close()

    def close(self):
        if self.admin is not None:
            with self.admin.cursor() as c:
                for name in self.created:
                    c.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
            self.admin.close()


def main(doc, work_prefix, default_rounds, check_refusals, run_round, summary):
    """The command line and the loop of an import test: `check_refusals(args,
    work)` once, then `run_round(seed, args, work)` for `--rounds` seeds from
    `--seed` (random by default), each returning how many revisions it
    made. `summary` is formatted with (rounds, revisions, first seed, last
    seed, dialect). Returns the exit status."""
    global MIGRATE
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--migrate", required=True)
    ap.add_argument("--dialect", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--rounds", type=int, default=default_rounds)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    MIGRATE = os.path.abspath(args.migrate)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    work = tempfile.mkdtemp(prefix=work_prefix)
    total = 0
    try:
        check_refusals(args, work)
        for k in range(args.rounds):
            total += run_round(seed + k, args, work)
    except Failure as e:
        print("FAILED (first seed %d; rerun with --seed N --rounds 1 --keep): %s" % (seed, e))
        print("work folder:", work)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(summary % (args.rounds, total, seed, seed + args.rounds - 1, args.dialect))
    return 0
