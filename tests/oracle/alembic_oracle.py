#!/usr/bin/python3
"""Differential test of `migrate` against Alembic, the reference for the
revision graph's semantics.

Each round builds a random revision graph (bases, branches, merges, branch
labels, depends_on), writes it both as an Alembic project and as a `migrate`
project over two SQLite files, then drives both through the same random
sequence of upgrade / downgrade / stamp commands. After each command it
compares:

  - the outcome: both succeed or both fail;
  - the version table: alembic_version rows vs migrate_version rows;
  - the steps executed: every revision's upgrade and downgrade appends
    (rev, direction) to a `steps` table, so the order is compared too;
  - what `current` shows (Alembic's ScriptDirectory.get_all_current: the
    stored heads plus revisions applied only as a dependency), as a set,
    since Alembic returns one.

Alembic runs in-process (alembic.command with a Config), which is far faster
than starting `python3 -m alembic` for every command; `migrate` runs as the
real binary. On a mismatch the seed, the graph, the commands so far and the
difference are printed; rerun one round with --seed N --rounds 1 --keep to
get both projects on disk (each holds an alembic.ini, so `python3 -m alembic`
works there too).

Alembic's own nondeterminism is kept out of the comparison by construction:
revision files are listed in sorted order (Alembic uses os.listdir order,
and `migrate` sorts), and no revision has more than one dependency (Alembic
orders several through a Python set).

Usage: alembic_oracle.py --migrate PATH [--seed N] [--rounds N] [--commands N]
"""

import argparse
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import warnings

sys.dont_write_bytecode = True
warnings.simplefilter("ignore")

from alembic import command, util  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.script.base import Script  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402

# Alembic lists version files in os.listdir order, which is the file
# system's; `migrate` sorts them. Sorting here makes both traverse in the
# same order.
_list_py_dir = Script._list_py_dir.__func__
Script._list_py_dir = classmethod(lambda cls, sd, path: sorted(_list_py_dir(cls, sd, path)))

STEPS_DDL = "CREATE TABLE steps (seq INTEGER PRIMARY KEY, rev TEXT NOT NULL, dir TEXT NOT NULL)"


def step_sql(rev, direction):
    return ("INSERT INTO steps (seq, rev, dir) VALUES "
            "((SELECT COALESCE(MAX(seq), 0) + 1 FROM steps), '%s', '%s')" % (rev, direction))


# ---------------------------------------------------------------- the graph

class Revision:
    def __init__(self, rev_id, down, labels, deps, below):
        self.id = rev_id
        self.down = down      # list of ids
        self.labels = labels  # list of labels
        self.deps = deps      # list of ids or labels (at most one)
        self.below = below    # ids of all ancestors (dependencies included) and itself

    def describe(self):
        parts = [self.id, "down=" + (",".join(self.down) or "base")]
        if self.labels:
            parts.append("labels=" + ",".join(self.labels))
        if self.deps:
            parts.append("depends_on=" + ",".join(self.deps))
        return " ".join(parts)


def make_graph(rng):
    """A random history shaped like real ones: mostly a line, with branches
    (often labelled), merges of two heads, a second base now and then, and
    cross-branch dependencies."""
    count = rng.randint(3, 12)
    revs = []
    ancestors = {}  # id -> set of ancestor ids (with itself), for sane choices
    heads = []
    label_no = 0
    used = set()
    for k in range(count):
        while True:
            rev_id = "%012x" % rng.getrandbits(48)
            # Distinct first four characters keep every 4-char prefix unique.
            if rev_id[:4] not in used:
                used.add(rev_id[:4])
                break
        if not revs or rng.random() < 0.1:
            down = []
        elif len(heads) >= 2 and rng.random() < 0.2:
            down = rng.sample(heads, 2)  # heads are never ancestors of each other
        elif rng.random() < 0.6:
            down = [rng.choice(heads)]
        else:
            down = [rng.choice(revs).id]  # a branch point
        below = set().union(*[ancestors[d] for d in down]) if down else set()
        deps = []
        if revs and rng.random() < 0.2:
            # A dependency that is not already an ancestor: Alembic would
            # otherwise try to merge away a version row that is not there.
            choices = [r for r in revs if r.id not in below]
            if choices:
                target = rng.choice(choices)
                deps = [rng.choice(target.labels)] if target.labels and rng.random() < 0.5 \
                    else [target.id]
        labels = []
        if rng.random() < 0.25:
            label_no += 1
            labels = ["br%d" % label_no]
        dep_ids = [d if d in ancestors else next(r.id for r in revs if d in r.labels) for d in deps]
        ancestors[rev_id] = {rev_id}.union(below, *[ancestors[d] for d in dep_ids])
        revs.append(Revision(rev_id, down, labels, deps, ancestors[rev_id]))
        heads = [h for h in heads if h not in down] + [rev_id]
    rng.shuffle(revs)  # files are written in random order; both tools sort
    return revs


