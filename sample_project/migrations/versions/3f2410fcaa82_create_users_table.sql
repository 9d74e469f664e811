-- revision: 3f2410fcaa82
-- down_revision: null
-- branch_labels: []
-- depends_on: []
-- message: create users table
-- created: 2026-11-02T09:15:00Z

-- migrate:upgrade
-- The common base of both examples: the CRUD app's users also own the
-- payment service's accounts.
CREATE TABLE users (
    id            integer      PRIMARY KEY,
    email         varchar(255) NOT NULL UNIQUE,
    display_name  varchar(100) NOT NULL,
    created_at    timestamp    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- migrate:downgrade
DROP TABLE users;
