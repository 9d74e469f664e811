#!/usr/bin/python3
"""`migrate import alembic` against Alembic itself, on real databases.

Each round builds a random revision graph (bases, branches, merges, branch
labels, depends_on: the differential oracle's generator) and writes it as an
Alembic project whose revisions use real operations: op.create_table,
op.create_index, op.add_column on an ancestor's table, op.bulk_insert,
op.execute, and their reverses. Then:

  1. `migrate import alembic` writes the project's revisions; `migrate heads`
     and `migrate history` (ids, parents, labels, dependencies, messages, in
     order) equal Alembic's ScriptDirectory.
  2. Alembic (`command.upgrade heads`) and migrate (`upgrade heads`) each
     build a database; schemas (tables, columns, indexes) and rows are equal.
     Then `downgrade base` on both: equal again (no table left but the
     tools' own).
  3. A third database is migrated by Alembic to a random revision, adopted
     (`import alembic DIR --adopt URL`: migrate's version rows equal
     alembic_version's, nothing ran) and carried to heads by `migrate
     upgrade heads`: its schema and rows equal Alembic's at heads.

And once per run: a revision that reads data through op.get_bind() is
written with the not-converted marker (lint error, upgrade refused, the
database untouched); adopt refuses an unknown revision and a database
migrate already records; without Alembic the message says how to get it.

Some graphs (depends_on across merges) make Alembic itself crash with a
KeyError in its version-table bookkeeping, as the differential oracle also
meets: such a round has no reference database; it checks migrate's alone
(each revision ran, downgrade base empties it) and says so on stdout.

The dialect is SQLite (files) or PostgreSQL (databases created on the
server of MIGRATE_TEST_PG_URL, dropped after).

Usage: import_alembic_test.py --migrate PATH [--dialect sqlite|postgresql]
       [--seed N] [--rounds N] [--keep]
"""

import json
import os
import random
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "oracle"))
sys.path.insert(0, HERE)
import alembic_oracle  # noqa: E402  (its graph generator; it sorts Alembic's file listing)
import import_support as sup  # noqa: E402

from alembic import command, util  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402


ENV_PY = """\
from alembic import context
from sqlalchemy import create_engine
engine = create_engine(context.config.get_main_option('sqlalchemy.url'))
with engine.connect() as connection:
    context.configure(connection=connection, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
"""


def revision_source(r, by_id):
    """A revision file with real operations: its own table (index, rows),
    and a column on the table of a revision below it."""
    def tup(values):
        return "None" if not values else "(" + ", ".join(repr(v) for v in values) + ",)"
    down = tup(r.down) if len(r.down) != 1 else repr(r.down[0])
    table = "t_" + r.id
    below = sorted(x for x in r.below if x != r.id)
    up, dn = [], []
    up.append("op.create_table(%r, sa.Column('id', sa.Integer, primary_key=True), "
              "sa.Column('name', sa.String(40), nullable=False), "
              "sa.Column('qty', sa.Integer, server_default='7'))" % table)
    up.append("op.create_index('ix_%s_name', %r, ['name'])" % (r.id, table))
    up.append("op.bulk_insert(sa.table(%r, sa.column('id', sa.Integer), sa.column('name', "
              "sa.String)), [{'id': 1, 'name': \"it's %s\"}, {'id': 2, 'name': '50%%'}])"
              % (table, r.id))
    up.append("op.execute(\"UPDATE %s SET qty = qty + 1 WHERE id = 2\")" % table)
    if below:
        other = "t_" + below[len(r.id) % len(below)]
        col = "c_" + r.id
        up.append("op.add_column(%r, sa.Column(%r, sa.String(20), server_default='x'))"
                  % (other, col))
        up.append("op.execute(\"UPDATE %s SET %s = 'set by %s' WHERE id = 1\")" % (other, col, r.id))
        dn.append("op.drop_column(%r, %r)" % (other, col))
    dn.append("op.drop_index('ix_%s_name', table_name=%r)" % (r.id, table))
    dn.append("op.drop_table(%r)" % table)
    return (
        '"""step %s of the graph\n\nRevision ID: %s\nRevises: %s\n'
        'Create Date: 2026-01-02 03:04:05.000000\n\n"""\n'
        "from alembic import op\nimport sqlalchemy as sa\n\n"
        "revision = %r\ndown_revision = %s\nbranch_labels = %s\ndepends_on = %s\n\n\n"
        "def upgrade():\n    %s\n\n\ndef downgrade():\n    %s\n"
        % (r.id, r.id, ", ".join(r.down), r.id, down, tup(r.labels), tup(r.deps),
           "\n    ".join(up), "\n    ".join(dn)))


