DROP TABLE fingerprint_keys;
ALTER TABLE helplines DROP COLUMN webhook_secret_ciphertext;
ALTER TABLE helplines DROP COLUMN webhook_secret_wrapped_key;
ALTER TABLE helplines DROP COLUMN webhook_secret_key_id;
