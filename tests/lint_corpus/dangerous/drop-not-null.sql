-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL;

-- migrate:downgrade
