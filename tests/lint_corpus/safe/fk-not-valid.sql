-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE orders ADD CONSTRAINT orders_account_fk
  FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;

-- migrate:downgrade
