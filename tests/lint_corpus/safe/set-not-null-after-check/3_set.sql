-- revision: n3
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;
ALTER TABLE accounts DROP CONSTRAINT accounts_email_nn;

-- migrate:downgrade
