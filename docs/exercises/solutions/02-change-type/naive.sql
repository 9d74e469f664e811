-- revision: naive
-- down_revision: b4c3e0849ca3
-- message: amount in currency units, in one step

-- migrate:upgrade
ALTER TABLE transfers ALTER COLUMN amount TYPE numeric(12,2) USING amount / 100.0;

-- migrate:downgrade
ALTER TABLE transfers ALTER COLUMN amount TYPE bigint USING round(amount * 100);
