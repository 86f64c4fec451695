-- Coverage over time: once a day, the number of active relay points of each
-- programme by region and training status (relay points are public premises:
-- these counts hold nothing about anyone). Recorded by the retention job; the
-- day's rows are replaced when it runs again the same day.
CREATE TABLE coverage_snapshots (
    day DATE NOT NULL,
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    region TEXT NOT NULL,
    training_status TEXT NOT NULL,
    relay_points INTEGER NOT NULL,
    PRIMARY KEY (programme_id, day, region, training_status)
);
