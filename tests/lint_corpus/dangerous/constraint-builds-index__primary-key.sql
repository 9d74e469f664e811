-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
ALTER TABLE events ADD PRIMARY KEY (id);

-- migrate:downgrade
