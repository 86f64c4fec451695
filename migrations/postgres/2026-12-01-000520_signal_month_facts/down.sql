DROP TABLE signal_month_facts;
