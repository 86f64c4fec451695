-- Alerts to staff (escalations, dead letters, intake alerts) through a durable
-- queue: written in the transaction of the change they report, sent by the outbox
-- worker with retries. They carry a reference, a relay point's name, a region or a
-- channel, never a victim's contact.
CREATE TABLE staff_alerts (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX staff_alerts_due ON staff_alerts (status, next_attempt_at);
