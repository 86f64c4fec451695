DROP TABLE recovery_codes;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_secret;
ALTER TABLE users DROP COLUMN totp_wrapped_key;
ALTER TABLE users DROP COLUMN totp_key_id;
DROP TABLE password_resets;
DROP TABLE login_throttle;
