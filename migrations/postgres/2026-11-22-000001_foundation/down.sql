DROP TABLE refresh_tokens;
DROP TABLE users;
DROP TABLE helplines;
DROP TABLE relay_points;
DROP TABLE programmes;
