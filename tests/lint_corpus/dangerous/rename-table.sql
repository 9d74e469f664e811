-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts RENAME TO customers;

-- migrate:downgrade
