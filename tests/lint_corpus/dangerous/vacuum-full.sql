-- revision: c0ffee
-- down_revision: null
-- transactional: false

-- migrate:upgrade
VACUUM FULL orders;

-- migrate:downgrade
