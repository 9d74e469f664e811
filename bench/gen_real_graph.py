#!/usr/bin/python3
"""Write a real Alembic revision graph (a TSV of /work/shared/data/real_graphs:
revision, down_revisions, branch_labels, depends_on, message) twice, as a
migrate project and as an Alembic project, for bench/graph.sh.

    gen_real_graph.py --tsv backend_ai.tsv --out bench/work/realgraph

writes

    OUT/migrate/migrate.yaml, OUT/migrate/migrations/versions/<rev>_rev.sql
    OUT/alembic/alembic.ini, OUT/alembic/alembic/env.py, script.py.mako,
    OUT/alembic/alembic/versions/<rev>_rev.py
    OUT/revisions.txt     the ids, one per line

Both projects hold the same ids, parents (a tuple at a merge), branch labels,
dependencies and messages; upgrade and downgrade do nothing (the benchmark
never runs them). Standard library only; the templates are gen_chain.py's.
"""

import argparse
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_chain  # noqa: E402  (its Alembic templates)

MIGRATE_REVISION = """\
-- revision: {rev}
-- down_revision: {down}
-- branch_labels: [{labels}]
-- depends_on: [{deps}]
-- message: {message}
-- created: 2026-01-01T00:00:00Z

-- migrate:upgrade

-- migrate:downgrade
"""

ALEMBIC_REVISION = '''\
"""{doc}

Revision ID: {rev}
Revises: {down_doc}
Create Date: 2026-01-01 00:00:00

"""
revision = {rev!r}
down_revision = {down_py}
branch_labels = {labels_py}
depends_on = {deps_py}


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''


def py_value(items):
    if not items:
        return "None"
    if len(items) == 1:
        return repr(items[0])
    return repr(tuple(items))


def yaml_quoted(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or line.startswith("revision\t"):
                continue
            cells = (line.split("\t") + [""] * 5)[:5]
            split = lambda s: [x for x in s.split(",") if x]  # noqa: E731
            rows.append((cells[0], split(cells[1]), split(cells[2]), split(cells[3]), cells[4]))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tsv", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rows = read_tsv(args.tsv)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    mv = os.path.join(args.out, "migrate", "migrations", "versions")
    av = os.path.join(args.out, "alembic", "alembic", "versions")
    os.makedirs(mv)
    os.makedirs(av)
    name = os.path.basename(args.tsv)
    with open(os.path.join(args.out, "migrate", "migrate.yaml"), "w") as f:
        f.write(gen_chain.MIGRATE_YAML.format(n=len(rows)).replace(
            "a {}-revision linear chain".format(len(rows)), "the real graph " + name))
    with open(os.path.join(args.out, "migrate", "migrations", "script.sql.tmpl"), "w") as f:
        f.write(gen_chain.SCRIPT_SQL_TMPL)
    with open(os.path.join(args.out, "alembic", "alembic.ini"), "w") as f:
        f.write(gen_chain.ALEMBIC_INI.format(n=len(rows), extra_sections="").replace(
            "a {}-revision linear chain".format(len(rows)), "the real graph " + name))
    with open(os.path.join(args.out, "alembic", "alembic", "env.py"), "w") as f:
        f.write(gen_chain.ALEMBIC_ENV)
    with open(os.path.join(args.out, "alembic", "alembic", "script.py.mako"), "w") as f:
        f.write(gen_chain.ALEMBIC_MAKO)
    for rev, down, labels, deps, message in rows:
        down_yaml = "null" if not down else (down[0] if len(down) == 1 else
                                             "[" + ", ".join(down) + "]")
        with open(os.path.join(mv, rev + "_rev.sql"), "w") as f:
            f.write(MIGRATE_REVISION.format(rev=rev, down=down_yaml, labels=", ".join(labels),
                                            deps=", ".join(deps),
                                            message=yaml_quoted(message)))
        doc = message.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') or "(no message)"
        with open(os.path.join(av, rev + "_rev.py"), "w") as f:
            f.write(ALEMBIC_REVISION.format(doc=doc, rev=rev, down_doc=", ".join(down),
                                            down_py=py_value(down), labels_py=py_value(labels),
                                            deps_py=py_value(deps)))
    with open(os.path.join(args.out, "revisions.txt"), "w") as f:
        f.write("".join(r[0] + "\n" for r in rows))
    print(f"{len(rows)} revisions from {args.tsv} into {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
