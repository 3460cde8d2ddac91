-- Bots that keep no state: the server keeps each bot's acknowledged position in its event
-- stream (the newest event id it confirmed with chat.ack). A bot registering with
-- "resume: server" gets everything after it. Existing bots start at the current end.
ALTER TABLE bots ADD COLUMN acked_event_id INTEGER NOT NULL DEFAULT 0;
UPDATE bots SET acked_event_id = (SELECT COALESCE(MAX(event_id), 0) FROM messages);
