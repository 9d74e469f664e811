-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);

-- migrate:downgrade
