-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts DROP COLUMN legacy_code;

-- migrate:downgrade
