-- revision: 991a251bb9d2
-- down_revision: 3f2410fcaa82
-- branch_labels: [payments]
-- depends_on: []
-- message: create accounts table
-- created: 2026-11-04T08:50:00Z

-- migrate:upgrade
-- First revision of the money-transfer service's branch, labelled `payments`.
-- Amounts are integers in minor units (cents). `version` is bumped by every
-- update of the row, for optimistic locking:
--   UPDATE accounts SET balance = balance - ?, version = version + 1
--    WHERE id = ? AND version = ?
-- touches no row when another writer changed the account since it was read.
CREATE TABLE accounts (
    id          integer    PRIMARY KEY,
    user_id     integer    NOT NULL REFERENCES users (id),
    currency    char(3)    NOT NULL DEFAULT 'EUR',
    balance     bigint     NOT NULL DEFAULT 0 CHECK (balance >= 0),
    version     integer    NOT NULL DEFAULT 0,
    created_at  timestamp  NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- migrate:downgrade
DROP TABLE accounts;