def write_alembic_project(root, revs):
    os.makedirs(os.path.join(root, "versions"))
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %s\nsqlalchemy.url = sqlite:///%s\n"
                % (root, os.path.join(root, "a.db")))
    with open(os.path.join(root, "env.py"), "w") as f:
        f.write(
            "from alembic import context\n"
            "from sqlalchemy import create_engine\n"
            "engine = create_engine(context.config.get_main_option('sqlalchemy.url'))\n"
            "with engine.connect() as connection:\n"
            "    context.configure(connection=connection, transaction_per_migration=True)\n"
            "    with context.begin_transaction():\n"
            "        context.run_migrations()\n"
            "engine.dispose()\n")
    for r in revs:
        def tup(values):
            if not values:
                return "None"
            return "(" + ", ".join(repr(v) for v in values) + ",)"
        down = tup(r.down) if len(r.down) != 1 else repr(r.down[0])
        with open(os.path.join(root, "versions", "%s_step.py" % r.id), "w") as f:
            f.write(
                "from alembic import op\n"
                "revision = %r\n"
                "down_revision = %s\n"
                "branch_labels = %s\n"
                "depends_on = %s\n\n"
                "def upgrade():\n    op.execute(%r)\n\n"
                "def downgrade():\n    op.execute(%r)\n"
                % (r.id, down, tup(r.labels), tup(r.deps),
                   step_sql(r.id, "up"), step_sql(r.id, "down")))


def write_migrate_project(root, revs):
    os.makedirs(os.path.join(root, "migrations", "versions"))
    with open(os.path.join(root, "migrate.yaml"), "w") as f:
        f.write("script_location: migrations\ndatabase_url: sqlite:///m.db\n")

    def yaml_list(values):
        return "[" + ", ".join(values) + "]"
    for r in revs:
        down = "null" if not r.down else (r.down[0] if len(r.down) == 1 else yaml_list(r.down))
        with open(os.path.join(root, "migrations", "versions", "%s_step.sql" % r.id), "w") as f:
            f.write(
                "-- revision: %s\n-- down_revision: %s\n-- branch_labels: %s\n"
                "-- depends_on: %s\n-- message: step\n\n"
                "-- migrate:upgrade\n%s;\n\n-- migrate:downgrade\n%s;\n"
                % (r.id, down, yaml_list(r.labels), yaml_list(r.deps),
                   step_sql(r.id, "up"), step_sql(r.id, "down")))


# ---------------------------------------------------------------- commands

def make_command(rng, revs, current):
    """One command, as (verb, [arguments]). Targets lean towards ones that
    make sense from `current`, but invalid ones are welcome too: both tools
    must then refuse."""
    ids = [r.id for r in revs]
    labels = [l for r in revs for l in r.labels]
    rid = lambda: rng.choice(ids)  # noqa: E731

    def unrelated_pair():
        # Stamping several revisions is for several branches; on one line
        # Alembic crashes (KeyError / AssertionError in HeadMaintainer).
        pairs = [(a.id, b.id) for a in revs for b in revs
                 if a.id < b.id and a.id not in b.below and b.id not in a.below]
        return list(rng.choice(pairs)) if pairs else [rid()]
    choices = [
        (3, lambda: ("upgrade", ["heads"])),
        (3, lambda: ("upgrade", [rid()])),
        (1, lambda: ("upgrade", [rid()[:rng.randint(4, 8)]])),
        (2, lambda: ("upgrade", ["+1"])),
        (1, lambda: ("upgrade", ["+2"])),
        (1, lambda: ("upgrade", ["head"])),
        (1, lambda: ("upgrade", [rid() + "@head"])),
        (1, lambda: ("upgrade", [rid() + "+1"])),
        (1, lambda: ("upgrade", ["base+1"])),
        (2, lambda: ("downgrade", [rid()])),
        (1, lambda: ("downgrade", ["base"])),
        (1, lambda: ("downgrade", [rid() + "-1"])),
        (1, lambda: ("stamp", [rid()])),
        (1, lambda: ("stamp", ["heads"])),
        (1, lambda: ("stamp", ["base"])),
        (1, lambda: ("stamp", unrelated_pair())),
        (1, lambda: ("stamp", ["--purge", rid()])),
    ]
    # migrate reads the version table in storage order, as Alembic does, so
    # `-N` with several stored heads counts from the same first row.
    choices.append((2, lambda: ("downgrade", ["-1"])))
    choices.append((1, lambda: ("downgrade", ["-2"])))
    if current:
        choices.append((2, lambda: ("downgrade", [rng.choice(current)])))
        choices.append((1, lambda: ("downgrade", [rng.choice(current) + "-1"])))
    if labels:
        lab = lambda: rng.choice(labels)  # noqa: E731
        choices += [
            (2, lambda: ("upgrade", [lab() + "@head"])),
            (1, lambda: ("upgrade", [lab() + "@+1"])),
            (1, lambda: ("upgrade", [lab()])),
            (1, lambda: ("downgrade", [lab() + "@base"])),
            (1, lambda: ("downgrade", [lab() + "@-1"])),
            (1, lambda: ("stamp", [lab() + "@head"])),
        ]
    total = sum(w for w, _ in choices)
    pick = rng.uniform(0, total)
    for weight, make in choices:
        pick -= weight
        if pick <= 0:
            return make()
    return choices[-1][1]()


