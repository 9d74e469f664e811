-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN seq bigserial;

-- migrate:downgrade
