-- Shares (public read-only links to a range of a conversation) and bots (users with a
-- long-lived token instead of a password). Both tokens are stored only as SHA-256 hashes:
-- lookups are by hash, so a guess is compared with nothing secret.

CREATE TABLE shares (
  -- creation order, for paging lists (an alias of the rowid, stable across VACUUM)
  n               INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  token_hash      TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL REFERENCES conversations (id),
  creator_id      TEXT NOT NULL REFERENCES users (id),
  from_seq        BIGINT NOT NULL,
  to_seq          BIGINT NOT NULL,
  created_at      TEXT NOT NULL,
  -- epoch ms; NULL never expires
  expires_at      BIGINT,
  revoked         INTEGER NOT NULL DEFAULT 0,
  views           BIGINT NOT NULL DEFAULT 0,
  CHECK (from_seq >= 1 AND to_seq >= from_seq)
);
CREATE INDEX shares_conversation ON shares (conversation_id, creator_id);

CREATE TABLE bots (
  user_id    TEXT PRIMARY KEY REFERENCES users (id),
  owner_id   TEXT NOT NULL REFERENCES users (id),
  -- NULL once revoked: the token then matches nothing
  token_hash TEXT UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX bots_owner ON bots (owner_id);
