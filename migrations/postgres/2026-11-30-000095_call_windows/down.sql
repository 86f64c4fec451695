ALTER TABLE signal_contacts DROP COLUMN call_windows;
