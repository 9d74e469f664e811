-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN public_id uuid DEFAULT gen_random_uuid();

-- migrate:downgrade
