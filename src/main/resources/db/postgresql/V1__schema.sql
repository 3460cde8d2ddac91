-- Parley's schema on PostgreSQL: the same tables and columns as SQLite's db/migration V1–V6
-- (one script, since no PostgreSQL store predates it), plus what SQLite keeps in derived files:
-- the idempotency keys (SQLite's keys.db) and the full-text index (SQLite's search.db). A store
-- that takes over from another finds both here. Flags are integers 0/1, as on SQLite, so the
-- store's statements are the same for both.

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
  id          TEXT PRIMARY KEY,
  type        TEXT NOT NULL CHECK (type IN ('direct', 'group')),
  title       TEXT,
  direct_key  TEXT UNIQUE,
  activity_id BIGINT NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL
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

CREATE TABLE media (
  id          TEXT PRIMARY KEY,
  owner_id    TEXT NOT NULL REFERENCES users (id),
  kind        TEXT NOT NULL CHECK (kind IN ('image', 'voice', 'file')),
  mime        TEXT NOT NULL,
  size        BIGINT NOT NULL,
  name        TEXT NOT NULL,
  width       INTEGER,
  height      INTEGER,
  duration_ms BIGINT,
  thumbnail   INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL
);
CREATE INDEX media_created ON media (created_at);
CREATE INDEX users_avatar ON users (avatar_media_id) WHERE avatar_media_id IS NOT NULL;

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
  -- unique per sender: client_keys, or the store's memory for the newest, says which message has it
  client_id       TEXT,
  created_at      TEXT NOT NULL,
  edited_at       TEXT,
  recalled        INTEGER NOT NULL DEFAULT 0,
  system          TEXT,
  reactions       TEXT,
  UNIQUE (conversation_id, seq)
);
CREATE INDEX messages_event ON messages (event_id);
CREATE INDEX messages_media ON messages (media_id) WHERE media_id IS NOT NULL;

-- Full-text search: PostgreSQL's own parser with the 'simple' dictionary (no stemming, no stop
-- words: chat is many languages at once) after unaccent, like SQLite's unicode61
-- remove_diacritics. The GIN index on the expression is kept by PostgreSQL in the same
-- transaction as the message; its fast-update list keeps that cheap for a write batch.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION parley (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION parley ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
CREATE INDEX messages_fts ON messages USING GIN (to_tsvector('parley', COALESCE(text, '')));

-- n keeps the order reactions arrived in (SQLite's rowid): the first 20 reactors are the ones shown.
CREATE TABLE reactions (
  n          BIGSERIAL,
  message_id BIGINT NOT NULL REFERENCES messages (id),
  emoji      TEXT NOT NULL,
  user_id    TEXT NOT NULL REFERENCES users (id),
  reacted_at TEXT NOT NULL,
  PRIMARY KEY (message_id, emoji, user_id)
);

CREATE TABLE shares (
  n               BIGSERIAL PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  token_hash      TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL REFERENCES conversations (id),
  creator_id      TEXT NOT NULL REFERENCES users (id),
  from_seq        BIGINT NOT NULL,
  to_seq          BIGINT NOT NULL,
  created_at      TEXT NOT NULL,
  expires_at      BIGINT,
  revoked         INTEGER NOT NULL DEFAULT 0,
  views           BIGINT NOT NULL DEFAULT 0,
  token           TEXT,
  CHECK (from_seq >= 1 AND to_seq >= from_seq)
);
CREATE INDEX shares_conversation ON shares (conversation_id, creator_id);

CREATE TABLE bots (
  user_id    TEXT PRIMARY KEY REFERENCES users (id),
  owner_id   TEXT NOT NULL REFERENCES users (id),
  token_hash TEXT UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX bots_owner ON bots (owner_id);

-- Idempotency keys, moved here some time after their messages (store/ClientKeys), as on SQLite's
-- keys.db but in the same database: a store that takes over reads the mark and the keys of the
-- messages past it, exactly as a restarted one does.
CREATE TABLE client_keys (
  sender_id  TEXT NOT NULL,
  client_id  TEXT NOT NULL,
  message_id BIGINT NOT NULL,
  PRIMARY KEY (sender_id, client_id)
);
CREATE TABLE moved (id INTEGER PRIMARY KEY CHECK (id = 1), up_to BIGINT NOT NULL);
INSERT INTO moved (id, up_to) VALUES (1, 0);
