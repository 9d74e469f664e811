-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
DELETE FROM user_sessions WHERE 1 = 1;

-- migrate:downgrade
