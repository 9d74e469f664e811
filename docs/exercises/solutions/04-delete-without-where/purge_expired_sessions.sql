-- revision: purge
-- down_revision: b4c3e0849ca3
-- message: purge expired sessions
-- max_rows_affected: 10000

-- migrate:upgrade
-- Sessions that expired are of no use: remove them (5,000 of 50,000 today).
-- migrate:expect-rows <= 10000
DELETE FROM user_sessions WHERE expires_at < CURRENT_TIMESTAMP;

-- migrate:downgrade
