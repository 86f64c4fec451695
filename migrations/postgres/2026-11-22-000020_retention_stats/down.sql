DROP TABLE signal_rollups;
DROP INDEX signals_unminimised;
DROP INDEX signals_created;
ALTER TABLE signals DROP COLUMN minutes_to_close;
ALTER TABLE signals DROP COLUMN minutes_to_first_attempt;
ALTER TABLE signals DROP COLUMN minimised;
ALTER TABLE signals DROP COLUMN expiry_warned_at;
