-- revision: c0ffee
-- down_revision: null
-- transactional: false

-- migrate:upgrade
REINDEX INDEX CONCURRENTLY accounts_email;

-- migrate:downgrade
