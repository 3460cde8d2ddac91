package dev.parley.store;

import dev.parley.shared.Failure;
import dev.parley.shared.MediaCommands;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the store knows about media: one row per filed upload (the bytes are the media verticle's).
 * It answers who may read an item (the uploader; members of a conversation where a message that
 * is not recalled carries it; anyone signed in for a user's avatar, since every user can see every
 * profile) and what a message may carry, and it forgets items nothing uses any more.
 */
final class MediaRecords {

  /** One item with what decides who may read or send it. */
  record Found(String ownerId, String kind, boolean avatar, Set<String> conversations, JsonObject wire) {
  }

  private final Dialect sql;
  /** The owner, the wire JSON ({@link Dialect#mediaJson}), whether it is an avatar and the conversations using it. */
  private final String readers;
  private final StoreState state;
  private final WriteQueue writes;
  private final Pool reader;

  MediaRecords(Dialect sql, StoreState state, WriteQueue writes, Pool reader) {
    this.sql = sql;
    this.readers = "md.owner_id, " + sql.mediaJson() + " AS media_json,"
        + " CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.avatar_media_id = md.id) THEN 1 ELSE 0 END AS avatar,"
        + " (SELECT " + sql.commaList("m.conversation_id") + " FROM messages m WHERE m.media_id = md.id AND m.recalled = 0)"
        + " AS conversations";
    this.state = state;
    this.writes = writes;
    this.reader = reader;
  }

  /** {@code store.media.create}: records an item the media verticle has filed. */
  Future<MediaCommands.MediaReply> create(MediaCommands.Filed cmd) {
    return writes.submit(tx -> {
      String ownerId = cmd.ownerId();
      if (!state.users.containsKey(ownerId)) {
        return Future.failedFuture(Failure.notFound("user"));
      }
      return tx.conn.preparedQuery("INSERT INTO media (id, owner_id, kind, mime, size, name, width, height, duration_ms,"
              + " thumbnail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .execute(Tuple.from(new Object[] {cmd.id(), ownerId, cmd.kind(), cmd.mime(), cmd.size(), cmd.name(), cmd.width(),
              cmd.height(), cmd.durationMs(), cmd.thumbnail() ? 1 : 0, WireViews.now()}))
          .map(rows -> new MediaCommands.MediaReply(WireViews.media(cmd.toJson())));
    });
  }

  /** {@code store.media.get}: the item if {@code userId} may read it, else 404 (existing or not). */
  Future<MediaCommands.MediaReply> get(MediaCommands.GetMedia cmd) {
    String userId = cmd.userId();
    return find(reader, List.of(cmd.mediaId())).compose(found -> {
      Found item = found.get(cmd.mediaId());
      if (item == null || !readable(item, userId)) {
        return Future.failedFuture(Failure.notFound("media"));
      }
      return Future.succeededFuture(new MediaCommands.MediaReply(item.wire()));
    });
  }

  /**
   * The item if a live (not recalled) message of the conversation within the seq range carries
   * it, else 404: what a share may show ({@link Shares#media}). One indexed lookup (messages_media).
   */
  Future<MediaCommands.MediaReply> inRange(String mediaId, String conversationId, long fromSeq, long toSeq) {
    return reader.preparedQuery("SELECT " + sql.mediaJson() + " AS media_json FROM media md WHERE md.id = ? AND EXISTS"
            + " (SELECT 1 FROM messages m WHERE m.media_id = md.id AND m.conversation_id = ? AND m.recalled = 0"
            + " AND m.seq BETWEEN ? AND ?)")
        .execute(Tuple.of(mediaId, conversationId, fromSeq, toSeq))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(Failure.notFound("media"))
            : Future.succeededFuture(new MediaCommands.MediaReply(
                WireViews.media(new JsonObject(rows.iterator().next().getString("media_json"))))));
  }

  private boolean readable(Found item, String userId) {
    if (item.ownerId().equals(userId) || item.avatar()) {
      return true;
    }
    for (String conversationId : item.conversations()) {
      if (state.membership(conversationId, userId) != null) {
        return true;
      }
    }
    return false;
  }

  /** The items of {@code ids} that exist, by id (one query; sends look up their whole batch at once). */
  Future<Map<String, Found>> find(SqlClient db, Collection<String> ids) {
    Map<String, Found> found = new HashMap<>();
    if (ids.isEmpty()) {
      return Future.succeededFuture(found);
    }
    String marks = "?" + ", ?".repeat(ids.size() - 1);
    return db.preparedQuery("SELECT md.id, md.kind, " + readers + " FROM media md WHERE md.id IN (" + marks + ")")
        .execute(Tuple.from(new ArrayList<>(ids)))
        .map(rows -> {
          for (Row row : rows) {
            String conversations = row.getString("conversations");
            found.put(row.getString("id"), new Found(row.getString("owner_id"), row.getString("kind"),
                row.getInteger("avatar") == 1, conversations == null ? Set.of() : Set.of(conversations.split(",")),
                WireViews.media(new JsonObject(row.getString("media_json")))));
          }
          return found;
        });
  }

  /**
   * Why {@code senderId} may not send {@code item} as a {@code type} message, or null if they may:
   * it must exist and be readable by them (their own, or forwarded from a conversation of theirs),
   * and its kind must be the message type. Unknown and unreadable look the same.
   */
  Failure refusal(Found item, String senderId, String type) {
    if (item == null || !readable(item, senderId)) {
      return Failure.invalid("mediaId", "no such media");
    }
    if (!item.kind().equals(type)) {
      return Failure.invalid("mediaId", "the media is " + item.kind() + ", not " + type);
    }
    return null;
  }

  /**
   * {@code store.media.sweep}: forgets items created before {@code before} that no message and
   * no avatar carries, and names them. Run by the single writer, so no send can pick one up
   * between the check and the delete.
   */
  Future<MediaCommands.Swept> sweep(MediaCommands.Sweep cmd) {
    return writes.submit(tx -> tx.conn.preparedQuery("SELECT md.id FROM media md WHERE md.created_at < ?"
            + " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.media_id = md.id)"
            + " AND NOT EXISTS (SELECT 1 FROM users u WHERE u.avatar_media_id = md.id) LIMIT ?")
        .execute(Tuple.of(cmd.before(), cmd.limit()))
        .compose(rows -> {
          List<String> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getString("id")));
          if (ids.isEmpty()) {
            return Future.succeededFuture(new MediaCommands.Swept(List.of()));
          }
          String marks = "?" + ", ?".repeat(ids.size() - 1);
          return tx.conn.preparedQuery("DELETE FROM media WHERE id IN (" + marks + ")").execute(Tuple.from(ids))
              .map(v -> new MediaCommands.Swept(ids));
        }));
  }

  /**
   * An avatar (a user's, a webhook's) must be an image {@code userId} uploaded; null: nothing to
   * check. Fails as {@code invalid_request} on {@code avatarMediaId}.
   */
  static Future<Void> ownImage(WriteQueue.Tx tx, String userId, String mediaId) {
    if (mediaId == null) {
      return Future.succeededFuture();
    }
    return tx.conn.preparedQuery("SELECT owner_id, kind FROM media WHERE id = ?").execute(Tuple.of(mediaId))
        .compose(rows -> {
          Row row = rows.size() == 0 ? null : rows.iterator().next();
          if (row == null || !userId.equals(row.getString("owner_id"))) {
            return Future.failedFuture(Failure.invalid("avatarMediaId", "no such media"));
          }
          if (!"image".equals(row.getString("kind"))) {
            return Future.failedFuture(Failure.invalid("avatarMediaId", "an avatar must be an image"));
          }
          return Future.succeededFuture();
        });
  }
}
