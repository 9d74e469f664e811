-- revision: naive
-- down_revision: b4c3e0849ca3
-- message: every todo has a due date, in one step

-- migrate:upgrade
UPDATE todos SET due_date = (created_at + interval '7 days')::date WHERE due_date IS NULL;
ALTER TABLE todos ALTER COLUMN due_date SET NOT NULL;

-- migrate:downgrade
ALTER TABLE todos ALTER COLUMN due_date DROP NOT NULL;
