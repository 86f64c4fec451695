DROP INDEX signals_queue_closed;
DROP INDEX signals_queue_open;
