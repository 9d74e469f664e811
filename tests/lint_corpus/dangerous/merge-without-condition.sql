-- revision: c0ffee
-- down_revision: null

-- migrate:upgrade
MERGE INTO accounts a USING imports i ON true
WHEN MATCHED THEN UPDATE SET balance = i.balance;

-- migrate:downgrade
