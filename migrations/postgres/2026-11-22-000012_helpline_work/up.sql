-- Helpline work: call attempts, the delivery log of the outbox, and the audit log.
-- None of these tables holds contact data: results and codes only.

CREATE TABLE call_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    signal_id TEXT NOT NULL REFERENCES signals (id),
    operator_id TEXT NOT NULL REFERENCES users (id),
    result TEXT NOT NULL,
    next_attempt_at TIMESTAMP,
    outside_safe_windows BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX call_attempts_signal ON call_attempts (signal_id);

CREATE TABLE delivery_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    outbox_id TEXT NOT NULL REFERENCES outbox (id),
    attempted_at TIMESTAMP NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX delivery_attempts_outbox ON delivery_attempts (outbox_id);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    signal_id TEXT,
    subject_id TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE INDEX audit_log_signal ON audit_log (signal_id);
