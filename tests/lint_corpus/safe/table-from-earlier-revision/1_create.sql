-- revision: e1
-- down_revision: null

-- migrate:upgrade
CREATE TABLE events (id bigint NOT NULL, kind text, at timestamptz);

-- migrate:downgrade
