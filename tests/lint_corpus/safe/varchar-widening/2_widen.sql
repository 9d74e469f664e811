-- revision: w2
-- down_revision: null

-- migrate:upgrade
ALTER TABLE accounts ALTER COLUMN nickname TYPE varchar(40);

-- migrate:downgrade
