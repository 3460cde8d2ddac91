-- Media: one row per filed upload. The bytes live in the media folder under the id
-- (shared/MediaFiles); this row is what the store knows about them.

CREATE TABLE media (
  id          TEXT PRIMARY KEY,
  owner_id    TEXT NOT NULL REFERENCES users (id),
  kind        TEXT NOT NULL CHECK (kind IN ('image', 'voice', 'file')),
  mime        TEXT NOT NULL,
  size        BIGINT NOT NULL,
  name        TEXT NOT NULL,
  width       INTEGER,
  height      INTEGER,
  duration_ms BIGINT,
  thumbnail   INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL
);
-- The cleanup job walks old rows first.
CREATE INDEX media_created ON media (created_at);

-- Who may read a media item, and whether anything still uses it: the messages and avatars that
-- carry it. Partial indexes: text messages and users without an avatar cost nothing.
CREATE INDEX messages_media ON messages (media_id) WHERE media_id IS NOT NULL;
CREATE INDEX users_avatar ON users (avatar_media_id) WHERE avatar_media_id IS NOT NULL;
