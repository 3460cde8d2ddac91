-- Parley core schema. Portable SQL except the FTS5 search index at the end.
-- Ids of users and conversations are opaque text; message ids and event ids come from one
-- server-wide counter owned by the single writer; seq is per conversation and gap-free.

CREATE TABLE users (
  id              TEXT PRIMARY KEY,
  username        TEXT NOT NULL UNIQUE,
  display_name    TEXT NOT NULL,
  password_hash   TEXT,
  bot             INTEGER NOT NULL DEFAULT 0,
  avatar_media_id TEXT,
  read_receipts   INTEGER NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL,
  last_seen_at    TEXT
);

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  family_id  TEXT NOT NULL,
  user_id    TEXT NOT NULL REFERENCES users (id),
  expires_at BIGINT NOT NULL,
  rotated    INTEGER NOT NULL DEFAULT 0,
  revoked    INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE conversations (
  id               TEXT PRIMARY KEY,
  type             TEXT NOT NULL CHECK (type IN ('direct', 'group')),
  title            TEXT,
  direct_key       TEXT UNIQUE,
  -- The counter value at creation. A conversation's activity is the newer of this and its
  -- last message id; nothing here changes per message, so a send touches no conversation row.
  activity_id      BIGINT NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL
);

CREATE TABLE members (
  conversation_id TEXT NOT NULL REFERENCES conversations (id),
  user_id         TEXT NOT NULL REFERENCES users (id),
  role            TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  joined_at       TEXT NOT NULL,
  joined_seq      BIGINT NOT NULL DEFAULT 0,
  last_read_seq   BIGINT NOT NULL DEFAULT 0,
  delivered_seq   BIGINT NOT NULL DEFAULT 0,
  muted           INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX members_user ON members (user_id);

CREATE TABLE messages (
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
  client_id       TEXT,
  created_at      TEXT NOT NULL,
  edited_at       TEXT,
  recalled        INTEGER NOT NULL DEFAULT 0,
  system          TEXT,
  UNIQUE (conversation_id, seq),
  UNIQUE (sender_id, client_id)
);
-- Resume: every event after a cursor. Event ids only grow, so this index is appended to, not
-- rewritten at random places like a per-conversation one would be on every write batch.
CREATE INDEX messages_event ON messages (event_id);

-- Full-text search lives in its own file (search.db, see db/search): its index is written by
-- its own connection beside this database's single writer, never inside a message batch.
