-- The person's safe call windows (weekday and times, nothing else) are kept beside
-- the sealed contact, so the queue can say when to call without a reveal. They go
-- with the contact row: closed, withdrawn or expired, they are gone.
ALTER TABLE signal_contacts ADD COLUMN call_windows TEXT;
