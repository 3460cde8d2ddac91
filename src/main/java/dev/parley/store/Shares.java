package dev.parley.store;

import dev.parley.shared.BusBody;
import dev.parley.shared.Failure;
import dev.parley.shared.Ids;
import dev.parley.shared.MediaCommands;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Shares: public, read-only links to a {@code fromSeq..toSeq} range of a conversation. The token
 * is known only to the api and the link's holders; the store keeps its SHA-256 and finds a share
 * by that hash. A share is live while it is not revoked, not expired, and its creator is still a
 * member (someone who left cannot keep publishing the conversation). WireViews are writes: they go
 * through the single writer, many views of a batch in one statement per share.
 */
final class Shares {
  static final int MAX_ACTIVE_PER_CREATOR = 100;
  private static final String COLUMNS = "n, id, conversation_id, creator_id, from_seq, to_seq, created_at, expires_at,"
      + " revoked, views, token";
  private static final String LIVE = "revoked = 0 AND (expires_at IS NULL OR expires_at > ?)";

  private final Dialect sql;
  private final StoreState state;
  private final WriteQueue writes;
  private final Pool reader;
  private final MediaRecords media;
  private final WriteQueue.Bulk<String, Long> countViews = this::countAll;

  Shares(Dialect sql, StoreState state, WriteQueue writes, Pool reader, MediaRecords media) {
    this.sql = sql;
    this.state = state;
    this.writes = writes;
    this.reader = reader;
    this.media = media;
  }

