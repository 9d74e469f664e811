-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
INSERT INTO plans (name, price) VALUES ('free', 0), ('pro', 10);

-- migrate:downgrade
