-- As SQLite's V7: what a member of a group wants to be notified of.
ALTER TABLE members ADD COLUMN notify TEXT NOT NULL DEFAULT 'mentions' CHECK (notify IN ('all', 'mentions', 'nothing'));
