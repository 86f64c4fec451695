DROP TABLE helpline_notices;
ALTER TABLE helplines DROP COLUMN channels_confirmed_at;
ALTER TABLE helplines DROP COLUMN channels_changed_at;
