DROP TABLE audit_log;
DROP TABLE delivery_attempts;
DROP TABLE call_attempts;
