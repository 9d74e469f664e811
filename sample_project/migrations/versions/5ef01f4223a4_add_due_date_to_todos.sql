-- revision: 5ef01f4223a4
-- down_revision: cca9e8957c34
-- branch_labels: []
-- depends_on: []
-- message: add due_date to todos
-- created: 2026-11-16T16:20:00Z

-- migrate:upgrade
-- A nullable column: existing rows need no value, so this is a cheap change
-- on both SQLite and PostgreSQL.
ALTER TABLE todos ADD COLUMN due_date date;

-- migrate:downgrade
-- SQLite can drop a column since 3.35 as long as no index, constraint or
-- view uses it.
ALTER TABLE todos DROP COLUMN due_date;
