-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
CREATE TABLE invoices (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id),
  total numeric(12,2) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoices_account ON invoices (account_id);
ALTER TABLE invoices ADD CONSTRAINT invoices_total_positive CHECK (total >= 0);

-- migrate:downgrade
