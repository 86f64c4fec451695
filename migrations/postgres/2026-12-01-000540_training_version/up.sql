-- A stamp that every change to what relay points' training statuses are derived
-- from (relay staff accounts, training modules, completions) bumps in the same
-- transaction. The server keeps each programme's statuses of the day in memory and
-- reads only this row to know whether they are still current: the relay-point
-- list of a 20,000-point network need not re-derive them on every page.
CREATE TABLE training_version (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO training_version (id, version) VALUES (1, 0);
