-- revision: b4c3e0849ca3
-- down_revision: [5ef01f4223a4, 200f628d2103]
-- branch_labels: []
-- depends_on: []
-- message: merge crud and payments, add audit_log
-- created: 2026-11-20T10:00:00Z

-- migrate:upgrade
-- The merge point: from here on there is one head again. It also holds the
-- first objects that need both branches.
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

-- migrate:downgrade
DROP VIEW user_overview;
DROP INDEX ix_audit_log_entity;
DROP TABLE audit_log;
