-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
UPDATE accounts SET balance = 0;

-- migrate:downgrade
