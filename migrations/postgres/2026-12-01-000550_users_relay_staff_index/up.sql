-- A relay point's active staff, looked up on every signal (its training status)
-- and on its page. Without it SQLite prefers `users_programme_role` (two equal
-- columns) and reads every staff member of the programme: 60,000 rows for a
-- 20,000-point network, which cut intake from ~1,100 to ~20 signals a second in
-- the benchmark's cost curve.
CREATE INDEX users_relay_point_staff ON users (relay_point_id, role, active);
