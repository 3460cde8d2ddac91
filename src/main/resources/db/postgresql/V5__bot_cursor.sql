-- As SQLite's V10: each bot's acknowledged position, kept by the server.
ALTER TABLE bots ADD COLUMN acked_event_id BIGINT NOT NULL DEFAULT 0;
UPDATE bots SET acked_event_id = (SELECT COALESCE(MAX(event_id), 0) FROM messages);
