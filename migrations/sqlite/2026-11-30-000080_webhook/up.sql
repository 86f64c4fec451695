-- A change of a helpline's delivery channels (webhook URL or secret, intake e-mail)
-- holds the deliveries of signals filed before it until a supervisor confirms it.
ALTER TABLE helplines ADD COLUMN channels_changed_at TIMESTAMP;
ALTER TABLE helplines ADD COLUMN channels_confirmed_at TIMESTAMP;

-- E-mails telling a helpline's supervisors that its channels or languages changed,
-- one row per supervisor, deleted once sent (retried until then).
CREATE TABLE helpline_notices (
    id TEXT PRIMARY KEY NOT NULL,
    helpline_id TEXT NOT NULL REFERENCES helplines (id),
    recipient TEXT NOT NULL,
    language TEXT NOT NULL,
    changed TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX helpline_notices_due ON helpline_notices (next_attempt_at);
