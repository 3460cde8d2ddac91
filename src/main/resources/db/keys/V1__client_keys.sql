-- Idempotency keys: which message a sender's clientId names, for the messages up to the mark.
-- Derived data, like search.db: written by its own connection beside parley.db's single writer,
-- never inside a message batch, and rebuilt from parley.db's messages if deleted.
CREATE TABLE client_keys (
  sender_id  TEXT NOT NULL,
  client_id  TEXT NOT NULL,
  message_id BIGINT NOT NULL,
  PRIMARY KEY (sender_id, client_id)
) WITHOUT ROWID;

-- How far the keys have been moved here: every message with an id up to up_to has its key in
-- client_keys; the store holds the keys of newer messages in memory.
CREATE TABLE moved (id INTEGER PRIMARY KEY CHECK (id = 1), up_to BIGINT NOT NULL);
INSERT INTO moved (id, up_to) VALUES (1, 0);
