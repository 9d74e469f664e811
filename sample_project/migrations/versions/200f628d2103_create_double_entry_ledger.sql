-- revision: 200f628d2103
-- down_revision: 68958673c849
-- branch_labels: []
-- depends_on: []
-- message: create double-entry ledger
-- created: 2026-11-12T15:40:00Z

-- migrate:upgrade
-- Every completed transfer writes two entries: a debit on the source account
-- and a credit on the destination, so the entries of a transfer sum to zero.
-- accounts.balance is a cached value, and the view ledger_balances recomputes
-- it from the ledger, for reconciliation.
CREATE TABLE ledger_entries (
    id           integer     PRIMARY KEY,
    transfer_id  integer     NOT NULL REFERENCES transfers (id),
    account_id   integer     NOT NULL REFERENCES accounts (id),
    amount       bigint      NOT NULL CHECK (amount > 0),
    direction    varchar(6)  NOT NULL CHECK (direction IN ('debit', 'credit')),
    created_at   timestamp   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (transfer_id, direction)
);
CREATE INDEX ix_ledger_entries_account_id ON ledger_entries (account_id);
CREATE VIEW ledger_balances AS
    SELECT account_id,
           SUM(CASE direction WHEN 'credit' THEN amount ELSE -amount END) AS balance,
           COUNT(*) AS entries
      FROM ledger_entries
     GROUP BY account_id;

-- migrate:downgrade
DROP VIEW ledger_balances;
DROP INDEX ix_ledger_entries_account_id;
DROP TABLE ledger_entries;
