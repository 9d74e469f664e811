#!/usr/bin/python3
"""`migrate import flyway` on real databases, with hand-made Flyway files.

Flyway itself is not installed here, so what it would do is done by hand,
as its documentation describes: the V<version>__<description>.sql files run
in version order (versions compare part by part as numbers: 1 < 1.1 < 1_2 <
2 < 10), each recorded as a row of a flyway_schema_history table with
Flyway's real columns. Each round makes a random chain of versions, spelled
in Flyway's ways (dots, underscores, leading zeros), with an undo file
U<version>__...sql for each, spread over subfolders in random order. Then:

  1. `migrate import flyway` gives a chain in version order (`history`).
  2. The files run by hand ("Flyway") and `migrate upgrade heads` build the
     same schema and rows; the undo files run by hand in reverse and
     `migrate downgrade base` leave the same (nothing).
  3. A database "Flyway" took to version k (sometimes through a BASELINE
     row) is adopted (`import flyway DIR --adopt URL`), carried to heads by
     migrate, and ends equal to the full run.

Once per run: a missing undo file gives a marked, empty downgrade; R__ files
are reported and skipped; a ${placeholder} is reported and is a lint error;
adopt refuses a failed row, a version without a file, versions applied out
of order, and a database migrate already records.

Usage: import_flyway_test.py --migrate PATH [--dialect sqlite|postgresql]
       [--seed N] [--rounds N] [--keep]
"""

import json
import os
import random
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import import_support as sup  # noqa: E402

# Flyway's table; only the default of installed_on is written per dialect.
HISTORY_DDL = {
    dialect: """CREATE TABLE flyway_schema_history (
    installed_rank INT NOT NULL PRIMARY KEY,
    version VARCHAR(50),
    description VARCHAR(200) NOT NULL,
    type VARCHAR(20) NOT NULL,
    script VARCHAR(1000) NOT NULL,
    checksum INT,
    installed_by VARCHAR(100) NOT NULL,
    installed_on %s,
    execution_time INT NOT NULL,
    success BOOLEAN NOT NULL)""" % installed_on
    for dialect, installed_on in (
        ("postgresql", "TIMESTAMP NOT NULL DEFAULT now()"),
        ("sqlite", "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now'))"))
}


class Migration:
    def __init__(self, key, spelled, description, up, down):
        self.key = key            # numeric parts
        self.spelled = spelled    # as in the file name
        self.description = description
        self.up = up
        self.down = down

    @property
    def rev_id(self):
        return "V" + self.spelled.replace(".", "_")

    @property
    def history_version(self):
        return self.spelled.replace("_", ".")


def make_chain(rng):
    count = rng.randint(3, 9)
    keys, key = [], [1]
    for _ in range(count):
        keys.append(list(key))
        step = rng.random()
        if step < 0.3:
            key = key + [1]                                # 1 -> 1.1
        elif step < 0.6:
            key = key[:-1] + [key[-1] + rng.randint(1, 9)]  # 1.1 -> 1.2, 2 -> 10
        else:
            key = [key[0] + 1]                             # 1.2 -> 2
    migrations, tables = [], []
    for k, parts in enumerate(keys):
        spelled = ""
        for i, p in enumerate(parts):
            text = ("0" if rng.random() < 0.15 else "") + str(p)
            spelled += (rng.choice([".", "_"]) if i else "") + text
        if tables and rng.random() < 0.4:
            t = rng.choice(tables)
            col = "c%d" % k
            up = ("ALTER TABLE %s ADD COLUMN %s varchar(20) DEFAULT 'v%d';\n"
                  "UPDATE %s SET %s = 'set %d' WHERE id = 1;\n" % (t, col, k, t, col, k))
            down = "ALTER TABLE %s DROP COLUMN %s;\n" % (t, col)
            desc = "add_%s_to_%s" % (col, t)
        else:
            t = "f%d" % k
            tables.append(t)
            up = ("-- version %s\nCREATE TABLE %s (id integer PRIMARY KEY, note varchar(40) NOT "
                  "NULL);\nCREATE INDEX %s_note ON %s (note);\nINSERT INTO %s VALUES (1, "
                  "'it''s %d'), (2, '50%%; not a statement end');\n" % (spelled, t, t, t, t, k))
            down = "DROP INDEX %s_note;\nDROP TABLE %s;\n" % (t, t)
            desc = "create_%s" % t
        migrations.append(Migration(parts, spelled, desc, up, down))
    return migrations


def write_flyway_dir(root, migrations, rng, undo=True):
    folders = ["", "a", "a/b", "z"]
    for m in migrations:
        sub = os.path.join(root, rng.choice(folders))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "V%s__%s.sql" % (m.spelled, m.description)), "w") as f:
            f.write(m.up)
        if undo:
            sub = os.path.join(root, rng.choice(folders))
            os.makedirs(sub, exist_ok=True)
            with open(os.path.join(sub, "U%s__%s.sql" % (m.spelled, m.description)), "w") as f:
                f.write(m.down)


