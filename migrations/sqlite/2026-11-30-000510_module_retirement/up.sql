-- A training module retired from a date: from that day on it no longer counts as
-- required for a relay point's training status (completions stay, as history).
ALTER TABLE training_modules ADD COLUMN retired_on DATE;
