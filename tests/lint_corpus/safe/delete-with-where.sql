-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
DELETE FROM user_sessions WHERE expires_at < now() - interval '30 days';

-- migrate:downgrade
