-- revision: c0ffee
-- down_revision: null
-- transactional: false

-- migrate:upgrade
CREATE UNIQUE INDEX CONCURRENTLY accounts_email ON accounts (email);

-- migrate:downgrade
