-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
CREATE FUNCTION reset_sessions() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM user_sessions;
END
$$;

-- migrate:downgrade
