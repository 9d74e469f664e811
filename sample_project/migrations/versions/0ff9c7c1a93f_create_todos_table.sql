-- revision: 0ff9c7c1a93f
-- down_revision: 7599562bac75
-- branch_labels: []
-- depends_on: []
-- message: create todos table
-- created: 2026-11-05T14:30:00Z

-- migrate:upgrade
CREATE TABLE todos (
    id          integer       PRIMARY KEY,
    user_id     integer       NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title       varchar(200)  NOT NULL CHECK (length(title) > 0),
    done        boolean       NOT NULL DEFAULT FALSE,
    created_at  timestamp     NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  timestamp     NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- migrate:downgrade
DROP TABLE todos;
