#!/usr/bin/python3
"""Generate the many-databases benchmark's inputs (bench/fanout.sh).

    fanout_gen.py --revisions 5 --tenants 200 --out bench/work/fanout

Uses bench/gen_chain.py and pg_gen.py's Alembic env.py (one transaction per
revision, as migrate), with steps that each sleep 50 ms on the server (the
simulated cost of a real step) and create a table, and writes

    OUT/migrate/...            the migrate project, with
    OUT/migrate/tenants.txt    `databases_file:` one `tenant_NNN
                               postgresql:///fanout_NNN` a line (libpq reads
                               PGHOST, PGPORT, PGUSER, PGPASSWORD)
    OUT/alembic/...            the Alembic project (section [pg])
    OUT/alembic_multidb.py     Alembic's multidb way: one Python process
                               looping over the tenants' URLs, calling
                               alembic.command.upgrade for each
    OUT/tenants.list           the database names, one a line
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_chain  # noqa: E402  (bench/gen_chain.py)
import pg_gen  # noqa: E402  (bench/pg_gen.py: env.py per migration)

STEP_SLEEP = "SELECT pg_sleep(0.05)"

DRIVER = '''\
#!/usr/bin/python3
"""Alembic's multidb pattern: one process, a loop over the databases."""
import os
import sys

from alembic import command
from alembic.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
for name in open(os.path.join(HERE, "tenants.list")).read().split():
    cfg = Config(os.path.join(HERE, "alembic", "alembic.ini"), ini_section="pg")
    cfg.set_section_option("pg", "sqlalchemy.url", "postgresql+psycopg2:///" + name)
    command.upgrade(cfg, "head")
'''


def step_sql(kind, i):
    t = f"t_{i:05d}"
    return (f"create table {t}",
            [STEP_SLEEP, f"CREATE TABLE {t} (id bigint PRIMARY KEY, name text NOT NULL)"],
            [f"DROP TABLE {t}"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--revisions", type=int, required=True)
    ap.add_argument("--tenants", type=int, required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    out = os.path.abspath(args.out)

    gen_chain.step_sql = step_sql
    sys.argv = ["gen_chain.py", "--kind", "upgrade", "--revisions", str(args.revisions),
                "--out", out, "--alembic-db", "pg=postgresql://"]
    gen_chain.main()

    env_py = os.path.join(out, "alembic", "alembic", "env.py")
    with open(env_py) as f:
        text = f.read()
    if text.count(pg_gen.ENV_CONFIGURE) != 1:
        sys.exit("fanout_gen.py: env.py from gen_chain.py changed")
    with open(env_py, "w") as f:
        f.write(text.replace(pg_gen.ENV_CONFIGURE, pg_gen.ENV_CONFIGURE_PER_MIGRATION))

    names = [f"fanout_{i:03d}" for i in range(1, args.tenants + 1)]
    with open(os.path.join(out, "tenants.list"), "w") as f:
        f.write("\n".join(names) + "\n")
    with open(os.path.join(out, "migrate", "tenants.txt"), "w") as f:
        for i, name in enumerate(names, start=1):
            f.write(f"tenant_{i:03d} postgresql:///{name}\n")
    with open(os.path.join(out, "migrate", "migrate.yaml"), "a") as f:
        f.write("databases_file: tenants.txt\n")
    with open(os.path.join(out, "alembic_multidb.py"), "w") as f:
        f.write(DRIVER)
    print(f"fanout_gen.py: {args.tenants} tenants, {args.revisions} revisions each")


if __name__ == "__main__":
    main()
