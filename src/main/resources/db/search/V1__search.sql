-- The search index: a contentless FTS5 table keyed by message id (the text stays in
-- parley.db). It is derived data: it can be deleted and is rebuilt from parley.db at start.
CREATE VIRTUAL TABLE messages_fts USING fts5(text, content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2');

-- How far the index has read parley.db: every message with a smaller id is indexed.
CREATE TABLE indexed (id INTEGER PRIMARY KEY CHECK (id = 1), up_to BIGINT NOT NULL);
INSERT INTO indexed (id, up_to) VALUES (1, 0);
