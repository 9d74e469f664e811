-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
UPDATE accounts SET active = false WHERE true OR id = 1;

-- migrate:downgrade
