#!/usr/bin/env python3
"""Inputs of bench/schema_pg.sh: two PostgreSQL schemas of N tables (indexes,
foreign keys, views, views on views) that differ in one table of twenty
(a column added, a numeric widened under a view, an index changed) and in
one view of a hundred, plus the SQLAlchemy metadata of the second one for
Alembic's comparison (bench/schema_pg_alembic.py).

Per hundred tables, a few objects of the other kinds a diff compares
(extras()): a domain, a composite and a range type, a partitioned table
with its partitions and an index, a child table (INHERITS), an aggregate,
row-level security with a policy, a row trigger, an INSTEAD OF trigger on a
view, a collation, relation options (fillfactor) on a table and an index;
once per schema an event trigger and a publication. About one in two of
each differs between A and B.

    schema_pg_gen.py OUT_DIR [N]

Writes OUT_DIR/a.sql, OUT_DIR/b.sql and OUT_DIR/metadata_b.py.
Deterministic: the same N gives the same files.
"""
import os
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000


def changed(i):
    """Tables that differ between A and B: one in twenty."""
    return i % 20 == 10


def parent(i):
    """The table t<i> references: a binary tree (a chain 1,000 deep would
    exceed SQLAlchemy's recursion limit, and no real schema is one)."""
    return (i - 1) // 2


def table_sql(i, b):
    cols = [
        "    id bigint PRIMARY KEY",
        "    name text NOT NULL",
        "    amount numeric(%s,2) DEFAULT 0" % (14 if b and changed(i) else 12),
        "    created_at timestamptz NOT NULL DEFAULT now()",
        "    status text",
    ]
    if i > 0:
        cols.append("    parent_id bigint REFERENCES t%04d (id) ON DELETE CASCADE" % parent(i))
    if b and changed(i):
        cols.append("    note text")
    sql = "CREATE TABLE t%04d (\n%s\n);\n" % (i, ",\n".join(cols))
    name_cols = "name, status" if b and changed(i) else "name"
    sql += "CREATE INDEX t%04d_name ON t%04d (%s);\n" % (i, i, name_cols)
    if i > 0:
        sql += "CREATE INDEX t%04d_parent ON t%04d (parent_id);\n" % (i, i)
    if i % 10 == 0:
        cond = "amount > 10" if b and i % 100 == 0 else "amount > 0"
        sql += "CREATE VIEW v%04d AS SELECT id, name, amount FROM t%04d WHERE %s;\n" % (i, i, cond)
    if i % 50 == 0:
        sql += "CREATE VIEW w%04d AS SELECT id, name FROM v%04d;\n" % (i, i)
    return sql


