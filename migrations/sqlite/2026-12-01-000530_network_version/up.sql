-- A stamp that every change to the routing network (helplines with their hours,
-- holidays and channels; routing rules) and to the referral directory bumps in
-- the same transaction. Intake keeps the network in memory and reads only this
-- row per signal: a changed stamp makes it load the network again, so every
-- instance routes by an admin's change from the next signal on.
CREATE TABLE network_version (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO network_version (id, version) VALUES (1, 0);
