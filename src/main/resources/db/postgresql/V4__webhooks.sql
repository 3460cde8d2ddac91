-- As SQLite's V9. Incoming webhooks (issue 20): a conversation's integrations post through a secret URL. Each
-- webhook has its own sender, a bot user (bot = 1, no password, username "webhook:<id>", which no
-- person can register) that is not a member of the conversation. The URL's secret is kept only as
-- its SHA-256; a revoked webhook loses it (secret_hash NULL) and keeps its row, so its messages
-- still name it. A message posted through one carries "via" (JSON: {webhook, name}).
ALTER TABLE messages ADD COLUMN via TEXT;

CREATE TABLE webhooks (
  id              TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations (id),
  creator_id      TEXT NOT NULL REFERENCES users (id),
  sender_id       TEXT NOT NULL REFERENCES users (id),
  name            TEXT NOT NULL,
  secret_hash     TEXT UNIQUE,
  created_at      TEXT NOT NULL,
  revoked_at      TEXT
);
CREATE INDEX webhooks_conversation ON webhooks (conversation_id);
