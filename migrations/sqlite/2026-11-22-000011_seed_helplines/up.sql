-- Example destinations, routing rules and referral resources for Belgium. They are
-- ordinary rows: admins edit or replace them through the API (the intake addresses
-- are placeholders to replace with the helplines' real ones).

INSERT INTO helplines (id, code, name, public_phone, languages, time_zone, active, created_at, kind, intake_email, weekly_hours, exceptions)
VALUES
  ('00000000-0000-4000-8000-000000001712', '1712', 'Hulplijn 1712', '1712', 'nl', 'Europe/Brussels', TRUE, '2026-11-22 00:00:00', 'helpline', 'intake-1712@example.be',
   '[{"day":"mon","start":"09:00","end":"17:00"},{"day":"tue","start":"09:00","end":"17:00"},{"day":"wed","start":"09:00","end":"17:00"},{"day":"thu","start":"09:00","end":"17:00"},{"day":"fri","start":"09:00","end":"17:00"}]',
   '[]'),
  ('00000000-0000-4000-8000-000000030030', 'evc', 'Écoute Violences Conjugales', '0800 30 030', 'fr', 'Europe/Brussels', TRUE, '2026-11-22 00:00:00', 'helpline', 'intake-evc@example.be',
   '[{"day":"mon","start":"00:00","end":"24:00"},{"day":"tue","start":"00:00","end":"24:00"},{"day":"wed","start":"00:00","end":"24:00"},{"day":"thu","start":"00:00","end":"24:00"},{"day":"fri","start":"00:00","end":"24:00"},{"day":"sat","start":"00:00","end":"24:00"},{"day":"sun","start":"00:00","end":"24:00"}]',
   '[]');

INSERT INTO routing_rules (id, priority, region, postcode_from, postcode_to, language, helpline_id, created_at)
VALUES
  ('00000000-0000-4000-8001-000000000010', 10, NULL, NULL, NULL, 'nl', '00000000-0000-4000-8000-000000001712', '2026-11-22 00:00:00'),
  ('00000000-0000-4000-8001-000000000020', 20, NULL, NULL, NULL, 'fr', '00000000-0000-4000-8000-000000030030', '2026-11-22 00:00:00'),
  ('00000000-0000-4000-8001-000000000030', 30, NULL, NULL, NULL, 'de', '00000000-0000-4000-8000-000000030030', '2026-11-22 00:00:00'),
  ('00000000-0000-4000-8001-000000000040', 40, 'flanders', NULL, NULL, NULL, '00000000-0000-4000-8000-000000001712', '2026-11-22 00:00:00'),
  ('00000000-0000-4000-8001-000000000050', 50, 'wallonia', NULL, NULL, NULL, '00000000-0000-4000-8000-000000030030', '2026-11-22 00:00:00'),
  ('00000000-0000-4000-8001-000000000060', 60, 'brussels', NULL, NULL, NULL, '00000000-0000-4000-8000-000000030030', '2026-11-22 00:00:00');

INSERT INTO resources (id, kind, name, regions, languages, phone, website, opening_hours, active, created_at, updated_at)
VALUES
  ('00000000-0000-4000-8002-000000000112', 'emergency', 'Emergency services', 'flanders,wallonia,brussels', 'nl,fr,de,en', '112', NULL, '24/7', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
  ('00000000-0000-4000-8002-000000000101', 'police_victim_support', 'Police (non-urgent), victim support', 'flanders,wallonia,brussels', 'nl,fr,de', '101', NULL, '24/7', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
  ('00000000-0000-4000-8002-000000001712', 'helpline', 'Hulplijn 1712', 'flanders,brussels', 'nl', '1712', NULL, 'Mon-Fri 09:00-17:00', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
  ('00000000-0000-4000-8002-000000030030', 'helpline', 'Écoute Violences Conjugales', 'wallonia,brussels', 'fr', '0800 30 030', NULL, '24/7', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
  ('00000000-0000-4000-8002-000000000106', 'helpline', 'Tele-Onthaal', 'flanders,brussels', 'nl', '106', NULL, '24/7', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
  ('00000000-0000-4000-8002-000000000107', 'helpline', 'Télé-Accueil', 'wallonia,brussels', 'fr', '107', NULL, '24/7', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00');
