DROP TABLE account_mail;
ALTER TABLE refresh_tokens DROP COLUMN family_expires_at;
ALTER TABLE users DROP COLUMN token_version;

CREATE TABLE invitations_prev (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    relay_point_id TEXT NOT NULL REFERENCES relay_points (id),
    token_hash TEXT NOT NULL UNIQUE,
    invited_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    revoked_at TIMESTAMP
);
INSERT INTO invitations_prev (id, user_id, relay_point_id, token_hash, invited_by, created_at, expires_at, accepted_at, revoked_at)
    SELECT id, user_id, relay_point_id, token_hash, invited_by, created_at, expires_at, accepted_at, revoked_at FROM staff_invitations WHERE relay_point_id IS NOT NULL;
DROP TABLE staff_invitations;
ALTER TABLE invitations_prev RENAME TO staff_invitations;
CREATE INDEX staff_invitations_user ON staff_invitations (user_id);
