#!/usr/bin/env python3
"""Alembic's autogenerate comparison of a live PostgreSQL database against
SQLAlchemy metadata: what `alembic check` (Alembic >= 1.9) and `alembic
revision --autogenerate` run. Debian's Alembic 1.8 has no `check` command, so
this calls the same engine, alembic.autogenerate.compare_metadata, in one
process: import the metadata, connect, reflect, compare.

    schema_pg_alembic.py URL METADATA_DIR    (prints the number of differences)
"""
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

url, metadata_dir = sys.argv[1], sys.argv[2]
sys.path.insert(0, metadata_dir)
from metadata_b import metadata  # noqa: E402

# psycopg2's dialect; the URL is the same libpq URL the other tools get.
engine = create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))
with engine.connect() as conn:
    diffs = compare_metadata(MigrationContext.configure(conn), metadata)
print(len(diffs))
