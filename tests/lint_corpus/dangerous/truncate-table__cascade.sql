-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
TRUNCATE accounts CASCADE;

-- migrate:downgrade
