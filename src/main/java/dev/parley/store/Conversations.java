package dev.parley.store;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.BusBody;
import dev.parley.shared.ConversationCommands;
import dev.parley.shared.Failure;
import dev.parley.shared.Frames;
import dev.parley.shared.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Conversations: creation, the caller's list and views, rename, retention, mute, the notification
 * level and typing (pointers: {@link Receipts}).
 */
final class Conversations {
  static final int SHOWN_MEMBERS = 20;
  /** What a member of a group is notified of, by default: mentions of them. */
  static final String NOTIFY_DEFAULT = "mentions";
  /** A direct conversation's level: every message (it can only be muted). */
  static final String NOTIFY_ALL = "all";
  static final String NOTIFY_NOTHING = "nothing";
  static final Set<String> NOTIFY_LEVELS = Set.of(NOTIFY_ALL, NOTIFY_DEFAULT, NOTIFY_NOTHING);
  /**
   * The caller's conversations with their last message (the highest seq, found through the
   * (conversation, seq) index) and activity: the newer of the creation and the last message.
   */
  private static String viewSql(Dialect sql, String where) {
    return "SELECT * FROM (SELECT c.id AS conv_id,"
        + " " + sql.greatest("c.activity_id", "COALESCE(m.id, 0)") + " AS conv_activity,"
        + " mb.last_read_seq AS my_read, mb.muted AS my_muted, mb.notify AS my_notify,"
        + " (SELECT COUNT(*) FROM messages x WHERE x.conversation_id = c.id AND x.seq > mb.last_read_seq"
        + "   AND x.sender_id <> mb.user_id) AS my_unread, " + sql.messageColumns()
        + " FROM members mb JOIN conversations c ON c.id = mb.conversation_id"
        + " LEFT JOIN messages m ON m.conversation_id = c.id"
        + "   AND m.seq = (SELECT MAX(l.seq) FROM messages l WHERE l.conversation_id = c.id)"
        + " WHERE " + where + ") views";
  }

  /** The caller's conversations; the list appends its cursor and order. */
  private final String listSql;
  private final String oneSql;

  private final StoreState state;
  private final WireViews views;
  private final WriteQueue writes;
  private final Pool reader;
  private final Fanout fanout;
  private final MessageWrites messages;
  private final Retention retention;

  Conversations(Dialect sql, StoreState state, WireViews views, WriteQueue writes, Pool reader, Fanout fanout,
                MessageWrites messages, Retention retention) {
    this.listSql = viewSql(sql, "mb.user_id = ?") + " WHERE 1 = 1";
    this.oneSql = viewSql(sql, "mb.user_id = ? AND c.id = ?");
    this.state = state;
    this.views = views;
    this.writes = writes;
    this.reader = reader;
    this.fanout = fanout;
    this.messages = messages;
    this.retention = retention;
  }

  Future<ConversationCommands.CreateReply> create(ConversationCommands.Create cmd) {
    String userId = cmd.userId();
    return "direct".equals(cmd.type()) ? createDirect(userId, cmd.peerId()) : createGroup(userId, cmd);
  }

  private Future<ConversationCommands.CreateReply> createDirect(String userId, String peerId) {
    return writes.submit(tx -> {
      if (userId.equals(peerId)) {
        return Future.<String[]>failedFuture(Failure.invalid("userId", "a direct conversation needs another user"));
      }
      // A webhook's sender posts through its webhook only: it is nobody to talk to.
      if (!state.users.containsKey(peerId) || Webhooks.isSender(state.users.get(peerId))) {
        return Future.<String[]>failedFuture(Failure.notFound("user"));
      }
      for (String id : state.conversationsOfUser.getOrDefault(userId, Set.of())) {
        StoreState.Conversation c = state.conversations.get(id);
        if (!c.isGroup() && c.roles.containsKey(peerId)) {
          return Future.succeededFuture(new String[] {c.id, "existing"});
        }
      }
      StoreState.Conversation c = newConversation("direct", null);
      // Known before its members are: presence and contact lookups that run meanwhile find it.
      state.conversations.put(c.id, c);
      String key = userId.compareTo(peerId) < 0 ? userId + ":" + peerId : peerId + ":" + userId;
      long activity = state.nextEventId();
      return tx.conn.preparedQuery("INSERT INTO conversations (id, type, direct_key, activity_id, created_at)"
              + " VALUES (?, 'direct', ?, ?, ?)")
          .execute(Tuple.of(c.id, key, activity, c.createdAt))
          .compose(v -> insertMember(tx, c, userId, "member"))
          .compose(v -> insertMember(tx, c, peerId, "member"))
          .map(v -> {
            tx.afterCommit(() -> announce(c, state.memberIds(c)));
            return new String[] {c.id, "created"};
          });
    }).compose(result -> view(result[0], userId)
        .map(view -> new ConversationCommands.CreateReply(view.conversation(), "created".equals(result[1]))));
  }

