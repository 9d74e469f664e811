-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
DO $$
BEGIN
  DELETE FROM user_sessions WHERE true;
END
$$;

-- migrate:downgrade