def write_alembic_project(root, revs, url):
    os.makedirs(os.path.join(root, "alembic", "versions"))
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = alembic\nsqlalchemy.url = %s\n" % url)
    with open(os.path.join(root, "alembic", "env.py"), "w") as f:
        f.write(ENV_PY)
    by_id = {r.id: r for r in revs}
    for r in revs:
        with open(os.path.join(root, "alembic", "versions", "%s_step.py" % r.id), "w") as f:
            f.write(revision_source(r, by_id))


def alembic_config(root, url):
    cfg = Config(os.path.join(root, "alembic.ini"))
    cfg.set_main_option("script_location", os.path.join(root, "alembic"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def check_graph(fail, migrate_dir, script):
    """heads and history of migrate equal Alembic's."""
    code, out, err = sup.run_migrate(migrate_dir, ["heads", "--json"])
    if code != 0:
        fail("migrate heads failed: " + err)
    heads = sorted(h["revision"] for h in json.loads(out)["heads"])
    if heads != sorted(script.get_heads()):
        fail("heads differ: migrate %s, Alembic %s" % (heads, sorted(script.get_heads())))
    code, out, err = sup.run_migrate(migrate_dir, ["history", "--json"])
    if code != 0:
        fail("migrate history failed: " + err)
    mine = [(r["revision"], sorted(r["down_revisions"]), sorted(r["branch_labels"]),
             sorted(r["depends_on"]), r["message"]) for r in json.loads(out)["revisions"]]
    # `history --json` names a dependency by id; the file keeps a label as
    # written (Alembic's depends_on may name a branch label).
    label_of = {l: sc.revision for sc in script.walk_revisions() for l in sc._orig_branch_labels}
    theirs = []
    for sc in script.walk_revisions():
        theirs.append((sc.revision, sorted(sup.as_list(sc.down_revision)),
                       sorted(sc._orig_branch_labels),
                       sorted(label_of.get(d, d) for d in sup.as_list(sc.dependencies)),
                       sc.doc))
    for sc in script.walk_revisions():
        with open(sup.revision_file(migrate_dir, sc.revision)) as f:
            header = f.read().split("-- migrate:upgrade")[0]
        want = "-- depends_on: [%s]" % ", ".join(sup.as_list(sc.dependencies))
        if want not in header:
            fail("%s: the file's header should keep %r:\n%s" % (sc.revision, want, header))
    if mine != theirs:
        fail("history differs:\n  migrate: %s\n  Alembic: %s" % (mine, theirs))


def alembic_crash(run):
    """Runs an Alembic command; returns the text of an internal error of
    Alembic's (any exception but CommandError: e.g. the KeyError in
    HeadMaintainer._delete_version that some graphs with depends_on and
    merges bring out), else None. A CommandError is a refusal, and the
    generated graphs are all valid: it propagates and fails the test."""
    try:
        run()
        return None
    except util.CommandError:
        raise
    except Exception as e:  # noqa: BLE001
        return "%s: %s" % (type(e).__name__, e)


def run_round(seed, args, work):
    rng = random.Random(seed)
    revs = alembic_oracle.make_graph(rng)
    root = os.path.join(work, "round%d" % seed)
    os.makedirs(root)
    dbs = sup.Databases(args.dialect, root)

    def fail(msg):
        raise sup.Failure("seed %d (%s):\n  graph: %s\n  %s" % (
            seed, args.dialect, "; ".join(r.describe() for r in revs), msg))

    alembic_dir = os.path.join(root, "alembic_project")
    url_a, url_m, url_h = dbs.new(), dbs.new(), dbs.new()
    write_alembic_project(alembic_dir, revs, url_a)
    migrate_dir = os.path.join(root, "migrate_project")
    sup.init_migrate_project(migrate_dir, url_m)

    # 1. import; the graph as Alembic sees it
    code, out, err = sup.run_migrate(migrate_dir, ["import", "alembic", alembic_dir])
    if code != 0:
        fail("import failed (exit %d): %s %s" % (code, out, err))
    if "not converted" in err:
        fail("something was not converted: " + err)
    if len(os.listdir(os.path.join(migrate_dir, "migrations", "versions"))) != len(revs):
        fail("import wrote %s" % os.listdir(os.path.join(migrate_dir, "migrations", "versions")))
    script = ScriptDirectory.from_config(alembic_config(alembic_dir, url_a))
    check_graph(fail, migrate_dir, script)

    # 2. both tools build a database from nothing, then take it down again
    crash = alembic_crash(lambda: command.upgrade(alembic_config(alembic_dir, url_a), "heads"))
    code, out, err = sup.run_migrate(migrate_dir, ["upgrade", "heads"])
    if code != 0:
        fail("migrate upgrade heads failed: " + err)
    if crash:
        # Alembic has no database for this graph to compare with (the
        # oracle meets the same crashes: tests/oracle/alembic_oracle.py). What
        # can still be checked without it: every revision ran once, and
        # downgrade base takes every table away again.
        print("seed %d: Alembic itself crashed on upgrade heads (%s); migrate's "
              "database checked on its own" % (seed, crash))
        if len(dbs.dump(url_m)["tables"]) != len(revs):
            fail("expected %d tables, found %s" % (len(revs), dbs.dump(url_m)["tables"]))
        code, out, err = sup.run_migrate(migrate_dir, ["downgrade", "base"])
        if code != 0 or dbs.dump(url_m)["tables"]:
            fail("migrate downgrade base: exit %d %s, tables %s"
                 % (code, err, dbs.dump(url_m)["tables"]))
        dbs.close()
        return len(revs)
    at_heads = dbs.dump(url_a)
    if dbs.dump(url_m) != at_heads:
        fail("after upgrade heads the databases differ:\n  Alembic: %s\n  migrate: %s"
             % (at_heads, dbs.dump(url_m)))
    if len(at_heads["tables"]) != len(revs):
        fail("expected %d tables, found %s" % (len(revs), at_heads["tables"]))
    command.downgrade(alembic_config(alembic_dir, url_a), "base")
    code, out, err = sup.run_migrate(migrate_dir, ["downgrade", "base"])
    if code != 0:
        fail("migrate downgrade base failed: " + err)
    if dbs.dump(url_m) != dbs.dump(url_a) or dbs.dump(url_a)["tables"]:
        fail("after downgrade base: Alembic %s, migrate %s" % (dbs.dump(url_a), dbs.dump(url_m)))

    # 3. a database Alembic took half-way, adopted and finished by migrate
    target = rng.choice([r.id for r in revs])
    crash = alembic_crash(lambda: command.upgrade(alembic_config(alembic_dir, url_h), target))
    if crash:
        print("seed %d: Alembic itself crashed on upgrade %s (%s); nothing to adopt"
              % (seed, target, crash))
        dbs.close()
        return len(revs)
    stored = sorted(dbs.rows(url_h, "SELECT version_num FROM alembic_version"))
    before = dbs.dump(url_h)
    code, out, err = sup.run_migrate(migrate_dir, ["import", "alembic", alembic_dir,
                                                   "--adopt", url_h])
    if code != 0:
        fail("adopt failed (exit %d): %s %s" % (code, out, err))
    if "adopting only" not in out:
        fail("a second import should only adopt: " + out)
    mine = sorted(dbs.rows(url_h, "SELECT version_num FROM migrate_version"))
    if mine != stored:
        fail("adopted version rows %s, alembic_version %s" % (mine, stored))
    if dbs.dump(url_h) != before:
        fail("adopt changed the schema or rows")
    code, out, err = sup.run_migrate(migrate_dir, ["--url", url_h, "validate"])
    if code != 0 or "every one matches" not in out:
        fail("validate after adopt: exit %d %s %s" % (code, out, err))
    code, out, err = sup.run_migrate(migrate_dir, ["--url", url_h, "upgrade", "heads"])
    if code != 0:
        fail("upgrade heads after adopt failed: " + err)
    if dbs.dump(url_h) != at_heads:
        fail("adopted at %s and upgraded: %s, Alembic at heads: %s"
             % (target, dbs.dump(url_h), at_heads))
    dbs.close()
    return len(revs)


def check_refusals(args, work):
    """Not converted, adopt refusals, no Alembic."""
    root = os.path.join(work, "refusals")
    os.makedirs(root)
    dbs = sup.Databases(args.dialect, root)
    url = dbs.new()
    alembic_dir = os.path.join(root, "alembic_project")
    rev_a = alembic_oracle.Revision("a1a1a1a1a1a1", [], [], [], {"a1a1a1a1a1a1"})
    write_alembic_project(alembic_dir, [rev_a], url)
    with open(os.path.join(alembic_dir, "alembic", "versions", "b2_reads.py"), "w") as f:
        f.write('"""reads data"""\nfrom alembic import op\nimport sqlalchemy as sa\n'
                "revision = 'b2b2b2b2b2b2'\ndown_revision = 'a1a1a1a1a1a1'\n"
                "branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n"
                "    conn = op.get_bind()\n"
                "    n = conn.execute(sa.text('SELECT count(*) FROM t_a1a1a1a1a1a1')).scalar()\n"
                "    op.execute('UPDATE t_a1a1a1a1a1a1 SET qty = %d' % n)\n\n\n"
                "def downgrade():\n    pass\n")
    migrate_dir = os.path.join(root, "migrate_project")
    sup.init_migrate_project(migrate_dir, url)
    code, out, err = sup.run_migrate(migrate_dir, ["import", "alembic", alembic_dir])
    if code != 0 or "b2b2b2b2b2b2 upgrade: not converted" not in err or "get_bind" not in err \
            or "b2_reads.py:" not in err:
        raise sup.Failure("import of a data-reading revision: exit %d\n%s\n%s" % (code, out, err))
    text = open(sup.revision_file(migrate_dir, "b2b2b2b2b2b2")).read()
    for want in ("-- migrate:not-converted", "--       n = conn.execute(",
                 "SELECT migrate_not_converted"):
        if want not in text:
            raise sup.Failure("the placeholder lacks %r:\n%s" % (want, text))
    code, out, err = sup.run_migrate(migrate_dir, ["lint", "--all"])
    if code != 1 or "not-converted" not in out:
        raise sup.Failure("lint of the placeholder: exit %d\n%s%s" % (code, out, err))
    code, out, err = sup.run_migrate(migrate_dir, ["upgrade", "heads"])
    if code != 1 or "not-converted" not in out + err:
        raise sup.Failure("upgrade over the placeholder: exit %d\n%s%s" % (code, out, err))
    if dbs.dump(url)["tables"]:
        raise sup.Failure("a refused upgrade left tables: %s" % dbs.dump(url))
    # lint turned off: the placeholder's statement still fails, after the
    # first step committed.
    code, out, err = sup.run_migrate(migrate_dir, ["upgrade", "heads"],
                                     extra_config="lint_on_upgrade: off\n")
    if code != 1 or "migrate_not_converted" not in err:
        raise sup.Failure("upgrade with lint off: exit %d\n%s%s" % (code, out, err))
    if dbs.rows(url, "SELECT version_num FROM migrate_version") != ["a1a1a1a1a1a1"]:
        raise sup.Failure("the placeholder step was recorded")

    # adopt: an alembic_version row that is not imported; a database migrate records
    alien = dbs.new()
    dbs.execute(alien, ["CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
                        "INSERT INTO alembic_version VALUES ('ffffeeeedddd')"])
    code, out, err = sup.run_migrate(migrate_dir, ["import", "alembic", alembic_dir,
                                                   "--adopt", alien])
    if code != 1 or "ffffeeeedddd" not in err or "not among the imported" not in err:
        raise sup.Failure("adopt of an unknown revision: exit %d\n%s%s" % (code, out, err))
    if dbs.tables(alien) != ["alembic_version"]:
        raise sup.Failure("a refused adopt left tables: %s" % dbs.tables(alien))
    code, out, err = sup.run_migrate(migrate_dir, ["import", "alembic", alembic_dir,
                                                   "--adopt", url])
    if code != 1 or "already has 1 row" not in err:
        raise sup.Failure("adopt over migrate's own rows: exit %d\n%s%s" % (code, out, err))
    nothing = dbs.new()
    code, out, err = sup.run_migrate(migrate_dir, ["import", "alembic", alembic_dir,
                                                   "--adopt", nothing])
    if code != 1 or "cannot read alembic_version" not in err:
        raise sup.Failure("adopt without alembic_version: exit %d\n%s%s" % (code, out, err))

    # no Alembic: a Python that cannot import it
    fake = os.path.join(root, "python-without-alembic")
    with open(fake, "w") as f:
        f.write("#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n")
    os.chmod(fake, 0o755)
    other = os.path.join(root, "migrate_project2")
    sup.init_migrate_project(other, url)
    code, out, err = sup.run_migrate(other, ["import", "alembic", alembic_dir],
                                     env={"MIGRATE_PYTHON": fake})
    if code != 1 or "python3-alembic" not in err or "alembic" not in err.lower():
        raise sup.Failure("without Alembic: exit %d\n%s%s" % (code, out, err))
    if os.listdir(os.path.join(other, "migrations", "versions")):
        raise sup.Failure("without Alembic something was written")
    dbs.close()


if __name__ == "__main__":
    sys.exit(sup.main(
        __doc__, "migrate-import-", 6, check_refusals, run_round,
        "ok: %d random Alembic graphs (%d revisions, seeds %d..%d) imported, upgraded, "
        "downgraded and adopted on %s like Alembic; refusals checked"))
