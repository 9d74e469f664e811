-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
DROP TABLE audit_log;

-- migrate:downgrade
