-- Outgoing webhooks (issue 20): a bot's owner gives it an endpoint, and every durable event the bot
-- would receive is POSTed there, signed with the webhook's secret (HMAC-SHA256). The secret is kept
-- as it is, not hashed: the server signs with it. The bot's kept position (bots.acked_event_id) is
-- the outbox: a delivered event moves it. failing_event_id / failing_since / failures describe the
-- retry series of the event at the head (failing_since in epoch milliseconds), so a restart
-- neither forgets how long it has failed nor starts its backoff again.
CREATE TABLE bot_webhooks (
  bot_id           TEXT PRIMARY KEY REFERENCES users (id),
  url              TEXT NOT NULL,
  secret           TEXT NOT NULL,
  paused           INTEGER NOT NULL DEFAULT 0,
  paused_reason    TEXT,
  failing_event_id INTEGER,
  failing_since    INTEGER,
  failures         INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL
);

-- Each delivery attempt, the newest 50 per bot kept (older rows are deleted as new ones come).
-- status: the HTTP status, 0 when there was no answer. id is handed out by the store.
CREATE TABLE bot_webhook_deliveries (
  id         INTEGER PRIMARY KEY,
  bot_id     TEXT NOT NULL,
  event_id   INTEGER NOT NULL,
  at         TEXT NOT NULL,
  status     INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  error      TEXT
);
CREATE INDEX bot_webhook_deliveries_bot ON bot_webhook_deliveries (bot_id, id);
