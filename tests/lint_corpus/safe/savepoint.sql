-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
SAVEPOINT before_fix;
UPDATE accounts SET balance = 0 WHERE id = 42;
RELEASE SAVEPOINT before_fix;

-- migrate:downgrade
