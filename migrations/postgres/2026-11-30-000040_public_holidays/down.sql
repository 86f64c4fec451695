ALTER TABLE helplines DROP COLUMN open_on_public_holidays;