def split_sql(text):
    """The hand-made files' statements: one per line ending with ';'."""
    stmts, cur = [], ""
    for line in text.splitlines():
        if line.startswith("--"):
            continue
        cur += line + "\n"
        if line.rstrip().endswith(";"):
            stmts.append(cur.strip().rstrip(";"))
            cur = ""
    return stmts


def flyway_migrate(dbs, url, migrations, upto=None, baseline=None):
    """What `flyway migrate` does: each file in version order, one history row
    each. With `baseline` (an index), versions up to it are taken as there
    (their SQL is run here only to build the schema) and one BASELINE row
    says so, as `flyway baseline` on an existing database."""
    stmts = [HISTORY_DDL[dbs.dialect]]
    rank = 0
    upto = len(migrations) if upto is None else upto
    for i, m in enumerate(migrations[:upto]):
        stmts += split_sql(m.up)
        if baseline is not None and i < baseline:
            continue
        rank += 1
        if baseline is not None and i == baseline:
            stmts.append("INSERT INTO flyway_schema_history (installed_rank, version, "
                         "description, type, script, checksum, installed_by, execution_time, "
                         "success) VALUES (%d, '%s', '<< Flyway Baseline >>', 'BASELINE', "
                         "'<< Flyway Baseline >>', NULL, 'ops', 0, TRUE)"
                         % (rank, m.history_version))
            continue
        stmts.append("INSERT INTO flyway_schema_history (installed_rank, version, description, "
                     "type, script, checksum, installed_by, execution_time, success) VALUES "
                     "(%d, '%s', '%s', 'SQL', 'V%s__%s.sql', %d, 'ops', 12, TRUE)"
                     % (rank, m.history_version, m.description.replace("_", " "), m.spelled,
                        m.description, 1000 + rank))
    dbs.execute(url, stmts)


def run_round(seed, args, work):
    rng = random.Random(seed)
    migrations = make_chain(rng)
    root = os.path.join(work, "round%d" % seed)
    os.makedirs(root)
    dbs = sup.Databases(args.dialect, root)

    def fail(msg):
        raise sup.Failure("seed %d (%s): versions %s\n  %s" % (
            seed, args.dialect, [m.spelled for m in migrations], msg))

    fly_dir = os.path.join(root, "flyway", "sql")
    write_flyway_dir(fly_dir, migrations, rng)
    url_f, url_m, url_h = dbs.new(), dbs.new(), dbs.new()
    migrate_dir = os.path.join(root, "migrate_project")
    sup.init_migrate_project(migrate_dir, url_m)
    code, out, err = sup.run_migrate(migrate_dir, ["import", "flyway", fly_dir])
    if code != 0 or err:
        fail("import: exit %d\n%s%s" % (code, out, err))
    code, out, err = sup.run_migrate(migrate_dir, ["history", "--json"])
    got = [(r["revision"], r["down_revisions"], r["message"])
           for r in reversed(json.loads(out)["revisions"])]
    want = [(m.rev_id, [migrations[i - 1].rev_id] if i else [], m.description.replace("_", " "))
            for i, m in enumerate(migrations)]
    if got != want:
        fail("history (oldest first): %s, expected %s" % (got, want))

    flyway_migrate(dbs, url_f, migrations)
    code, out, err = sup.run_migrate(migrate_dir, ["upgrade", "heads"])
    if code != 0:
        fail("upgrade heads: " + err)
    at_heads = dbs.dump(url_f)
    if dbs.dump(url_m) != at_heads:
        fail("after upgrade: Flyway %s\n  migrate %s" % (at_heads, dbs.dump(url_m)))
    undo = [s for m in reversed(migrations) for s in split_sql(m.down)]
    dbs.execute(url_f, undo)
    code, out, err = sup.run_migrate(migrate_dir, ["downgrade", "base"])
    if code != 0:
        fail("downgrade base: " + err)
    if dbs.dump(url_m) != dbs.dump(url_f) or dbs.dump(url_m)["tables"]:
        fail("after downgrade: Flyway %s, migrate %s" % (dbs.dump(url_f), dbs.dump(url_m)))

    k = rng.randint(1, len(migrations))
    baseline = rng.randrange(k) if rng.random() < 0.4 else None
    flyway_migrate(dbs, url_h, migrations, upto=k, baseline=baseline)
    before = dbs.dump(url_h)
    code, out, err = sup.run_migrate(migrate_dir, ["import", "flyway", fly_dir, "--adopt", url_h])
    if code != 0 or "adopting only" not in out:
        fail("adopt at %d (baseline %s): exit %d\n%s%s" % (k, baseline, code, out, err))
    if dbs.rows(url_h, "SELECT version_num FROM migrate_version") != [migrations[k - 1].rev_id]:
        fail("adopted %s, expected %s" % (
            dbs.rows(url_h, "SELECT version_num FROM migrate_version"), migrations[k - 1].rev_id))
    if dbs.dump(url_h) != before:
        fail("adopt changed the schema or rows")
    code, out, err = sup.run_migrate(migrate_dir, ["--url", url_h, "upgrade", "heads"])
    if code != 0:
        fail("upgrade after adopt: " + err)
    if dbs.dump(url_h) != at_heads:
        fail("adopted at %d and upgraded: %s\n  Flyway: %s" % (k, dbs.dump(url_h), at_heads))
    dbs.close()
    return len(migrations)


