-- What a member of a group wants to be notified of (the browser client's notifications, and
-- Web Push later): every message, mentions of them only (the default), or nothing. Direct
-- conversations always notify unless muted, so the column is only read for groups.
ALTER TABLE members ADD COLUMN notify TEXT NOT NULL DEFAULT 'mentions' CHECK (notify IN ('all', 'mentions', 'nothing'));