class AlembicCrashed(Exception):
    pass


def run_alembic(root, verb, args):
    """Returns (ok, error text). Raises AlembicCrashed for an internal error
    (an exception other than CommandError), after which its database may
    hold half a command."""
    cfg = Config(os.path.join(root, "alembic.ini"))
    purge = "--purge" in args
    targets = [a for a in args if a != "--purge"]
    try:
        if verb == "upgrade":
            command.upgrade(cfg, targets[0])
        elif verb == "downgrade":
            command.downgrade(cfg, targets[0])
        else:
            command.stamp(cfg, targets, purge=purge)
        return True, ""
    except util.CommandError as e:
        return False, "%s: %s" % (type(e).__name__, e)
    except Exception as e:  # noqa: BLE001
        raise AlembicCrashed("%s: %s" % (type(e).__name__, e))


def run_migrate(binary, root, verb, args):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("MIGRATE_CONFIG", None)
    # `--` keeps a target such as -1 from being read as an option.
    argv = [binary, "-c", os.path.join(root, "migrate.yaml"), verb]
    argv += [a for a in args if a.startswith("--")] + ["--"] + [a for a in args if not a.startswith("--")]
    p = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True, timeout=60)
    return p.returncode == 0, (p.stderr or p.stdout).strip(), p.returncode


def alembic_current(root, rows):
    script = ScriptDirectory.from_config(Config(os.path.join(root, "alembic.ini")))
    return sorted(r.revision for r in script.get_all_current(tuple(rows)))


