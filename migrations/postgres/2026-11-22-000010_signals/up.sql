-- Signal intake and routing: helpline opening hours, routing rules, signals, their
-- encrypted contact (own table, so it can be destroyed alone), the outbox written in
-- the same transaction, idempotency records, and the referral directory.

ALTER TABLE helplines ADD COLUMN kind TEXT NOT NULL DEFAULT 'helpline';
ALTER TABLE helplines ADD COLUMN weekly_hours TEXT NOT NULL DEFAULT '[]';
ALTER TABLE helplines ADD COLUMN exceptions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE helplines ADD COLUMN intake_email TEXT;
ALTER TABLE helplines ADD COLUMN email_includes_contact BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE helplines ADD COLUMN webhook_url TEXT;
ALTER TABLE helplines ADD COLUMN webhook_secret TEXT;

CREATE TABLE routing_rules (
    id TEXT PRIMARY KEY NOT NULL,
    priority INTEGER NOT NULL,
    region TEXT,
    postcode_from INTEGER,
    postcode_to INTEGER,
    language TEXT,
    helpline_id TEXT NOT NULL REFERENCES helplines (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX routing_rules_priority ON routing_rules (priority);

CREATE TABLE signals (
    id TEXT PRIMARY KEY NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    relay_point_id TEXT NOT NULL REFERENCES relay_points (id),
    submitted_by TEXT NOT NULL REFERENCES users (id),
    helpline_id TEXT NOT NULL REFERENCES helplines (id),
    urgency TEXT NOT NULL,
    priority INTEGER NOT NULL,
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    region TEXT NOT NULL,
    relay_kind TEXT NOT NULL,
    relay_training_status TEXT NOT NULL,
    expected_callback_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    forwarded_at TIMESTAMP,
    claimed_by TEXT REFERENCES users (id),
    claim_activity_at TIMESTAMP,
    first_attempt_at TIMESTAMP,
    closed_at TIMESTAMP,
    outcome TEXT,
    escalated_at TIMESTAMP
);
CREATE INDEX signals_relay_created ON signals (relay_point_id, created_at);
CREATE INDEX signals_open ON signals (closed_at, escalated_at);
CREATE INDEX signals_queue ON signals (helpline_id, closed_at, priority, created_at);

CREATE TABLE signal_contacts (
    signal_id TEXT PRIMARY KEY NOT NULL REFERENCES signals (id),
    key_id TEXT NOT NULL,
    wrapped_key BYTEA NOT NULL,
    ciphertext BYTEA NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    signal_id TEXT NOT NULL REFERENCES signals (id),
    helpline_id TEXT NOT NULL REFERENCES helplines (id),
    channel TEXT NOT NULL,
    event TEXT NOT NULL,
    priority INTEGER NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    delivered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_signal ON outbox (signal_id);
CREATE INDEX outbox_due ON outbox (status, priority, next_attempt_at);

CREATE TABLE idempotency_keys (
    user_id TEXT NOT NULL REFERENCES users (id),
    idem_key TEXT NOT NULL,
    request_mac TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

CREATE TABLE resources (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    regions TEXT NOT NULL,
    languages TEXT NOT NULL,
    phone TEXT,
    website TEXT,
    opening_hours TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
