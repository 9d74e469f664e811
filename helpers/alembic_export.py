#!/usr/bin/python3
"""Reads an Alembic project for `migrate import alembic` and prints it as JSON.

    alembic_export.py DIR --dialect sqlite|postgresql

DIR is an Alembic project: a folder holding alembic.ini (its script_location,
version_locations and prepend_sys_path are honoured, as `alembic` run in that
folder would), an alembic.ini file itself, or the script directory (env.py and
versions/).

Alembic itself reads the project: its ScriptDirectory loads every revision
file, and each revision's upgrade() and downgrade() run under an offline
MigrationContext (as_sql, as `alembic upgrade --sql` does) for the dialect,
so the SQL is what Alembic would emit. The project's env.py is never run: it
usually imports the application and connects to a database, and the SQL of
one revision does not depend on it (only the version table's statements do,
and those are migrate's business).

What cannot be had offline is reported per function, not guessed:
op.get_bind() gives an object that knows its dialect (revisions that only
branch on the dialect convert) but refuses to run anything, since a result
read from the database cannot exist offline; any exception names the
revision file's line. autocommit_block() marks the revision as one that must
run outside a transaction.

Output: {"alembic": VERSION, "script_location": PATH, "revisions": [...]},
each revision {"revision", "down_revisions", "branch_labels", "depends_on",
"message", "created", "path", "upgrade", "downgrade"}, each direction
{"sql", "problem", "line", "source", "autocommit"}. Exit 0 with the JSON;
exit 1 with one line on stderr when the project cannot be read; exit 3 when
Alembic (or SQLAlchemy) cannot be imported.
"""

import argparse
import contextlib
import io
import inspect
import json
import os
import re
import sys
import traceback
import warnings

sys.dont_write_bytecode = True
warnings.simplefilter("ignore")

try:
    import alembic
    from alembic.config import Config
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.stderr.write("%s (%s)\n" % (e, sys.executable))
    sys.exit(3)


# Alembic's and SQLAlchemy's own files: an error is placed at the last frame
# outside them (the project's file).
LIBRARIES = tuple(os.path.dirname(m.__file__) + os.sep
                  for m in (alembic, sys.modules["sqlalchemy"]))


class ReadsData(Exception):
    """Raised by the offline bind when a revision tries to run a statement
    through it: the result would come from a database there is not."""


class OfflineBind:
    """What op.get_bind() returns offline: the dialect is known, nothing
    can be executed."""

    def __init__(self, dialect):
        self.dialect = dialect
        self.engine = self

    def __getattr__(self, name):
        raise ReadsData("it uses op.get_bind().%s, which needs a live database connection "
                        "(a result read from the database cannot be had offline)" % name)


# Offline, Alembic's op.get_bind() gives None, which fails with an
# AttributeError that says nothing; this bind says what was attempted.
Operations.get_bind = lambda self: OfflineBind(self.migration_context.dialect)


def load_script_directory(path):
    path = os.path.abspath(path)
    ini = None
    if os.path.isfile(path):
        ini = path
    elif os.path.isfile(os.path.join(path, "alembic.ini")):
        ini = os.path.join(path, "alembic.ini")
    if ini is not None:
        # As `alembic` run beside its alembic.ini: relative script_location
        # and prepend_sys_path entries are read from that folder.
        os.chdir(os.path.dirname(ini))
        sys.path.insert(0, os.path.dirname(ini))
        cfg = Config(ini)
        if not cfg.get_main_option("script_location"):
            raise SystemExit("%s: no script_location in its [alembic] section" % ini)
        return ScriptDirectory.from_config(cfg)
    if os.path.isdir(path) and (os.path.isfile(os.path.join(path, "env.py"))
                                or os.path.isdir(os.path.join(path, "versions"))):
        os.chdir(path)
        sys.path.insert(0, os.path.dirname(path))
        return ScriptDirectory(path)
    raise SystemExit("%s: not an Alembic project (no alembic.ini, env.py or versions/ there)"
                     % path)


def as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return [value]


def created_of(longdoc):
    m = re.search(r"^Create Date:\s*(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)", longdoc, re.M)
    return "%sT%s" % (m.group(1), m.group(2)) if m else ""


def error_line(tb, path):
    """The last line of `path` (the revision file) on the traceback."""
    line = 0
    real = os.path.realpath(path)
    for frame in traceback.extract_tb(tb):
        if os.path.realpath(frame.filename) == real:
            line = frame.lineno
    return line


def function_source(fn):
    try:
        return inspect.getsource(fn)
    except (OSError, TypeError):
        return ""


def offline_context(dialect):
    """One offline MigrationContext for every function: making one costs a
    SQLAlchemy dialect and Alembic's version table each time, half the
    import's time on a large project. Each run gets its own output buffer."""
    return MigrationContext.configure(
        dialect_name=dialect,
        dialect_opts={"paramstyle": "named"},
        opts={"as_sql": True, "output_buffer": io.StringIO(), "literal_binds": True},
    )


def run_offline(script, name, mc):
    """Runs the revision's upgrade() or downgrade() offline; returns what
    came of it."""
    out = {"sql": "", "problem": "", "line": 0, "source": "", "autocommit": False}
    fn = getattr(script.module, name, None)
    if fn is None:
        out["problem"] = "the revision has no %s() function" % name
        return out
    buf = io.StringIO()
    mc.impl.output_buffer = buf

    @contextlib.contextmanager
    def autocommit_block():
        # Offline, Alembic would print COMMIT and BEGIN around the block;
        # migrate runs such a revision outside any transaction instead.
        out["autocommit"] = True
        yield

    mc.autocommit_block = autocommit_block
    try:
        with Operations.context(mc):
            fn()
    except Exception as e:  # noqa: BLE001 - every failure is reported
        out["line"] = error_line(e.__traceback__, script.path)
        text = str(e).strip().splitlines()
        if isinstance(e, ReadsData):
            out["problem"] = text[0]
        else:
            out["problem"] = "%s() raised %s%s offline" % (
                name, type(e).__name__, (": " + text[0]) if text else "")
        out["source"] = function_source(fn)
        return out
    out["sql"] = buf.getvalue().strip()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--dialect", choices=["sqlite", "postgresql"], required=True)
    args = ap.parse_args()
    try:
        script_dir = load_script_directory(args.dir)
        scripts = list(script_dir.walk_revisions("base", "heads"))
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001 - Alembic's own errors, one line
        tb = traceback.extract_tb(e.__traceback__)
        where = ""
        for frame in tb:
            if frame.filename.startswith("<") or frame.filename.startswith(LIBRARIES):
                continue
            where = "%s:%d: " % (frame.filename, frame.lineno)
        if isinstance(e, SyntaxError) and e.filename:
            where = "%s:%s: " % (e.filename, e.lineno)
        msg = str(e).strip().splitlines()
        raise SystemExit("%sAlembic cannot read the project: %s%s" % (
            where, type(e).__name__, (": " + msg[0]) if msg else ""))
    mc = offline_context(args.dialect)
    revisions = []
    for sc in reversed(scripts):  # base first
        revisions.append({
            "revision": sc.revision,
            "down_revisions": as_list(sc.down_revision),
            "branch_labels": as_list(sc._orig_branch_labels),
            "depends_on": as_list(sc.dependencies),
            "message": sc.doc,
            "created": created_of(sc.longdoc),
            "path": os.path.abspath(sc.path),
            "upgrade": run_offline(sc, "upgrade", mc),
            "downgrade": run_offline(sc, "downgrade", mc),
        })
    json.dump({"alembic": alembic.__version__, "script_location": script_dir.dir,
               "revisions": revisions}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
