-- revision: w1
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN nickname varchar(20);

-- migrate:downgrade
