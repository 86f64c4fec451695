DROP TABLE push_keys;
DROP TABLE push_messages;
DROP TABLE push_subscriptions;
