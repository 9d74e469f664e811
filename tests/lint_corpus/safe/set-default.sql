-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts ALTER COLUMN plan SET DEFAULT 'free';

-- migrate:downgrade
