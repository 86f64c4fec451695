-- Relay network and training: staff invitations, training modules and
-- completions, and what the reminder job has already sent (so it sends once).
-- Dates (completed, expires) are DATE; times are UTC TIMESTAMP; ids are UUID text.

CREATE TABLE staff_invitations (
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
CREATE INDEX staff_invitations_user ON staff_invitations (user_id);

CREATE TABLE training_modules (
    id TEXT PRIMARY KEY NOT NULL,
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('e_learning', 'video', 'in_person')),
    validity_months INTEGER NOT NULL CHECK (validity_months BETWEEN 1 AND 120),
    required BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (programme_id, title)
);

CREATE TABLE training_completions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    module_id TEXT NOT NULL REFERENCES training_modules (id),
    completed_on DATE NOT NULL,
    expires_on DATE NOT NULL,
    recorded_by TEXT REFERENCES users (id),
    certificate_ref TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, module_id, completed_on)
);
CREATE INDEX training_completions_module ON training_completions (module_id);

-- One row per (staff member, module, expiry date) reminded: the unique key is what
-- makes "once per expiry" hold even with several instances running the job.
CREATE TABLE training_reminders (
    user_id TEXT NOT NULL REFERENCES users (id),
    module_id TEXT NOT NULL REFERENCES training_modules (id),
    expires_on DATE NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, module_id, expires_on)
);

-- Each relay point's status as of the last manager digest, to report changes.
CREATE TABLE relay_status_snapshots (
    relay_point_id TEXT PRIMARY KEY NOT NULL REFERENCES relay_points (id),
    status TEXT NOT NULL,
    recorded_on DATE NOT NULL
);

-- One digest per programme and ISO week (e.g. 2026-W48).
CREATE TABLE manager_digests (
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    iso_week TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (programme_id, iso_week)
);

CREATE INDEX relay_points_programme_region ON relay_points (programme_id, region, kind);
CREATE INDEX users_programme_role ON users (programme_id, role);
