ALTER TABLE helplines ADD COLUMN email_includes_contact BOOLEAN NOT NULL DEFAULT 0;
