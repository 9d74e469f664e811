-- revision: e2
-- down_revision: null

-- migrate:upgrade
CREATE INDEX events_at ON events (at);
ALTER TABLE events ADD PRIMARY KEY (id);
ALTER TABLE events ALTER COLUMN kind SET NOT NULL;

-- migrate:downgrade
