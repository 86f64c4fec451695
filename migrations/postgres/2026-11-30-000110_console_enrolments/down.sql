DROP TABLE console_enrolments;
