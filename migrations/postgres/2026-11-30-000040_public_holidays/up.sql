-- Whether a helpline's weekly hours also run on Belgian public holidays (computed in
-- src/routing/holidays.rs); closed on them unless set. The seeded 0800 30 030 line is
-- open every day of the year; 1712 is closed on public holidays.
ALTER TABLE helplines ADD COLUMN open_on_public_holidays BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE helplines SET open_on_public_holidays = TRUE WHERE id = '00000000-0000-4000-8000-000000030030';
