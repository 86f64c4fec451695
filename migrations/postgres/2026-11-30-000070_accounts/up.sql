-- Accounts: every role is onboarded by invitation (the relay point applies to relay
-- staff only), access tokens carry a per-account version that logout, password
-- changes and second-factor changes bump, a sign-in (refresh family) has an absolute
-- end, and account e-mails (password reset) go through a durable queue.

CREATE TABLE invitations_next (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    relay_point_id TEXT REFERENCES relay_points (id),
    token_hash TEXT NOT NULL UNIQUE,
    invited_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    revoked_at TIMESTAMP
);
INSERT INTO invitations_next (id, user_id, relay_point_id, token_hash, invited_by, created_at, expires_at, accepted_at, revoked_at)
    SELECT id, user_id, relay_point_id, token_hash, invited_by, created_at, expires_at, accepted_at, revoked_at FROM staff_invitations;
DROP TABLE staff_invitations;
ALTER TABLE invitations_next RENAME TO staff_invitations;
CREATE INDEX staff_invitations_user ON staff_invitations (user_id);

ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;

-- NULL for families started before this migration: they keep their sliding expiry.
ALTER TABLE refresh_tokens ADD COLUMN family_expires_at TIMESTAMP;

-- One row per password-reset request, known address or not (user_id NULL): the
-- request does the same work either way, and the worker sends the e-mail, with
-- retries. The reset token is made when the e-mail is sent, so it is never stored
-- in clear.
CREATE TABLE account_mail (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    user_id TEXT REFERENCES users (id),
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX account_mail_due ON account_mail (status, next_attempt_at);
