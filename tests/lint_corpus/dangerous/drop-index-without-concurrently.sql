-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
DROP INDEX accounts_email;

-- migrate:downgrade
