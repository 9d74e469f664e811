-- revision: n2
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_email_nn;

-- migrate:downgrade
