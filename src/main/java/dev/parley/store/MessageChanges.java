package dev.parley.store;

import dev.parley.shared.BusBody;
import dev.parley.shared.Failure;
import dev.parley.shared.Frames;
import dev.parley.shared.MessageCommands;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Edits and reactions: changes to a stored message. Like a recall ({@link Messages#recall}), each
 * change is a durable event of the conversation's log: the message row takes a fresh event id
 * from the server-wide counter ({@code messages.event_id}), and the whole message is published
 * again under it after the commit. A client resuming from a cursor before the change therefore
 * gets the changed message once, in its latest form, however old the message is. A change that
 * changes nothing (the same text, a reaction already there or already gone) takes no event id
 * and publishes nothing.
 *
 * <p>Reactions live in the {@code reactions} table (one row per message, emoji and user: that is
 * what makes them idempotent) and, as the wire shows them, in the message row's {@code reactions}
 * column, rewritten with each change, so every read of a message has them without a query.
 */
final class MessageChanges {
  static final Duration EDIT_WINDOW = Duration.ofHours(24);
  /** Distinct emoji one message may carry. */
  static final int MAX_EMOJI = 20;
  /** Reactors listed per emoji; {@code count} has the total. */
  static final int SHOWN_REACTORS = 20;

  private final Dialect sql;
  private final StoreState state;
  private final WriteQueue writes;
  private final Fanout fanout;
  private final SearchIndex search;

  MessageChanges(Dialect sql, StoreState state, WriteQueue writes, Fanout fanout, SearchIndex search) {
    this.sql = sql;
    this.state = state;
    this.writes = writes;
    this.fanout = fanout;
    this.search = search;
  }

  /** {@code store.message.edit}: the sender, within 24 hours, text messages only → {@code {message}}. */
  Future<MessageCommands.MessageReply> edit(MessageCommands.Edit cmd) {
    String userId = cmd.userId();
    String text = cmd.edit().text();
    return writes.submit(tx -> {
      StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
      if (c == null) {
        return Future.failedFuture(Failure.notFound("conversation"));
      }
      JsonArray given = cmd.edit().mentions() == null ? null : new JsonArray(new ArrayList<>(cmd.edit().mentions()));
      return load(tx, c, cmd.messageId()).compose(message -> {
        if (!userId.equals(message.getString("senderId"))) {
          return Future.failedFuture(Failure.forbidden("only the sender may edit a message"));
        }
        if (message.getBoolean("recalled")) {
          return Future.failedFuture(Failure.conflict("a recalled message cannot be edited"));
        }
        if (!"text".equals(message.getString("type"))) {
          return Future.failedFuture(Failure.invalid(null, "only text messages can be edited"));
        }
        if (!Instant.parse(message.getString("createdAt")).plus(EDIT_WINDOW).isAfter(Instant.now())) {
          return Future.failedFuture(Failure.forbidden("the edit window of 24 hours has passed"));
        }
        if (given != null && !given.stream().allMatch(id -> c.roles.containsKey((String) id))) {
          return Future.failedFuture(Failure.invalid("mentions", "mentions must be members of the conversation"));
        }
        JsonArray mentions = given != null ? given : stillMentioned(message.getJsonArray("mentions"), text);
        // A repeated edit changes nothing; the first one always marks the message edited (the
        // contract answers an edit with edited: true, even one that keeps the text).
        if (message.getBoolean("edited") && text.equals(message.getString("text"))
            && mentions.equals(message.getJsonArray("mentions"))) {
          return Future.succeededFuture(new MessageCommands.MessageReply(message));
        }
        long messageId = message.getLong("id");
        long eventId = state.nextEventId();
        String at = WireViews.now();
        message.put("text", text).put("mentions", mentions).put("edited", true).put("editedAt", at);
        tx.afterCommit(() -> {
          fanout.toUsers(state.memberIds(c), Frames.message(eventId, message));
          search.replace(messageId, eventId, text);
        });
        return tx.conn.preparedQuery("UPDATE messages SET text = ?, mentions = ?, edited_at = ?, event_id = ? WHERE id = ?")
            .execute(Tuple.of(text, mentions.encode(), at, eventId, messageId))
            .map(v -> new MessageCommands.MessageReply(message));
      });
    });
  }

  /** The earlier mentions whose {@code @username} the new text still holds. */
  private JsonArray stillMentioned(JsonArray before, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    JsonArray kept = new JsonArray();
    for (Object id : before) {
      StoreState.User u = state.users.get((String) id);
      if (u != null && mentions(lower, u.username)) {
        kept.add(id);
      }
    }
    return kept;
  }

  private static boolean mentions(String lowerText, String username) {
    String handle = "@" + username;
    for (int at = lowerText.indexOf(handle); at >= 0; at = lowerText.indexOf(handle, at + 1)) {
      int end = at + handle.length();
      if (end == lowerText.length() || !isUsernameChar(lowerText.charAt(end))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUsernameChar(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
  }

  /** {@code store.reaction.add}: idempotent per user and emoji; at most 20 distinct emoji. */
  Future<BusBody.Empty> addReaction(MessageCommands.Reaction cmd) {
    return react(cmd, true);
  }

  /** {@code store.reaction.remove}: removing a reaction that is not there changes nothing. */
  Future<BusBody.Empty> removeReaction(MessageCommands.Reaction cmd) {
    return react(cmd, false);
  }

  private Future<BusBody.Empty> react(MessageCommands.Reaction cmd, boolean add) {
    String userId = cmd.userId();
    String emoji = cmd.emoji();
    return writes.submit(tx -> {
      StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
      if (c == null) {
        return Future.failedFuture(Failure.notFound("conversation"));
      }
      return load(tx, c, cmd.messageId()).compose(message -> {
        if ("system".equals(message.getString("type"))) {
          return Future.failedFuture(Failure.invalid(null, "system messages take no reactions"));
        }
        if (message.getBoolean("recalled")) {
          return Future.failedFuture(Failure.conflict("the message was recalled"));
        }
        JsonArray reactions = message.getJsonArray("reactions");
        int index = indexOf(reactions, emoji);
        if (add && index < 0 && reactions.size() >= MAX_EMOJI) {
          return Future.failedFuture(Failure.conflict("a message takes at most " + MAX_EMOJI + " different reactions"));
        }
        long messageId = message.getLong("id");
        Future<Integer> changed = add
            ? tx.conn.preparedQuery("INSERT INTO reactions (message_id, emoji, user_id, reacted_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")
                .execute(Tuple.of(messageId, emoji, userId, WireViews.now())).map(rows -> rows.rowCount())
            : tx.conn.preparedQuery("DELETE FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?")
                .execute(Tuple.of(messageId, emoji, userId)).map(rows -> rows.rowCount());
        return changed.compose(count -> {
          if (count == 0) {
            return Future.succeededFuture(BusBody.Empty.INSTANCE);
          }
          return summary(tx, messageId, emoji).compose(entry -> {
            if (entry == null) {
              reactions.remove(index);
            } else if (index < 0) {
              reactions.add(entry);
            } else {
              reactions.set(index, entry);
            }
            long eventId = state.nextEventId();
            tx.afterCommit(() -> fanout.toUsers(state.memberIds(c), Frames.message(eventId, message)));
            return tx.conn.preparedQuery("UPDATE messages SET reactions = ?, event_id = ? WHERE id = ?")
                .execute(Tuple.of(reactions.isEmpty() ? null : reactions.encode(), eventId, messageId))
                .map(v -> BusBody.Empty.INSTANCE);
          });
        });
      });
    });
  }

  private static int indexOf(JsonArray reactions, String emoji) {
    for (int i = 0; i < reactions.size(); i++) {
      if (emoji.equals(reactions.getJsonObject(i).getString("emoji"))) {
        return i;
      }
    }
    return -1;
  }

  /** One emoji's entry {emoji, count, userIds (first 20 to react)}, or null when nobody is left. */
  private Future<JsonObject> summary(WriteQueue.Tx tx, long messageId, String emoji) {
    return tx.conn.preparedQuery("SELECT user_id, COUNT(*) OVER () AS total FROM reactions"
            + " WHERE message_id = ? AND emoji = ? ORDER BY " + sql.insertionOrder() + " LIMIT ?")
        .execute(Tuple.of(messageId, emoji, SHOWN_REACTORS))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          List<Object> userIds = new ArrayList<>(rows.size());
          long total = 0;
          for (var row : rows) {
            userIds.add(row.getString("user_id"));
            total = row.getLong("total");
          }
          return new JsonObject().put("emoji", emoji).put("count", total).put("userIds", new JsonArray(userIds));
        });
  }

  /** The message as it is now, inside the writer's transaction; 404 when it is not in {@code c}. */
  private Future<JsonObject> load(WriteQueue.Tx tx, StoreState.Conversation c, long messageId) {
    return tx.conn.preparedQuery("SELECT " + sql.messageColumns() + " FROM messages m WHERE m.id = ? AND m.conversation_id = ?")
        .execute(Tuple.of(messageId, c.id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(Failure.notFound("message"))
            : Future.succeededFuture(WireViews.message(rows.iterator().next())));
  }
}