def migrate_current(binary, root):
    import json
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("MIGRATE_CONFIG", None)
    p = subprocess.run([binary, "-c", os.path.join(root, "migrate.yaml"), "current", "--json"],
                       cwd=root, env=env, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        return "failed: " + (p.stderr or p.stdout).strip()
    return sorted(r["revision"] for r in json.loads(p.stdout)["current"])


def read_db(path, version_table):
    con = sqlite3.connect(path)
    try:
        steps = con.execute("SELECT seq, rev, dir FROM steps ORDER BY seq").fetchall()
        try:
            rows = sorted(r[0] for r in con.execute("SELECT version_num FROM %s" % version_table))
        except sqlite3.OperationalError:
            rows = []  # not created yet
        return steps, rows
    finally:
        con.close()


# ---------------------------------------------------------------- a round

class Mismatch(Exception):
    pass


def run_round(seed, args, workdir):
    rng = random.Random(seed)
    revs = make_graph(rng)
    a_root = os.path.join(workdir, "alembic")
    m_root = os.path.join(workdir, "migrate")
    write_alembic_project(a_root, revs)
    write_migrate_project(m_root, revs)
    a_db, m_db = os.path.join(a_root, "a.db"), os.path.join(m_root, "m.db")
    for db in (a_db, m_db):
        con = sqlite3.connect(db)
        con.execute(STEPS_DDL)
        con.commit()
        con.close()

    history = []
    a_seen = m_seen = 0
    current = []
    a_steps_before = []
    for _ in range(args.commands):
        verb, cmd_args = make_command(rng, revs, current)
        history.append("%s %s" % (verb, " ".join(cmd_args)))
        if verb == "downgrade" and re.fullmatch(r"-\d+", cmd_args[0]) and len(current) > 1:
            # Alembic counts from the first stored head and warns that this
            # "will be disallowed"; migrate refuses it and names the branches.
            # Alembic is not asked, so both databases stay where they are.
            m_ok, m_err, m_code = run_migrate(args.migrate, m_root, verb, cmd_args)
            if m_ok or m_code != 1 or "is ambiguous" not in m_err:
                raise Mismatch("MISMATCH in round with seed %d after: %s\n  migrate should "
                               "refuse -N from %d stored heads: exit %d, %s" % (
                                   seed, history[-1], len(current), m_code, m_err))
            continue
        try:
            a_ok, a_err = run_alembic(a_root, verb, cmd_args)
        except AlembicCrashed as crash:
            # A crash while planning changed nothing and counts as a refusal;
            # one halfway through leaves nothing to compare against, and the
            # round ends.
            if read_db(a_db, "alembic_version") != (a_steps_before, current):
                return len(history), "seed %d: alembic crashed on '%s' (%s)" % (
                    seed, history[-1], crash)
            a_ok, a_err = False, "crashed: %s" % crash
        m_ok, m_err, m_code = run_migrate(args.migrate, m_root, verb, cmd_args)
        a_steps, a_rows = read_db(a_db, "alembic_version")
        m_steps, m_rows = read_db(m_db, "migrate_version")
        a_steps_before = a_steps
        a_new = [(r, d) for _, r, d in a_steps[a_seen:]]
        m_new = [(r, d) for _, r, d in m_steps[m_seen:]]
        a_seen, m_seen = len(a_steps), len(m_steps)
        problems = []
        if a_ok != m_ok:
            problems.append("outcome: alembic %s, migrate %s (exit %d)" % (
                "succeeded" if a_ok else "failed: " + a_err,
                "succeeded" if m_ok else "failed: " + m_err, m_code))
        elif not m_ok and m_code != 1:
            problems.append("migrate failed with exit %d, not 1: %s" % (m_code, m_err))
        if a_new != m_new:
            problems.append("steps run:\n      alembic: %s\n      migrate: %s" % (
                " ".join("%s%s" % ("+" if d == "up" else "-", r) for r, d in a_new) or "(none)",
                " ".join("%s%s" % ("+" if d == "up" else "-", r) for r, d in m_new) or "(none)"))
        if a_rows != m_rows:
            problems.append("version table:\n      alembic_version: %s\n      migrate_version: %s"
                            % (a_rows, m_rows))
        else:
            a_cur = alembic_current(a_root, a_rows)
            m_cur = migrate_current(args.migrate, m_root)
            if a_cur != m_cur:
                problems.append("current:\n      alembic: %s\n      migrate: %s" % (a_cur, m_cur))
        if problems:
            raise Mismatch("\n".join([
                "MISMATCH in round with seed %d after: %s" % (seed, history[-1]),
                "  graph (%d revisions):" % len(revs)] +
                ["    " + r.describe() for r in sorted(revs, key=lambda r: r.id)] +
                ["  commands: " + " | ".join(history),
                 "  alembic: " + ("ok" if a_ok else a_err),
                 "  migrate: " + ("ok" if m_ok else m_err)] +
                ["  " + p for p in problems] +
                ["  rerun: %s --migrate %s --seed %d --rounds 1 --keep" % (
                    sys.argv[0], args.migrate, seed)]))
        current = a_rows
    return len(history), None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--migrate", required=True, help="the migrate binary")
    parser.add_argument("--seed", type=int, default=None,
                        help="first round's seed (default: from $ORACLE_SEED, else 1)")
    parser.add_argument("--rounds", type=int, default=30, help="random graphs to try")
    parser.add_argument("--commands", type=int, default=6, help="commands per graph")
    parser.add_argument("--keep", action="store_true", help="keep the projects on disk")
    args = parser.parse_args()
    if not os.access(args.migrate, os.X_OK):
        print("not an executable: %s" % args.migrate, file=sys.stderr)
        return 2
    args.migrate = os.path.abspath(args.migrate)
    first = args.seed if args.seed is not None else int(os.environ.get("ORACLE_SEED", "1"))

    started = time.time()
    passed = failed = commands = 0
    crashes = []
    for seed in range(first, first + args.rounds):
        workdir = tempfile.mkdtemp(prefix="migrate-oracle-%d-" % seed)
        try:
            ran, crash = run_round(seed, args, workdir)
            commands += ran
            passed += 1
            if crash:
                crashes.append(crash)
        except Mismatch as m:
            failed += 1
            print(m, file=sys.stderr)
            print("  projects: %s" % workdir if args.keep else "", file=sys.stderr)
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
            else:
                print("kept %s" % workdir)
    for crash in crashes:
        print("note: " + crash)
    print("%d passed, %d failed (%d commands each run through alembic and migrate, seeds %d-%d, "
          "%.1f s)" % (passed, failed, commands, first, first + args.rounds - 1,
                       time.time() - started))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
