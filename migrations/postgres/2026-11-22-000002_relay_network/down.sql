DROP INDEX users_programme_role;
DROP INDEX relay_points_programme_region;
DROP TABLE manager_digests;
DROP TABLE relay_status_snapshots;
DROP TABLE training_reminders;
DROP TABLE training_completions;
DROP TABLE training_modules;
DROP TABLE staff_invitations;
