-- Message lifecycle (issue 7): reactions. Edits use messages.edited_at (V1); delivery and read
-- pointers use members.delivered_seq and members.last_read_seq (V1).

-- Who reacted with what. The primary key makes a reaction idempotent per user and emoji; the
-- rowid keeps the order reactions arrived in (the first 20 reactors are the ones shown).
CREATE TABLE reactions (
  message_id BIGINT NOT NULL REFERENCES messages (id),
  emoji      TEXT NOT NULL,
  user_id    TEXT NOT NULL REFERENCES users (id),
  reacted_at TEXT NOT NULL,
  PRIMARY KEY (message_id, emoji, user_id)
);

-- The message's reactions as the wire shows them, [{emoji, count, userIds (first 20)}], kept
-- up to date by the single writer with every reaction change. Every read of a message (history,
-- search, replay, a conversation's last message) takes it from the row: no reactions query per
-- message or per page. NULL means none.
ALTER TABLE messages ADD COLUMN reactions TEXT;