  private Future<ConversationCommands.CreateReply> createGroup(String userId, ConversationCommands.Create cmd) {
    Set<String> memberIds = cmd.memberIds() == null ? new LinkedHashSet<>() : new LinkedHashSet<>(cmd.memberIds());
    memberIds.remove(userId);
    return writes.submit(tx -> {
      for (String id : memberIds) {
        if (!state.users.containsKey(id) || Webhooks.isSender(state.users.get(id))) {
          return Future.<String>failedFuture(Failure.invalid("memberIds", "unknown user " + id));
        }
      }
      StoreState.Conversation c = newConversation("group", cmd.title());
      state.conversations.put(c.id, c);
      Future<Void> chain = tx.conn.preparedQuery("INSERT INTO conversations (id, type, title, activity_id, created_at)"
              + " VALUES (?, 'group', ?, ?, ?)")
          .execute(Tuple.of(c.id, c.title, state.nextEventId(), c.createdAt)).mapEmpty();
      chain = chain.compose(v -> insertMember(tx, c, userId, "owner"));
      for (String id : memberIds) {
        chain = chain.compose(v -> insertMember(tx, c, id, "member"));
      }
      return chain.compose(v -> messages.appendSystem(tx, c, "created", userId, userId, state.memberIds(c))).map(v -> {
        tx.afterCommit(() -> announce(c, state.memberIds(c)));
        return c.id;
      });
    }).compose(id -> view(id, userId).map(view -> new ConversationCommands.CreateReply(view.conversation(), true)));
  }

  private StoreState.Conversation newConversation(String type, String title) {
    StoreState.Conversation c = new StoreState.Conversation();
    c.id = Ids.next("c");
    c.type = type;
    c.title = title;
    c.createdAt = WireViews.now();
    return c;
  }

