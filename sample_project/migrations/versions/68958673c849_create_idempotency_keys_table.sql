-- revision: 68958673c849
-- down_revision: f0818692af43
-- branch_labels: []
-- depends_on: []
-- message: create idempotency_keys table
-- created: 2026-11-10T09:05:00Z

-- migrate:upgrade
-- A client sends an Idempotency-Key with each transfer request. The first
-- request stores its hash and, once done, the response. A retry with the
-- same key and hash gets the stored response instead of a second transfer.
-- A retry with the same key but another hash is rejected.
CREATE TABLE idempotency_keys (
    key            varchar(255)  PRIMARY KEY,
    request_hash   char(64)      NOT NULL,
    response_code  integer,
    response_body  text,
    created_at     timestamp     NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- Old keys are purged by age.
CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys (created_at);

-- migrate:downgrade
DROP INDEX ix_idempotency_keys_created_at;
DROP TABLE idempotency_keys;
