-- Web Push: each browser or installed app that asked to be told of messages while no Parley
-- tab is open (one row per push endpoint, which the push service made for that device), and the
-- server's own keys. The VAPID key pair lives in the database, not in a node's data folder:
-- every subscription is bound to the public key it was made with, so a store that takes over,
-- or a copy made by migrate-store, must sign with the same one.
CREATE TABLE push_subscriptions (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id),
  endpoint   TEXT NOT NULL UNIQUE,
  p256dh     TEXT NOT NULL,
  auth       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

CREATE TABLE server_keys (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
