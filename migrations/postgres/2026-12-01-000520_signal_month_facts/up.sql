-- The figures of a final month, kept once they can no longer change: every
-- signal of the month is closed, and a closed signal's statistics facts never
-- change (retention later moves them into `signal_rollups`, which adds up to the
-- same figures). `facts` is a JSON list of aggregates by the statistics
-- dimensions (region, relay kind, helpline, urgency, outcome, language, training
-- status) with a count and the two duration histograms in whole minutes: no
-- signal, reference or person, exactly like a `signal_rollups` row. Statistics
-- then read twelve rows instead of every signal of a year.
CREATE TABLE signal_month_facts (
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    month TEXT NOT NULL,
    facts TEXT NOT NULL,
    computed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (programme_id, month)
);
