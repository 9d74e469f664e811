-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN tier text;
UPDATE orders SET status = 'open' WHERE status IS NULL;

-- migrate:downgrade
