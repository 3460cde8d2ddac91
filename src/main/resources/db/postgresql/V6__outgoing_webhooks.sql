-- As SQLite's V11. Outgoing webhooks (issue 20): a bot's endpoint, its signing secret (kept as it
-- is: the server signs with it), paused state and the retry series of the event at the head; and
-- the newest 50 delivery attempts per bot.
CREATE TABLE bot_webhooks (
  bot_id           TEXT PRIMARY KEY REFERENCES users (id),
  url              TEXT NOT NULL,
  secret           TEXT NOT NULL,
  paused           INTEGER NOT NULL DEFAULT 0,
  paused_reason    TEXT,
  failing_event_id BIGINT,
  failing_since    BIGINT,
  failures         INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL
);

CREATE TABLE bot_webhook_deliveries (
  id         BIGINT PRIMARY KEY,
  bot_id     TEXT NOT NULL,
  event_id   BIGINT NOT NULL,
  at         TEXT NOT NULL,
  status     INTEGER NOT NULL,
  latency_ms BIGINT NOT NULL,
  error      TEXT
);
CREATE INDEX bot_webhook_deliveries_bot ON bot_webhook_deliveries (bot_id, id);
