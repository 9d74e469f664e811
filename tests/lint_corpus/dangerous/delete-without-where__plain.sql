-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
DELETE FROM user_sessions;

-- migrate:downgrade
