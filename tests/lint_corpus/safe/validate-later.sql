-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;

-- migrate:downgrade
