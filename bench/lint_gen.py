#!/usr/bin/env python3
"""bench/lint_gen.py N DIR: N revision files of 4 PostgreSQL statements each
(a table, a column added to the previous table, an index, a bounded UPDATE),
a chain, in migrate's revision format with an empty downgrade section, so
that squawk and `migrate lint` read exactly the same SQL."""
import os
import sys

n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
prev = "null"
for i in range(n):
    rid = "%012x" % (0x100000000 + i)
    p = max(i - 1, 0)
    sql = (
        f"CREATE TABLE t_{i} (id bigint PRIMARY KEY, name text NOT NULL, "
        f"created_at timestamptz NOT NULL DEFAULT now());\n"
        f"ALTER TABLE t_{p} ADD COLUMN note_{i} text;\n"
        f"CREATE INDEX t_{i}_name ON t_{i} (name);\n"
        f"UPDATE t_{p} SET note_{i} = 'n' WHERE id < 100;\n"
    )
    with open(os.path.join(out, f"{rid}_rev_{i}.sql"), "w") as f:
        f.write(f"-- revision: {rid}\n-- down_revision: {prev}\n-- message: rev {i}\n\n"
                f"-- migrate:upgrade\n{sql}\n-- migrate:downgrade\n")
    prev = rid
