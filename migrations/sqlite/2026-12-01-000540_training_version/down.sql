DROP TABLE training_version;
