-- The desired state of the sample project's database: what its revisions
-- (migrations/versions/) build, written as one file. `migrate check` compares
-- the two; edit this file and run `migrate revision --autogenerate -m MSG` to
-- get a revision that makes the database match it (see docs/tutorial.md).
--
-- It is applied to a scratch database and inspected there, so only what the
-- database stores counts: comments, layout and keyword case do not.

-- Both examples: users of the CRUD app also own the payment service's accounts.
CREATE TABLE users (
    id            integer      PRIMARY KEY,
    email         varchar(255) NOT NULL UNIQUE,
    display_name  varchar(100) NOT NULL,
    created_at    timestamp    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The CRUD app (branch `crud`).
CREATE TABLE user_sessions (
    id          integer     PRIMARY KEY,
    user_id     integer     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  char(64)    NOT NULL UNIQUE,
    created_at  timestamp   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at  timestamp   NOT NULL
);

CREATE TABLE todos (
    id          integer       PRIMARY KEY,
    user_id     integer       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title       varchar(200)  NOT NULL CHECK (length(title) > 0),
    done        boolean       NOT NULL DEFAULT FALSE,
    created_at  timestamp     NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  timestamp     NOT NULL DEFAULT CURRENT_TIMESTAMP,
    due_date    date
);
CREATE INDEX ix_todos_user_id_done ON todos (user_id, done);

-- The money-transfer service (branch `payments`).
CREATE TABLE accounts (
    id          integer    PRIMARY KEY,
    user_id     integer    NOT NULL REFERENCES users (id),
    currency    char(3)    NOT NULL DEFAULT 'EUR',
    balance     bigint     NOT NULL DEFAULT 0 CHECK (balance >= 0),
    version     integer    NOT NULL DEFAULT 0,
    created_at  timestamp  NOT NULL DEFAULT CURRENT_TIMESTAMP
);

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

CREATE TABLE idempotency_keys (
    key            varchar(255)  PRIMARY KEY,
    request_hash   char(64)      NOT NULL,
    response_code  integer,
    response_body  text,
    created_at     timestamp     NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys (created_at);

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

-- Added at the merge of both branches.
CREATE TABLE audit_log (
    id             integer      PRIMARY KEY,
    actor_user_id  integer      REFERENCES users (id) ON DELETE SET NULL,
    action         varchar(50)  NOT NULL,
    entity_type    varchar(20)  NOT NULL
                   CHECK (entity_type IN ('user', 'session', 'todo', 'account', 'transfer')),
    entity_id      integer      NOT NULL,
    details        text,
    occurred_at    timestamp    NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ix_audit_log_entity ON audit_log (entity_type, entity_id);
CREATE VIEW user_overview AS
    SELECT u.id AS user_id,
           u.email,
           (SELECT COUNT(*) FROM todos t
             WHERE t.user_id = u.id AND t.done = FALSE) AS open_todos,
           (SELECT COALESCE(SUM(a.balance), 0) FROM accounts a
             WHERE a.user_id = u.id) AS total_balance
      FROM users u;
