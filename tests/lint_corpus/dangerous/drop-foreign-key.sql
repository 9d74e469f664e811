-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE orders DROP CONSTRAINT orders_account_id_fkey;

-- migrate:downgrade
