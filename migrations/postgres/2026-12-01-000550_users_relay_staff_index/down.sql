DROP INDEX users_relay_point_staff;
