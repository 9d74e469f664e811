-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
-- migrate:expect-rows any
UPDATE accounts SET currency = 'EUR';

-- migrate:downgrade