  /** {@code store.share.create}: the api has checked the numbers; the range must exist. */
  Future<MediaCommands.ShareReply> create(MediaCommands.CreateShare cmd) {
    String userId = cmd.userId();
    long fromSeq = cmd.fromSeq();
    long toSeq = cmd.toSeq();
    Long expiresAt = cmd.expiresAt();
    return writes.submit(tx -> {
      StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
      if (c == null) {
        return Future.failedFuture(Failure.notFound("conversation"));
      }
      if (toSeq > c.lastSeq) {
        return Future.failedFuture(Failure.invalid("toSeq", "toSeq is past the last message (seq " + c.lastSeq + ")"));
      }
      return tx.conn.preparedQuery("SELECT COUNT(*) AS n FROM shares WHERE conversation_id = ? AND creator_id = ? AND " + LIVE)
          .execute(Tuple.of(c.id, userId, System.currentTimeMillis()))
          .compose(rows -> {
            if (rows.iterator().next().getLong("n") >= MAX_ACTIVE_PER_CREATOR) {
              return Future.failedFuture(Failure.conflict("at most " + MAX_ACTIVE_PER_CREATOR
                  + " active shares per conversation; revoke one first"));
            }
            String id = Ids.next("s");
            String at = WireViews.now();
            return tx.conn.preparedQuery("INSERT INTO shares (id, token_hash, token, conversation_id, creator_id, from_seq,"
                    + " to_seq, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(Tuple.from(new Object[] {id, cmd.tokenHash(), cmd.token(), c.id, userId, fromSeq, toSeq, at,
                    expiresAt}))
                .map(v -> new MediaCommands.ShareReply(json(id, c.id, userId, fromSeq, toSeq, at, expiresAt, 0)));
          });
    });
  }

  /**
   * {@code store.share.list}: live shares, newest first. A group's owner and admins see every
   * share of the group (they may revoke any); everyone else sees their own.
   */
  Future<MediaCommands.SharesPage> list(MediaCommands.ListShares cmd) {
    String userId = cmd.userId();
    StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
    if (c == null) {
      return Future.failedFuture(Failure.notFound("conversation"));
    }
    int limit = cmd.limit();
    List<Object> params = new ArrayList<>(List.of(c.id, System.currentTimeMillis()));
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM shares WHERE conversation_id = ? AND " + LIVE);
    if (!moderates(c, userId)) {
      sql.append(" AND creator_id = ?");
      params.add(userId);
    }
    Long cursor = cmd.cursor();
    if (cursor != null) {
      sql.append(" AND n < ?");
      params.add(cursor);
    }
    return page(sql, params, limit, share -> {
    });
  }

  /**
   * {@code store.admin.shares}: the live shares of the whole server, newest first, each with the
   * title its conversation shows (for a direct one, its two members' names).
   */
  Future<MediaCommands.SharesPage> listAll(int limit, Long cursor) {
    List<Object> params = new ArrayList<>(List.of(System.currentTimeMillis()));
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM shares WHERE " + LIVE);
    if (cursor != null) {
      sql.append(" AND n < ?");
      params.add(cursor);
    }
    return page(sql, params, limit, share -> {
      StoreState.Conversation c = state.conversations.get(share.getString("conversationId"));
      share.put("conversationTitle", c == null ? "" : c.isGroup() ? c.title
          : String.join(" & ", c.roles.keySet().stream().map(id -> state.users.get(id).displayName).toList()));
    });
  }

  /** Newest first (n numbers shares in creation order), with the token, and a cursor when more follow. */
  private Future<MediaCommands.SharesPage> page(StringBuilder sql, List<Object> params, int limit,
                                                Consumer<JsonObject> extra) {
    sql.append(" ORDER BY n DESC LIMIT ?");
    params.add(limit + 1);
    return reader.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> {
      JsonArray shares = new JsonArray();
      String next = null;
      long last = 0;
      for (Row row : rows) {
        if (shares.size() == limit) {
          next = String.valueOf(last);
          break;
        }
        JsonObject share = json(row);
        if (row.getString("token") != null) {
          share.put("token", row.getString("token"));
        }
        extra.accept(share);
        shares.add(share);
        last = row.getLong("n");
      }
      return new MediaCommands.SharesPage(shares, next);
    });
  }

  /** Revokes a live share whoever made it (an admin decided so): false if there is no such live share. */
  Future<Boolean> revokeAny(WriteQueue.Tx tx, String shareId) {
    return tx.conn.preparedQuery("UPDATE shares SET revoked = 1 WHERE id = ? AND revoked = 0").execute(Tuple.of(shareId))
        .map(rows -> rows.rowCount() > 0);
  }

  /** {@code store.share.revoke}: by id or token hash; the creator, or a group's owner/admin. */
  Future<BusBody.Empty> revoke(MediaCommands.RevokeShare cmd) {
    String userId = cmd.userId();
    boolean byId = cmd.shareId() != null;
    return writes.submit(tx -> tx.conn.preparedQuery("SELECT " + COLUMNS + " FROM shares WHERE "
            + (byId ? "id" : "token_hash") + " = ? AND revoked = 0")
        .execute(Tuple.of(byId ? cmd.shareId() : cmd.tokenHash()))
        .compose(rows -> {
          Row row = first(rows);
          if (row == null) {
            return Future.failedFuture(Failure.notFound("share"));
          }
          StoreState.Conversation c = state.conversations.get(row.getString("conversation_id"));
          if (!userId.equals(row.getString("creator_id")) && !moderates(c, userId)) {
            return Future.failedFuture(c != null && c.roles.containsKey(userId)
                ? Failure.forbidden("only the creator or a group owner/admin may revoke a share")
                : Failure.notFound("share"));
          }
          return tx.conn.preparedQuery("UPDATE shares SET revoked = 1 WHERE id = ?").execute(Tuple.of(row.getString("id")))
              .map(v -> BusBody.Empty.INSTANCE);
        }));
  }

  /** {@code store.share.view}: counts a view, then reads the range as it is now. */
  Future<MediaCommands.SharedRange> view(MediaCommands.ViewShare cmd) {
    if (cmd.check()) {
      return live(cmd.tokenHash()).map(share -> MediaCommands.SharedRange.CHECKED);
    }
    return live(cmd.tokenHash()).compose(share -> writes.submit(countViews, share.getString("id"))
        .compose(views -> reader.preparedQuery("SELECT " + sql.messageColumns() + " FROM messages m"
                + " WHERE m.conversation_id = ? AND m.seq BETWEEN ? AND ? ORDER BY m.seq")
            .execute(Tuple.of(share.getString("conversationId"), share.getLong("fromSeq"), share.getLong("toSeq")))
            .map(rows -> {
              JsonArray messages = new JsonArray();
              Set<String> userIds = new LinkedHashSet<>();
              for (Row row : rows) {
                JsonObject message = WireViews.message(row);
                // The sender's idempotency key is theirs, not the public's.
                message.remove("clientId");
                messages.add(message);
                collectUsers(message, userIds);
              }
              JsonArray users = new JsonArray();
              for (String id : userIds) {
                StoreState.User u = state.users.get(id);
                if (u != null) {
                  users.add(new JsonObject().put("id", u.id).put("displayName", u.displayName).put("bot", u.bot));
                }
              }
              StoreState.Conversation c = state.conversations.get(share.getString("conversationId"));
              return new MediaCommands.SharedRange(new JsonObject().put("title", c == null ? null : c.title), messages,
                  users, views, share.getString("expiresAt"));
            })));
  }

  /**
   * {@code store.share.media}: the media item a live share may show, that is, one a message of
   * its range that is not recalled carries. The api then serves its bytes from the media folder.
   */
  Future<MediaCommands.MediaReply> media(MediaCommands.SharedMedia cmd) {
    return live(cmd.tokenHash()).compose(share -> media.inRange(cmd.mediaId(),
        share.getString("conversationId"), share.getLong("fromSeq"), share.getLong("toSeq")));
  }

  /** The share of a token hash if it is live; one 404 for every other case, so none can be told apart. */
  private Future<JsonObject> live(String tokenHash) {
    return reader.preparedQuery("SELECT " + COLUMNS + " FROM shares WHERE token_hash = ? AND " + LIVE)
        .execute(Tuple.of(tokenHash == null ? "" : tokenHash, System.currentTimeMillis()))
        .compose(rows -> {
          Row row = first(rows);
          if (row == null || state.membership(row.getString("conversation_id"), row.getString("creator_id")) == null) {
            return Future.failedFuture(Failure.notFound("share"));
          }
          return Future.succeededFuture(json(row));
        });
  }

  /** One batch of views: one update per share, then each view gets its own running number. */
  private Future<List<AsyncResult<Long>>> countAll(WriteQueue.Tx tx, List<String> ids) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    ids.forEach(id -> counts.merge(id, 1, Integer::sum));
    List<Tuple> updates = new ArrayList<>();
    counts.forEach((id, n) -> updates.add(Tuple.of(n, id)));
    String marks = "?" + ", ?".repeat(counts.size() - 1);
    return tx.conn.preparedQuery("UPDATE shares SET views = views + ? WHERE id = ?").executeBatch(updates)
        .compose(v -> tx.conn.preparedQuery("SELECT id, views FROM shares WHERE id IN (" + marks + ")")
            .execute(Tuple.from(new ArrayList<>(counts.keySet()))))
        .map(rows -> {
          Map<String, Long> next = new LinkedHashMap<>();
          rows.forEach(row -> next.put(row.getString("id"), row.getLong("views") - counts.get(row.getString("id")) + 1));
          List<AsyncResult<Long>> outcomes = new ArrayList<>(ids.size());
          for (String id : ids) {
            long number = next.merge(id, 1L, Long::sum) - 1;
            outcomes.add(Future.succeededFuture(number));
          }
          return outcomes;
        });
  }

  private static void collectUsers(JsonObject message, Set<String> ids) {
    ids.add(message.getString("senderId"));
    message.getJsonArray("mentions", new JsonArray()).forEach(id -> ids.add((String) id));
    JsonObject system = message.getJsonObject("system");
    if (system != null) {
      ids.add(system.getString("userId"));
      ids.add(system.getString("by"));
    }
    ids.remove(null);
  }

  private static boolean moderates(StoreState.Conversation c, String userId) {
    String role = c == null ? null : c.roles.get(userId);
    return c != null && c.isGroup() && ("owner".equals(role) || "admin".equals(role));
  }

  private static Row first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  private static JsonObject json(Row row) {
    return json(row.getString("id"), row.getString("conversation_id"), row.getString("creator_id"), row.getLong("from_seq"),
        row.getLong("to_seq"), row.getString("created_at"), row.getLong("expires_at"), row.getLong("views"));
  }

  private static JsonObject json(String id, String conversationId, String creatorId, long fromSeq, long toSeq,
                                 String createdAt, Long expiresAt, long views) {
    return new JsonObject().put("id", id).put("conversationId", conversationId).put("creatorId", creatorId)
        .put("fromSeq", fromSeq).put("toSeq", toSeq).put("createdAt", createdAt)
        .put("expiresAt", expiresAt == null ? null : Instant.ofEpochMilli(expiresAt).toString())
        .put("views", views);
  }
}
