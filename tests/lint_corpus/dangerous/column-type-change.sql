-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts ALTER COLUMN id TYPE bigint;

-- migrate:downgrade
