-- revision: 7599562bac75
-- down_revision: 3f2410fcaa82
-- branch_labels: [crud]
-- depends_on: []
-- message: create user_sessions table
-- created: 2026-11-03T10:02:00Z

-- migrate:upgrade
-- First revision of the CRUD app's branch, labelled `crud`: login sessions.
-- Only a hash of the session token is stored.
CREATE TABLE user_sessions (
    id          integer     PRIMARY KEY,
    user_id     integer     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  char(64)    NOT NULL UNIQUE,
    created_at  timestamp   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at  timestamp   NOT NULL
);

-- migrate:downgrade
DROP TABLE user_sessions;
