-- revision: f0818692af43
-- down_revision: 991a251bb9d2
-- branch_labels: []
-- depends_on: [7599562bac75]
-- message: create transfers table
-- created: 2026-11-06T13:10:00Z

-- migrate:upgrade
-- A transfer records which login session asked for it (for fraud review),
-- so it needs the crud branch's user_sessions table: hence depends_on, which
-- makes migrate apply 7599562bac75 first without merging the two branches.
CREATE TABLE transfers (
    id               integer      PRIMARY KEY,
    from_account_id  integer      NOT NULL REFERENCES accounts (id),
    to_account_id    integer      NOT NULL REFERENCES accounts (id),
    amount           bigint       NOT NULL CHECK (amount > 0),
    status           varchar(16)  NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'completed', 'failed')),
    session_id       integer      REFERENCES user_sessions (id) ON DELETE SET NULL,
    created_at       timestamp    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (from_account_id <> to_account_id)
);

-- migrate:downgrade
DROP TABLE transfers;
