-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;

-- migrate:downgrade