def extras(i, b):
    """The other kinds, attached to table t<i> or standing beside it. Never
    on the tables changed() widens (i % 20 == 10): the point is each kind's
    own diff, not more of the views' rebuild."""
    k, odd = i % 100, (i // 100) % 2 == 1  # odd hundreds: A and B differ
    sql = ""
    if k == 1:
        check = "VALUE >= 0" if not (b and odd) else "VALUE >= 0 AND VALUE < 1e9"
        sql += "CREATE DOMAIN d%04d AS numeric(12,2) CHECK (%s);\n" % (i, check)
    if k == 2:
        attrs = "a integer, b text" + (", c date" if b and odd else "")
        sql += "CREATE TYPE c%04d AS (%s);\n" % (i, attrs)
    if k == 3:
        sql += "CREATE TYPE r%04d AS RANGE (subtype = numeric);\n" % i
    if k == 4:
        sql += ("CREATE TABLE p%04d (id bigint NOT NULL, at date NOT NULL, amount d%04d)"
                " PARTITION BY RANGE (at);\n" % (i, i - 3))
        sql += "CREATE INDEX p%04d_at ON p%04d (at);\n" % (i, i)
        years = (2024, 2025, 2026) if b and odd else (2024, 2025)
        for y in years:
            sql += ("CREATE TABLE p%04d_%d PARTITION OF p%04d"
                    " FOR VALUES FROM ('%d-01-01') TO ('%d-01-01');\n" % (i, y, i, y, y + 1))
    if k == 5:
        extra = "extra text" + (", more integer" if b and odd else "")
        sql += "CREATE TABLE h%04d (%s) INHERITS (t%04d);\n" % (i, extra, i)
    if k == 6:
        init = "1" if b and odd else "0"
        sql += ("CREATE AGGREGATE agg%04d (numeric) (SFUNC = numeric_add, STYPE = numeric,"
                " INITCOND = '%s');\n" % (i, init))
    if k == 7:
        sql += "ALTER TABLE t%04d ENABLE ROW LEVEL SECURITY;\n" % i
        using = "status IS DISTINCT FROM 'hidden'" if not (b and odd) else "status <> 'hidden'"
        sql += "CREATE POLICY t%04d_visible ON t%04d FOR SELECT USING (%s);\n" % (i, i, using)
    if k == 8 and not (b and odd):
        sql += ("CREATE TRIGGER t%04d_touch BEFORE UPDATE ON t%04d FOR EACH ROW"
                " EXECUTE FUNCTION touch();\n" % (i, i))
    if k == 40 and (not odd or b):
        sql += ("CREATE TRIGGER v%04d_insert INSTEAD OF INSERT ON v%04d FOR EACH ROW"
                " EXECUTE FUNCTION view_insert();\n" % (i, i))
    if k == 9 and (not odd or b):
        sql += 'CREATE COLLATION coll%04d FROM "C";\n' % i
    if k == 11:
        ff = 90 if b and odd else 80
        sql += "ALTER TABLE t%04d SET (fillfactor = %d);\n" % (i, ff)
        sql += "ALTER INDEX t%04d_name SET (fillfactor = %d);\n" % (i, ff)
    return sql


def once(b):
    """Objects of the whole schema, before the tables: trigger functions
    (and after them, extras() uses them); an event trigger; a publication."""
    sql = ("CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS\n"
           "  $$BEGIN NEW.created_at := now(); RETURN NEW; END$$;\n"
           "CREATE FUNCTION view_insert() RETURNS trigger LANGUAGE plpgsql AS\n"
           "  $$BEGIN RETURN NEW; END$$;\n"
           "CREATE FUNCTION on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS\n"
           "  $$BEGIN END$$;\n")
    tags = "'CREATE TABLE', 'ALTER TABLE'" if b else "'CREATE TABLE'"
    sql += ("CREATE EVENT TRIGGER on_ddl ON ddl_command_end WHEN TAG IN (%s)"
            " EXECUTE FUNCTION on_ddl();\n" % tags)
    return sql


def publication(b):
    tables = [i for i in range(n) if i % 100 == 12 and (b or i % 200 != 112)]
    if not tables:
        return ""
    return "CREATE PUBLICATION pub FOR TABLE %s;\n" % ", ".join("t%04d" % i for i in tables)


def schema(b):
    return (once(b) + "".join(table_sql(i, b) + extras(i, b) for i in range(n))
            + publication(b))


def metadata_b():
    lines = [
        "# SQLAlchemy metadata of b.sql (tables, keys, indexes; Alembic does not",
        "# compare views). Generated by bench/schema_pg_gen.py.",
        "from sqlalchemy import (MetaData, Table, Column, BigInteger, Text, Numeric,",
        "                        DateTime, ForeignKey, Index, func, text)",
        "",
        "metadata = MetaData()",
        "",
    ]
    for i in range(n):
        cols = [
            "Column('id', BigInteger, primary_key=True)",
            "Column('name', Text, nullable=False)",
            "Column('amount', Numeric(%d, 2), server_default=text('0'))"
            % (14 if changed(i) else 12),
            "Column('created_at', DateTime(timezone=True), nullable=False,"
            " server_default=func.now())",
            "Column('status', Text)",
        ]
        if i > 0:
            cols.append("Column('parent_id', BigInteger, ForeignKey('t%04d.id',"
                        " ondelete='CASCADE'))" % parent(i))
        if changed(i):
            cols.append("Column('note', Text)")
        name_cols = "'name', 'status'" if changed(i) else "'name'"
        cols.append("Index('t%04d_name', %s)" % (i, name_cols))
        if i > 0:
            cols.append("Index('t%04d_parent', 'parent_id')" % i)
        lines.append("Table('t%04d', metadata,\n      %s)" % (i, ",\n      ".join(cols)))
    return "\n".join(lines) + "\n"


files = {
    "a.sql": schema(False),
    "b.sql": schema(True),
    "metadata_b.py": metadata_b(),
}
os.makedirs(out, exist_ok=True)
for name, text in files.items():
    with open(os.path.join(out, name), "w") as f:
        f.write(text)
