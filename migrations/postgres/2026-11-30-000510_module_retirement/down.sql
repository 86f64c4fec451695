ALTER TABLE training_modules DROP COLUMN retired_on;
