-- revision: cca9e8957c34
-- down_revision: 0ff9c7c1a93f
-- branch_labels: []
-- depends_on: []
-- message: index todos by user and done
-- created: 2026-11-09T11:45:00Z

-- migrate:upgrade
-- The app's main query: "my open todos", WHERE user_id = ? AND done = FALSE.
CREATE INDEX ix_todos_user_id_done ON todos (user_id, done);

-- migrate:downgrade
DROP INDEX ix_todos_user_id_done;
