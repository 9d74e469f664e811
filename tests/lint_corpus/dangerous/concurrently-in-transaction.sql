-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
CREATE INDEX CONCURRENTLY accounts_email ON accounts (email);

-- migrate:downgrade
