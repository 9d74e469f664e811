-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
CREATE INDEX accounts_email ON accounts (email);

-- migrate:downgrade
