-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
REINDEX INDEX accounts_email;

-- migrate:downgrade
