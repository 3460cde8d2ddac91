-- As SQLite's V12: a conversation's own retention (NULL: the server's default, 0: forever, N
-- days), and how far the retention sweep has deleted (the highest seq and event id it deleted),
-- so that neither a conversation's seq nor the event counter goes back once old messages are gone.
ALTER TABLE conversations ADD COLUMN retention_days INTEGER;
ALTER TABLE conversations ADD COLUMN expired_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN expired_event_id BIGINT NOT NULL DEFAULT 0;
