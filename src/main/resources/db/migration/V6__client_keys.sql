-- Idempotent sends without an index on the write path. UNIQUE (sender_id, client_id) on
-- messages cost one random index page per sender in every write batch: half of what storing a
-- message cost (docs/performance.md). The keys now live in keys.db (db/keys), written beside
-- this file's single writer by a connection of their own, some time after their messages; until
-- then the store keeps the newest keys in memory (store/ClientKeys), and at start it reads them
-- back from the messages past keys.db's mark.
--
-- SQLite cannot drop a constraint, so messages is rebuilt with the same columns, rows and ids.
-- reactions refers to messages: its rows step aside while the old table is dropped, so that no
-- foreign key is ever broken, and come back once the new one carries the name.

CREATE TABLE messages_v6 (
  id              BIGINT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations (id),
  seq             BIGINT NOT NULL,
  event_id        BIGINT NOT NULL,
  sender_id       TEXT NOT NULL REFERENCES users (id),
  type            TEXT NOT NULL CHECK (type IN ('text', 'image', 'voice', 'file', 'system')),
  text            TEXT,
  media_id        TEXT,
  reply_to        BIGINT,
  mentions        TEXT,
  -- unique per sender: client_keys, or the store's memory for the newest, says which message has it
  client_id       TEXT,
  created_at      TEXT NOT NULL,
  edited_at       TEXT,
  recalled        INTEGER NOT NULL DEFAULT 0,
  system          TEXT,
  reactions       TEXT,
  UNIQUE (conversation_id, seq)
);
INSERT INTO messages_v6 (id, conversation_id, seq, event_id, sender_id, type, text, media_id, reply_to, mentions,
                         client_id, created_at, edited_at, recalled, system, reactions)
  SELECT id, conversation_id, seq, event_id, sender_id, type, text, media_id, reply_to, mentions,
         client_id, created_at, edited_at, recalled, system, reactions
  FROM messages;

CREATE TEMP TABLE reactions_v6 AS SELECT message_id, emoji, user_id, reacted_at FROM reactions ORDER BY rowid;
DELETE FROM reactions;
DROP TABLE messages;
ALTER TABLE messages_v6 RENAME TO messages;
INSERT INTO reactions (message_id, emoji, user_id, reacted_at)
  SELECT message_id, emoji, user_id, reacted_at FROM reactions_v6 ORDER BY rowid;
DROP TABLE reactions_v6;

CREATE INDEX messages_event ON messages (event_id);
CREATE INDEX messages_media ON messages (media_id) WHERE media_id IS NOT NULL;
