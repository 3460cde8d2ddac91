-- Message retention (issue 21): a conversation keeps its messages for the server's default
-- (retention.defaultDays) unless it has a setting of its own: retention_days NULL follows the
-- default, 0 keeps everything forever, N keeps N days. The store's sweep deletes expired messages
-- oldest first, so what is left of a conversation is always an unbroken run of its newest seqs.
--
-- A conversation's last seq and the server-wide event counter are read back from the messages at
-- start; once old messages are deleted that could go backwards (a conversation whose messages all
-- expired, or an old message that carried the newest event id after a late reaction). So the
-- sweep records how far it deleted: expired_seq, the highest seq it deleted here, and
-- expired_event_id, the highest event id among those messages. Neither number ever goes back.
ALTER TABLE conversations ADD COLUMN retention_days INTEGER;
ALTER TABLE conversations ADD COLUMN expired_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN expired_event_id BIGINT NOT NULL DEFAULT 0;
