-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
-- migrate:lint-ignore drop-table replaced by audit_log_v2 two releases ago; backed up
DROP TABLE audit_log;

-- migrate:downgrade
