-- The callback queue in its exact order (priority, created_at, id), one partial index
-- per listing: open cases (small, hot) and closed ones. With 1,000,000 stored signals
-- the closed listing otherwise sorts every closed signal of the helpline on each
-- request, and the open one sorts on the id tie-break (docs/BENCHMARKS.md).
CREATE INDEX signals_queue_open ON signals (helpline_id, priority, created_at, id) WHERE closed_at IS NULL;
CREATE INDEX signals_queue_closed ON signals (helpline_id, priority, created_at, id) WHERE closed_at IS NOT NULL;
