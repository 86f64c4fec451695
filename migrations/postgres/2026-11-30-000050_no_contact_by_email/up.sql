-- E-mail never carries the contact: the option to include it is gone.
ALTER TABLE helplines DROP COLUMN email_includes_contact;
