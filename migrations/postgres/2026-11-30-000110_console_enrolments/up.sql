-- A console sign-in whose password was right but whose role needs a second factor
-- not enrolled yet: the cookie holds a random token, the row only its SHA-256. It
-- opens the enrolment page and nothing else, and ends after 10 minutes.
CREATE TABLE console_enrolments (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX console_enrolments_user ON console_enrolments (user_id);
