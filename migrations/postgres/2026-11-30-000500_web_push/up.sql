-- Web Push to relay staff devices. A subscription is what a browser's push service
-- gave one device of one staff member: the endpoint to POST to and the keys to
-- encrypt for it. It says nothing about any victim. A push carries no details ("a
-- signal's status changed"); the app then fetches. Rows are removed on sign-out,
-- "sign out everywhere", deactivation, a move to another relay point, and when
-- the push service answers 404 or 410.
CREATE TABLE push_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    relay_point_id TEXT NOT NULL REFERENCES relay_points (id),
    endpoint TEXT NOT NULL UNIQUE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX push_subscriptions_relay ON push_subscriptions (relay_point_id);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);
-- Pushes to send: written in the transaction of the status change, sent by the
-- outbox worker with retries. One pending row per subscription is enough (several
-- changes before the send make one push).
CREATE TABLE push_messages (
    id TEXT PRIMARY KEY NOT NULL,
    subscription_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX push_messages_due ON push_messages (status, next_attempt_at);
CREATE INDEX push_messages_subscription ON push_messages (subscription_id);
-- The server's VAPID signing key (RFC 8292), one row, sealed like a contact.
CREATE TABLE push_keys (
    id TEXT PRIMARY KEY NOT NULL,
    key_id TEXT NOT NULL,
    wrapped_key BYTEA NOT NULL,
    ciphertext BYTEA NOT NULL,
    created_at TIMESTAMP NOT NULL
);
