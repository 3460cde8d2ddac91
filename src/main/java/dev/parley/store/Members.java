package dev.parley.store;

import dev.parley.shared.BusBody;
import dev.parley.shared.ConversationCommands;
import dev.parley.shared.Failure;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Group membership: listing, adding, roles and removal. Owners and admins manage members; only
 * the owner changes roles or hands ownership over; anyone may leave. Joins and departures are
 * system messages with a seq, announced to the members and to the person concerned.
 */
final class Members {
  private final StoreState state;
  private final WireViews views;
  private final WriteQueue writes;
  private final Pool reader;
  private final MessageWrites messages;
  private final Conversations conversations;

  Members(StoreState state, WireViews views, WriteQueue writes, Pool reader, MessageWrites messages, Conversations conversations) {
    this.state = state;
    this.views = views;
    this.writes = writes;
    this.reader = reader;
    this.messages = messages;
    this.conversations = conversations;
  }

  Future<ConversationCommands.MembersPage> list(ConversationCommands.ListMembers cmd) {
    String userId = cmd.userId();
    StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
    if (c == null) {
      return Future.failedFuture(Failure.notFound("conversation"));
    }
    int limit = cmd.limit();
    long after;
    try {
      String cursor = cmd.cursor();
      after = cursor == null ? 0 : Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      return Future.failedFuture(Failure.invalid("cursor", "cursor is not one this server gave out"));
    }
    return reader.preparedQuery("SELECT user_id, role, joined_at, joined_seq FROM members WHERE conversation_id = ?"
            + " AND joined_seq > ? ORDER BY joined_seq LIMIT ?")
        .execute(Tuple.of(c.id, after, limit + 1))
        .map(rows -> {
          JsonArray members = new JsonArray();
          String next = null;
          for (Row row : rows) {
            if (members.size() == limit) {
              break;
            }
            members.add(member(row.getString("user_id"), row.getString("role"), row.getString("joined_at"), userId));
            next = String.valueOf(row.getLong("joined_seq"));
          }
          return new ConversationCommands.MembersPage(members, rows.size() > limit ? next : null);
        });
  }

  private JsonObject member(String memberId, String role, String joinedAt, String viewerId) {
    return new JsonObject().put("user", views.user(memberId, viewerId)).put("role", role).put("joinedAt", joinedAt);
  }

  Future<ConversationCommands.MemberReply> add(ConversationCommands.AddMember cmd) {
    String userId = cmd.userId();
    String memberId = cmd.memberId();
    return writes.submit(tx -> {
      StoreState.Conversation c = manageable(cmd.conversationId(), userId);
      if (!state.users.containsKey(memberId) || Webhooks.isSender(state.users.get(memberId))) {
        return Future.failedFuture(Failure.notFound("user"));
      }
      if (c.roles.containsKey(memberId)) {
        return Future.failedFuture(Failure.conflict("already a member"));
      }
      return conversations.insertMember(tx, c, memberId, "member")
          .compose(v -> messages.appendSystem(tx, c, "joined", memberId, userId, state.memberIds(c)))
          .map(v -> {
            tx.afterCommit(() -> conversations.announce(c, List.of(memberId)));
            return new ConversationCommands.MemberReply(member(memberId, "member", WireViews.now(), userId));
          });
    });
  }

  Future<BusBody.Empty> role(ConversationCommands.ChangeRole cmd) {
    String userId = cmd.userId();
    String memberId = cmd.memberId();
    String role = cmd.role();
    return writes.submit(tx -> {
      StoreState.Conversation c = group(cmd.conversationId(), userId);
      if (!"owner".equals(c.roles.get(userId))) {
        return Future.failedFuture(Failure.forbidden("only the owner may change roles"));
      }
      if (!c.roles.containsKey(memberId)) {
        return Future.failedFuture(Failure.notFound("member"));
      }
      if (memberId.equals(userId)) {
        return Future.failedFuture(Failure.invalid("role", "hand ownership to another member instead"));
      }
      Future<?> change = setRole(tx, c, memberId, role);
      if ("owner".equals(role)) {
        change = change.compose(v -> setRole(tx, c, userId, "admin"));
      }
      return change.map(v -> BusBody.Empty.INSTANCE);
    });
  }

  Future<BusBody.Empty> remove(ConversationCommands.RemoveMember cmd) {
    String userId = cmd.userId();
    String memberId = cmd.memberId();
    return writes.submit(tx -> {
      StoreState.Conversation c = group(cmd.conversationId(), userId);
      String targetRole = c.roles.get(memberId);
      if (targetRole == null) {
        return Future.failedFuture(Failure.notFound("member"));
      }
      boolean leaving = memberId.equals(userId);
      String myRole = c.roles.get(userId);
      if (!leaving && !("owner".equals(myRole) || ("admin".equals(myRole) && "member".equals(targetRole)))) {
        return Future.failedFuture(Failure.forbidden("you may not remove this member"));
      }
      List<String> audience = new ArrayList<>(state.memberIds(c));
      return tx.conn.preparedQuery("DELETE FROM members WHERE conversation_id = ? AND user_id = ?")
          .execute(Tuple.of(c.id, memberId))
          .compose(v -> {
            state.removeMember(c, memberId);
            return "owner".equals(targetRole) ? handOver(tx, c) : Future.succeededFuture();
          })
          .compose(v -> messages.appendSystem(tx, c, leaving ? "left" : "removed", memberId, userId, audience))
          .map(v -> {
            tx.afterCommit(() -> conversations.announce(c, List.of(memberId)));
            return BusBody.Empty.INSTANCE;
          });
    });
  }

  /** When the owner leaves, the longest-standing admin (else member) becomes owner. */
  private Future<Void> handOver(WriteQueue.Tx tx, StoreState.Conversation c) {
    String heir = null;
    for (Map.Entry<String, String> entry : c.roles.entrySet()) {
      if ("admin".equals(entry.getValue())) {
        heir = entry.getKey();
        break;
      }
      if (heir == null) {
        heir = entry.getKey();
      }
    }
    return heir == null ? Future.succeededFuture() : setRole(tx, c, heir, "owner");
  }

  private Future<Void> setRole(WriteQueue.Tx tx, StoreState.Conversation c, String memberId, String role) {
    return tx.conn.preparedQuery("UPDATE members SET role = ? WHERE conversation_id = ? AND user_id = ?")
        .execute(Tuple.of(role, c.id, memberId))
        .map(v -> {
          c.roles.put(memberId, role);
          return null;
        });
  }

  /** The group if the caller is a member of it; a direct conversation has fixed members. */
  private StoreState.Conversation group(String conversationId, String userId) {
    StoreState.Conversation c = state.membership(conversationId, userId);
    if (c == null) {
      throw Failure.notFound("conversation");
    }
    if (!c.isGroup()) {
      throw Failure.invalid(null, "the members of a direct conversation cannot change");
    }
    return c;
  }

  private StoreState.Conversation manageable(String conversationId, String userId) {
    StoreState.Conversation c = group(conversationId, userId);
    if ("member".equals(c.roles.get(userId))) {
      throw Failure.forbidden("only the owner or an admin may add members");
    }
    return c;
  }
}
