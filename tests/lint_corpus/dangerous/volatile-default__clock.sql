-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();

-- migrate:downgrade
