DROP TABLE network_version;
