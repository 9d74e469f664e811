-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
DROP SCHEMA reporting CASCADE;

-- migrate:downgrade
