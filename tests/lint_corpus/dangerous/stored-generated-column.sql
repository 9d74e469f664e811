-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (total * 100) STORED;

-- migrate:downgrade
