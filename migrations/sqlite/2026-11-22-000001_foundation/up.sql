-- Foundation: the scopes users belong to (programmes, relay points, helplines),
-- user accounts and refresh tokens. Ids are UUIDs stored as text, times are UTC.

CREATE TABLE programmes (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    country TEXT NOT NULL DEFAULT 'BE',
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE relay_points (
    id TEXT PRIMARY KEY NOT NULL,
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    external_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('pharmacy', 'hairdresser', 'other')),
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    postcode TEXT NOT NULL,
    municipality TEXT NOT NULL,
    region TEXT NOT NULL CHECK (region IN ('flanders', 'wallonia', 'brussels')),
    languages TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (programme_id, external_id)
);
CREATE INDEX relay_points_programme ON relay_points (programme_id, name);

CREATE TABLE helplines (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    public_phone TEXT NOT NULL,
    languages TEXT NOT NULL,
    time_zone TEXT NOT NULL DEFAULT 'Europe/Brussels',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'programme_manager', 'relay_staff', 'helpline_operator', 'helpline_supervisor')),
    programme_id TEXT REFERENCES programmes (id),
    relay_point_id TEXT REFERENCES relay_points (id),
    helpline_id TEXT REFERENCES helplines (id),
    language TEXT NOT NULL DEFAULT 'en',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    deactivated_at TIMESTAMP
);
CREATE INDEX users_relay_point ON users (relay_point_id);
CREATE INDEX users_helpline ON users (helpline_id);
CREATE INDEX users_programme ON users (programme_id);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
