-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
CREATE VIEW active_accounts AS SELECT * FROM accounts WHERE active;
CREATE FUNCTION touch(a bigint) RETURNS void LANGUAGE sql
BEGIN ATOMIC
  UPDATE accounts SET seen_at = now() WHERE id = a;
END;

-- migrate:downgrade
