DROP INDEX signals_open_by_time;
