DROP TABLE coverage_snapshots;