  /** Inserts a member row; its read pointer starts at the current end, so old history is not unread. */
  Future<Void> insertMember(WriteQueue.Tx tx, StoreState.Conversation c, String userId, String role) {
    String joinedAt = WireViews.now();
    return tx.conn.preparedQuery("INSERT INTO members (conversation_id, user_id, role, joined_at, joined_seq,"
            + " last_read_seq, delivered_seq) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.of(c.id, userId, role, joinedAt, state.nextEventId(), c.lastSeq, c.lastSeq))
        .map(v -> {
          state.addMember(c, userId, role);
          return null;
        });
  }

  /** Sends each user a {@code conversation} event with their own view of it. */
  void announce(StoreState.Conversation c, Collection<String> userIds) {
    for (String userId : new ArrayList<>(userIds)) {
      view(c.id, userId).onSuccess(view -> fanout.toUser(userId, Frames.ephemeral(Frames.CONVERSATION, view.toJson())));
    }
  }

  Future<ConversationCommands.ConversationsPage> list(ConversationCommands.ListConversations cmd) {
    String userId = cmd.userId();
    int limit = cmd.limit();
    String cursor = cmd.cursor();
    List<Object> params = new ArrayList<>(List.of(userId));
    String sql = listSql;
    if (cursor != null) {
      String[] parts = cursor.split(":", 2);
      try {
        long activity = Long.parseLong(parts[0]);
        sql += " AND (conv_activity < ? OR (conv_activity = ? AND conv_id < ?))";
        params.addAll(List.of(activity, activity, parts.length > 1 ? parts[1] : ""));
      } catch (NumberFormatException e) {
        return Future.failedFuture(Failure.invalid("cursor", "cursor is not one this server gave out"));
      }
    }
    sql += " ORDER BY conv_activity DESC, conv_id DESC LIMIT ?";
    params.add(limit + 1);
    return reader.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
      JsonArray list = new JsonArray();
      String next = null;
      for (Row row : rows) {
        if (list.size() == limit) {
          break;
        }
        list.add(conversation(row, userId));
        next = row.getLong("conv_activity") + ":" + row.getString("conv_id");
      }
      return new ConversationCommands.ConversationsPage(list, rows.size() > limit ? next : null);
    });
  }

  Future<ConversationCommands.ConversationReply> get(ConversationCommands.Scoped cmd) {
    String userId = cmd.userId();
    if (state.membership(cmd.conversationId(), userId) == null) {
      return Future.failedFuture(Failure.notFound("conversation"));
    }
    return view(cmd.conversationId(), userId);
  }

  /** {@code {conversation}} as {@code userId} sees it; for a former member, what they may still know. */
  Future<ConversationCommands.ConversationReply> view(String conversationId, String userId) {
    return reader.preparedQuery(oneSql).execute(Tuple.of(userId, conversationId)).map(rows -> {
      StoreState.Conversation c = state.conversations.get(conversationId);
      JsonObject view = rows.size() > 0 ? conversation(rows.iterator().next(), userId) : outsider(c);
      return new ConversationCommands.ConversationReply(view);
    });
  }

  private JsonObject conversation(Row row, String userId) {
    StoreState.Conversation c = state.conversations.get(row.getString("conv_id"));
    JsonObject json = outsider(c)
        .put("lastReadSeq", row.getLong("my_read"))
        .put("unread", row.getLong("my_unread"))
        .put("muted", row.getInteger("my_muted") == 1)
        .put("notify", c.isGroup() ? row.getString("my_notify") : NOTIFY_ALL)
        .put("myRole", c.roles.get(userId));
    if (row.getValue("seq") != null) {
      json.put("lastMessage", WireViews.message(row));
    }
    JsonArray members = new JsonArray();
    for (String memberId : state.firstMembers(c, SHOWN_MEMBERS)) {
      members.add(views.user(memberId, userId));
    }
    return json.put("members", members);
  }

  private JsonObject outsider(StoreState.Conversation c) {
    return retention.describe(c, new JsonObject()
        .put("id", c.id)
        .put("type", c.type)
        .put("title", c.title)
        .put("members", new JsonArray())
        .put("memberCount", c.roles.size())
        .put("lastSeq", c.lastSeq)
        .put("lastReadSeq", 0L)
        .put("unread", 0L)
        .put("muted", false)
        .put("notify", c.isGroup() ? NOTIFY_DEFAULT : NOTIFY_ALL)
        .put("myRole", null)
        .put("createdAt", c.createdAt));
  }

  Future<ConversationCommands.ConversationReply> rename(ConversationCommands.Rename cmd) {
    String userId = cmd.userId();
    String title = cmd.title();
    return writes.submit(tx -> {
      StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
      if (c == null) {
        return Future.<String>failedFuture(Failure.notFound("conversation"));
      }
      if (!c.isGroup()) {
        return Future.<String>failedFuture(Failure.invalid("title", "a direct conversation has no title"));
      }
      if ("member".equals(c.roles.get(userId))) {
        return Future.<String>failedFuture(Failure.forbidden("only the owner or an admin may rename the group"));
      }
      return tx.conn.preparedQuery("UPDATE conversations SET title = ? WHERE id = ?").execute(Tuple.of(title, c.id))
          .compose(v -> {
            c.title = title;
            return messages.appendSystem(tx, c, "renamed", userId, userId, state.memberIds(c));
          })
          .map(v -> {
            tx.afterCommit(() -> announce(c, state.memberIds(c)));
            return c.id;
          });
    }).compose(id -> view(id, userId));
  }

  /**
   * {@code store.conversation.retention}: the conversation's own retention ({@code days} 0 for
   * forever, 1 to {@link ParleyConfig.Retention#MAX_DAYS}) or, with {@code days} null, the
   * server's default. A change adds one {@code retention} system message and announces the
   * conversation; setting what is already set changes nothing.
   */
  Future<ConversationCommands.ConversationReply> setRetention(ConversationCommands.SetRetention cmd) {
    String userId = cmd.userId();
    Integer days = cmd.days();
    if (days != null && (days < 0 || days > ParleyConfig.Retention.MAX_DAYS)) {
      return Future.failedFuture(Failure.invalid("days", "days must be null, 0 or up to " + ParleyConfig.Retention.MAX_DAYS));
    }
    return writes.submit(tx -> {
      StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
      if (c == null) {
        return Future.<String>failedFuture(Failure.notFound("conversation"));
      }
      if (!Retention.maySet(c, userId)) {
        return Future.<String>failedFuture(
            Failure.forbidden("only the owner or an admin may change how long the group keeps messages"));
      }
      if (Objects.equals(days, c.retentionDays)) {
        return Future.succeededFuture(c.id);
      }
      return tx.conn.preparedQuery("UPDATE conversations SET retention_days = ? WHERE id = ?").execute(Tuple.of(days, c.id))
          .compose(v -> {
            c.retentionDays = days;
            JsonObject system = new JsonObject().put("action", "retention").put("userId", userId).put("by", userId);
            return messages.appendSystem(tx, c, retention.describe(c, system), state.memberIds(c));
          })
          .map(v -> {
            tx.afterCommit(() -> announce(c, state.memberIds(c)));
            return c.id;
          });
    }).compose(id -> view(id, userId));
  }

  Future<BusBody.Empty> mute(ConversationCommands.Mute cmd) {
    String userId = cmd.userId();
    return writes.submit(tx -> {
      StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
      if (c == null) {
        return Future.failedFuture(Failure.notFound("conversation"));
      }
      boolean muted = cmd.muted();
      return tx.conn.preparedQuery("UPDATE members SET muted = ? WHERE conversation_id = ? AND user_id = ?")
          .execute(Tuple.of(muted ? 1 : 0, c.id, userId))
          .map(v -> {
            if (muted) {
              c.muted.add(userId);
            } else {
              c.muted.remove(userId);
            }
            return BusBody.Empty.INSTANCE;
          });
    });
  }

  /**
   * {@code store.conversation.notify}: what a member of a group is notified of. A direct
   * conversation always notifies (mute silences it), so it has no level to set.
   */
  Future<BusBody.Empty> notifyLevel(ConversationCommands.Notify cmd) {
    String userId = cmd.userId();
    String level = cmd.level();
    if (!NOTIFY_LEVELS.contains(level)) {
      return Future.failedFuture(Failure.invalid("level", "level must be all, mentions or nothing"));
    }
    return writes.submit(tx -> {
      StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
      if (c == null) {
        return Future.failedFuture(Failure.notFound("conversation"));
      }
      if (!c.isGroup()) {
        return Future.failedFuture(Failure.invalid("level", "a direct conversation notifies of every message; mute it to silence it"));
      }
      return tx.conn.preparedQuery("UPDATE members SET notify = ? WHERE conversation_id = ? AND user_id = ?")
          .execute(Tuple.of(level, c.id, userId))
          .map(v -> {
            if (NOTIFY_DEFAULT.equals(level)) {
              c.notifyLevels.remove(userId);
            } else {
              c.notifyLevels.put(userId, level);
            }
            return BusBody.Empty.INSTANCE;
          });
    });
  }

  /** Typing is ephemeral: checked and fanned out, never written. */
  Future<BusBody.Empty> typing(ConversationCommands.Scoped cmd) {
    String userId = cmd.userId();
    StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
    if (c == null) {
      return Future.failedFuture(Failure.notFound("conversation"));
    }
    JsonObject frame = Frames.ephemeral(Frames.TYPING, new JsonObject().put("conversationId", c.id).put("userId", userId));
    for (String memberId : c.roles.keySet()) {
      if (!memberId.equals(userId)) {
        fanout.toUser(memberId, frame);
      }
    }
    return Future.succeededFuture(BusBody.Empty.INSTANCE);
  }
}
