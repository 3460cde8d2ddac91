-- As SQLite's V13. Administration (issue 21): server admins, disabled accounts, the audit log,
-- one-time password-reset links and settings an admin changes at run time.

-- admin: an admin made by the first registration or by another admin (auth.admins adds more,
-- from configuration, without a row change). disabled_at: when an admin disabled the account.
ALTER TABLE users ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN disabled_at TEXT;
-- A server from before admins existed: its earliest person becomes the admin.
UPDATE users SET admin = 1 WHERE id = (SELECT id FROM users WHERE bot = 0 ORDER BY created_at, id LIMIT 1);

-- Every admin action that changed something, written in the transaction that made the change.
-- id is handed out by the store; detail is a JSON object.
CREATE TABLE audit_log (
  id             BIGINT PRIMARY KEY,
  at             TEXT NOT NULL,
  actor_id       TEXT NOT NULL,
  action         TEXT NOT NULL,
  target_type    TEXT,
  target_id      TEXT,
  detail         TEXT NOT NULL,
  client_address TEXT
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- Invitation links: the code is kept as its SHA-256 only.
CREATE TABLE invitations (
  id         TEXT PRIMARY KEY,
  code_hash  TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  max_uses   INTEGER NOT NULL,
  uses       INTEGER NOT NULL DEFAULT 0,
  revoked    INTEGER NOT NULL DEFAULT 0
);

-- One-time links to choose a new password, made by an admin; the token kept as its SHA-256.
CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id),
  created_by TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Settings an admin changes from the admin page; they win over configuration once set.
CREATE TABLE server_settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
