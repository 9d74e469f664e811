-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN imported_at timestamptz DEFAULT now();

-- migrate:downgrade
