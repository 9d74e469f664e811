-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts RENAME COLUMN email TO email_address;

-- migrate:downgrade
