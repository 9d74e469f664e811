-- revision: naive
-- down_revision: b4c3e0849ca3
-- message: rename display_name to full_name in one step

-- migrate:upgrade
ALTER TABLE users RENAME COLUMN display_name TO full_name;

-- migrate:downgrade
ALTER TABLE users RENAME COLUMN full_name TO display_name;
