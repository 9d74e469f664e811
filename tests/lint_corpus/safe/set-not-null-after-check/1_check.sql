-- revision: n1
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts ADD CONSTRAINT accounts_email_nn CHECK (email IS NOT NULL) NOT VALID;

-- migrate:downgrade
