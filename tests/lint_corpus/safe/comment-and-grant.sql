-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
COMMENT ON TABLE accounts IS 'customer accounts';
GRANT SELECT ON accounts TO reporting;

-- migrate:downgrade