def expect(cond, what, code, out, err):
    if not cond:
        raise sup.Failure("%s: exit %d\n%s%s" % (what, code, out, err))


def check_refusals(args, work):
    root = os.path.join(work, "refusals")
    os.makedirs(root)
    dbs = sup.Databases(args.dialect, root)
    rng = random.Random(7)
    migrations = [
        Migration([1], "1", "create_a", "CREATE TABLE a (id integer PRIMARY KEY);\n",
                  "DROP TABLE a;\n"),
        Migration([1, 1], "1.1", "seed_a", "INSERT INTO a VALUES (1);\n", ""),
        Migration([2], "2", "create_b", "CREATE TABLE b (id integer PRIMARY KEY);\n",
                  "DROP TABLE b;\n"),
    ]
    fly_dir = os.path.join(root, "sql")
    write_flyway_dir(fly_dir, migrations, rng, undo=False)
    with open(os.path.join(fly_dir, "R__views.sql"), "w") as f:
        f.write("CREATE VIEW v AS SELECT 1;\n")
    with open(os.path.join(fly_dir, "V3__owner.sql"), "w") as f:
        f.write("-- set the owner\nINSERT INTO a VALUES (${owner_id});\n")
    url = dbs.new()
    migrate_dir = os.path.join(root, "migrate_project")
    sup.init_migrate_project(migrate_dir, url)
    code, out, err = sup.run_migrate(migrate_dir, ["import", "flyway", fly_dir])
    expect(code == 0 and "R__views.sql" in err and "repeatable" in err and
           "V3 upgrade: not converted" in err and "${owner_id}" in err, "import", code, out, err)
    text = open(sup.revision_file(migrate_dir, "V1")).read()
    expect("no undo file" in text, "V1 without an undo file:\n" + text, code, out, err)
    text = open(sup.revision_file(migrate_dir, "V3")).read()
    expect("-- migrate:not-converted" in text and "${owner_id}" in text, "V3:\n" + text, code,
           out, err)
    code, out, err = sup.run_migrate(migrate_dir, ["lint", "--all"])
    expect(code == 1 and "not-converted" in out and "V3" in out, "lint", code, out, err)
    code, out, err = sup.run_migrate(migrate_dir, ["upgrade", "heads"])
    expect(code == 1 and "not-converted" in out + err, "upgrade over V3", code, out, err)
    code, out, err = sup.run_migrate(migrate_dir, ["upgrade", "V2"])
    expect(code == 0, "upgrade V2", code, out, err)
    code, out, err = sup.run_migrate(migrate_dir, ["downgrade", "base"])
    expect(code == 0, "downgrade base over empty downgrades", code, out, err)
    expect(dbs.tables(url) == sorted(["a", "b", "migrate_history", "migrate_version"]),
           "downgrade base left %s" % dbs.tables(url), code, out, err)

    def adopt_refused(setup, want, label):
        u = dbs.new()
        flyway_migrate(dbs, u, migrations, upto=0)
        dbs.execute(u, setup)
        code, out, err = sup.run_migrate(migrate_dir, ["import", "flyway", fly_dir, "--adopt", u])
        expect(code == 1 and want in err, label, code, out, err)
        expect("migrate_version" not in dbs.tables(u), label + ": tables left", code, out, err)

    row = ("INSERT INTO flyway_schema_history (installed_rank, version, description, type, "
           "script, checksum, installed_by, execution_time, success) VALUES "
           "(%d, %s, 'x', '%s', 'x.sql', 1, 'ops', 1, %s)")
    adopt_refused([row % (1, "'1'", "SQL", "TRUE"), row % (2, "'1.1'", "SQL", "FALSE")],
                  "failed migration", "a failed row")
    adopt_refused([row % (1, "'1'", "SQL", "TRUE"), row % (2, "'1.5'", "SQL", "TRUE")],
                  "version 1.5", "a version without a file")
    adopt_refused([row % (1, "'1'", "SQL", "TRUE"), row % (2, "'2'", "SQL", "TRUE")],
                  "out of order", "a gap")
    code, out, err = sup.run_migrate(migrate_dir, ["import", "flyway", fly_dir, "--adopt", url])
    expect(code == 1 and "cannot read flyway_schema_history" in err, "no Flyway table", code,
           out, err)
    dbs.close()


if __name__ == "__main__":
    sys.exit(sup.main(
        __doc__, "migrate-flyway-", 8, check_refusals, run_round,
        "ok: %d random Flyway chains (%d versions, seeds %d..%d) imported, upgraded, "
        "downgraded and adopted on %s like Flyway; refusals checked"))
