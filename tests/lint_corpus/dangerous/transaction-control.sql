-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
BEGIN;
UPDATE accounts SET balance = balance - 10 WHERE id = 1;
COMMIT;

-- migrate:downgrade
