-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
CLUSTER orders USING orders_pkey;

-- migrate:downgrade
