DROP TABLE staff_alerts;
