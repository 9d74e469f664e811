-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
WITH gone AS (DELETE FROM user_sessions RETURNING user_id)
SELECT count(*) FROM gone;

-- migrate:downgrade
