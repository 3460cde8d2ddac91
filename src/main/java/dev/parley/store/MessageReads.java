package dev.parley.store;

import dev.parley.shared.Failure;
import dev.parley.shared.Frames;
import dev.parley.shared.MessageCommands;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reading messages: history pages, the events since a cursor (resume) and search. Every query
 * runs on the read pool, beside the single writer, and sees committed data only.
 */
final class MessageReads {
  private final Dialect sql;
  private final StoreState state;
  private final Pool reader;

  MessageReads(Dialect sql, StoreState state, Pool reader) {
    this.sql = sql;
    this.state = state;
    this.reader = reader;
  }

  /** {@code store.message.history}: a page ascending by seq, newest page when no cursor. */
  Future<MessageCommands.HistoryPage> history(MessageCommands.History cmd) {
    StoreState.Conversation c = state.membership(cmd.conversationId(), cmd.userId());
    if (c == null) {
      return Future.failedFuture(Failure.notFound("conversation"));
    }
    int limit = cmd.limit();
    Long after = cmd.after();
    Long before = cmd.before();
    String query = "SELECT " + sql.messageColumns() + " FROM messages m WHERE m.conversation_id = ? AND "
        + (after != null ? "m.seq > ? ORDER BY m.seq ASC" : "m.seq < ? ORDER BY m.seq DESC") + " LIMIT ?";
    long cursor = after != null ? after : before != null ? before : Long.MAX_VALUE;
    return reader.preparedQuery(query).execute(Tuple.of(c.id, cursor, limit + 1)).map(rows -> {
      List<JsonObject> page = new ArrayList<>();
      rows.forEach(row -> page.add(WireViews.message(row)));
      boolean hasMore = page.size() > limit;
      if (hasMore) {
        page.remove(page.size() - 1);
      }
      if (after == null) {
        Collections.reverse(page);
      }
      return new MessageCommands.HistoryPage(new JsonArray(new ArrayList<>(page)), hasMore);
    });
  }

  /**
   * {@code store.events.since}: durable events after a cursor in the user's conversations; more than
   * {@code limit} is a resync, unless {@code page} asks for the first {@code limit} of them.
   */
  Future<MessageCommands.EventFrames> since(MessageCommands.EventsSince cmd) {
    int limit = cmd.limit();
    // Walks the event index from the cursor (recent events only) and keeps the caller's.
    return reader.preparedQuery("SELECT " + sql.messageColumns() + " FROM " + sql.messagesByEvent()
            + " WHERE m.event_id > ? AND m.conversation_id IN (SELECT conversation_id FROM members WHERE user_id = ?)"
            + " ORDER BY m.event_id LIMIT ?")
        .execute(Tuple.of(cmd.since(), cmd.userId(), limit + 1))
        .map(rows -> {
          // page: the first limit events (the outgoing webhooks' deliverer), never a resync.
          if (rows.size() > limit && !cmd.page()) {
            return new MessageCommands.EventFrames(new JsonArray(), true);
          }
          JsonArray events = new JsonArray();
          for (Row row : rows) {
            if (events.size() == limit) {
              break;
            }
            events.add(Frames.message(row.getLong("event_id"), WireViews.message(row)));
          }
          return new MessageCommands.EventFrames(events, false);
        });
  }

  /**
   * {@code store.message.search}: the full-text index over the caller's conversations, newest
   * first; recalled messages are filtered on the message row, so they never show, even before
   * SQLite's search.db has forgotten them.
   */
  Future<MessageCommands.SearchPage> search(MessageCommands.Search cmd) {
    String userId = cmd.userId();
    String conversationId = cmd.conversationId();
    if (conversationId != null && state.membership(conversationId, userId) == null) {
      return Future.failedFuture(Failure.notFound("conversation"));
    }
    String match = sql.searchQuery(cmd.q());
    if (match == null) {
      return Future.failedFuture(Failure.invalid("q", "q must contain at least one letter or digit"));
    }
    int limit = cmd.limit();
    Long before = cmd.before();
    List<Object> params = new ArrayList<>(List.of(match, userId));
    StringBuilder query = new StringBuilder("SELECT " + sql.messageColumns() + " FROM " + sql.searchSource()
        + " JOIN members mb ON mb.conversation_id = m.conversation_id AND mb.user_id = ?"
        + " WHERE m.recalled = 0");
    if (conversationId != null) {
      query.append(" AND m.conversation_id = ?");
      params.add(conversationId);
    }
    if (before != null) {
      query.append(" AND m.id < ?");
      params.add(before);
    }
    query.append(" ORDER BY m.id DESC LIMIT ?");
    params.add(limit + 1);
    return reader.preparedQuery(query.toString()).execute(Tuple.from(params)).map(rows -> {
      JsonArray messages = new JsonArray();
      Long last = null;
      for (Row row : rows) {
        if (messages.size() == limit) {
          return new MessageCommands.SearchPage(messages, String.valueOf(last));
        }
        messages.add(WireViews.message(row));
        last = row.getLong("id");
      }
      return new MessageCommands.SearchPage(messages, null);
    });
  }
}
