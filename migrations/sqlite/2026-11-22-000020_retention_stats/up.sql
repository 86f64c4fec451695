-- Retention and anonymised statistics.
-- signals: when the helpline's supervisors were warned of the coming expiry (once per
-- signal), whether the row has been minimised (contact gone, times cut to the day,
-- operational columns cleared), and the two durations statistics need, in whole
-- minutes, kept because the minimised timestamps no longer give them.
ALTER TABLE signals ADD COLUMN expiry_warned_at TIMESTAMP;
ALTER TABLE signals ADD COLUMN minimised BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE signals ADD COLUMN minutes_to_first_attempt INTEGER;
ALTER TABLE signals ADD COLUMN minutes_to_close INTEGER;
CREATE INDEX signals_created ON signals (created_at);
CREATE INDEX signals_unminimised ON signals (minimised, closed_at);

-- Monthly anonymous aggregates of signals older than SAFERELAY_ROLLUP_AFTER_MONTHS.
-- One row per combination of the statistics dimensions; durations are kept as
-- per-minute histograms (JSON {"minutes": count}) so medians and p90 stay exact.
-- No foreign keys: aggregates outlive the rows they summarise.
CREATE TABLE signal_rollups (
    id TEXT PRIMARY KEY NOT NULL,
    month TEXT NOT NULL,
    programme_id TEXT NOT NULL,
    region TEXT NOT NULL,
    relay_kind TEXT NOT NULL,
    helpline_id TEXT NOT NULL,
    urgency TEXT NOT NULL,
    outcome TEXT NOT NULL,
    language TEXT NOT NULL,
    relay_training_status TEXT NOT NULL,
    signals INTEGER NOT NULL,
    first_attempt_minutes TEXT NOT NULL,
    close_minutes TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (month, programme_id, region, relay_kind, helpline_id, urgency, outcome, language, relay_training_status)
);
CREATE INDEX signal_rollups_programme_month ON signal_rollups (programme_id, month);
