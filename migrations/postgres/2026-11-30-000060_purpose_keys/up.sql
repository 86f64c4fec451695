-- A helpline's webhook signing secret is stored sealed, like a contact: a random
-- data key wrapped by the webhook purpose key of a master key, bound to the
-- helpline id. The plaintext column stays for the upgrade only: every start seals
-- what it finds there and empties it.
ALTER TABLE helplines ADD COLUMN webhook_secret_key_id TEXT;
ALTER TABLE helplines ADD COLUMN webhook_secret_wrapped_key BYTEA;
ALTER TABLE helplines ADD COLUMN webhook_secret_ciphertext BYTEA;

-- The key of the idempotency request fingerprints: random, created on first start,
-- sealed under the fingerprint purpose key. It does not change when master keys
-- rotate (rotate-keys re-wraps it), so a retry filed before a rotation still matches.
CREATE TABLE fingerprint_keys (
    id TEXT PRIMARY KEY NOT NULL,
    key_id TEXT NOT NULL,
    wrapped_key BYTEA NOT NULL,
    ciphertext BYTEA NOT NULL,
    created_at TIMESTAMP NOT NULL
);
