package dev.parley.store;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.Failure;
import dev.parley.shared.MediaCommands;
import dev.parley.shared.RateLimits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an export reads from the store: its start (a bearer export, or a one-time ticket redeemed),
 * then its messages page by page in seq order, each as the history shows it. The api builds the
 * archive and streams it; the store only decides who may read what ({@link #readable}) and counts
 * exports per user ({@code export.perHour}). Tickets live in this store's memory only: a store
 * that restarts forgets them, and their holders ask for new ones.
 */
final class Exports {
  /** Tickets kept at most, whoever holds them; the oldest goes first. */
  private static final int MAX_TICKETS = 10_000;

  private final Dialect sql;
  private final Administration administration;
  private final StoreState state;
  private final Pool reader;
  private final RateLimits starts;
  private final long ticketMs;
  /** Ticket hash → ticket, oldest first (all live equally long, so the expired ones are at the head). */
  private final Map<String, Ticket> tickets = new LinkedHashMap<>();

  private record Ticket(String userId, String conversationId, MediaCommands.Range range, long expiresAt) {
  }

  Exports(Dialect sql, StoreState state, Pool reader, ParleyConfig.Export config, Administration administration) {
    this.sql = sql;
    this.administration = administration;
    this.state = state;
    this.reader = reader;
    this.starts = new RateLimits(config.perHour(), config.perHour(), Duration.ofHours(1));
    this.ticketMs = config.ticketSeconds() * 1000L;
  }

  /**
   * The conversation if {@code userId} may export it, else null (callers answer 404). Members may,
   * and admins may export any conversation, unless the account is disabled (a ticket or a running
   * export of it stops too); this is the one place that decides it for every export command.
   */
  private StoreState.Conversation readable(String conversationId, String userId) {
    StoreState.User user = userId == null ? null : state.users.get(userId);
    if (user == null || user.disabled()) {
      return null;
    }
    StoreState.Conversation member = state.membership(conversationId, userId);
    if (member != null) {
      return member;
    }
    return state.isAdmin(user) && conversationId != null ? state.conversations.get(conversationId) : null;
  }

  /** {@code store.export.ticket}. */
  Future<MediaCommands.TicketIssued> ticket(MediaCommands.TicketExport cmd) {
    String userId = cmd.userId();
    StoreState.Conversation c = readable(cmd.conversationId(), userId);
    if (c == null) {
      return Future.failedFuture(Failure.notFound("conversation"));
    }
    Failure limited = limited(userId);
    if (limited != null) {
      return Future.failedFuture(limited);
    }
    long now = System.currentTimeMillis();
    forgetExpired(now);
    if (tickets.size() >= MAX_TICKETS) {
      Iterator<String> oldest = tickets.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    long expiresAt = now + ticketMs;
    tickets.put(cmd.ticketHash(), new Ticket(userId, c.id, cmd.range(), expiresAt));
    return Future.succeededFuture(new MediaCommands.TicketIssued(Instant.ofEpochMilli(expiresAt).toString()));
  }

  /** {@code store.export.start}: by ticket (used up here) or by the caller's own request. */
  Future<MediaCommands.ExportStarted> start(MediaCommands.StartExport cmd) {
    boolean byTicket = cmd.ticketHash() != null;
    String userId;
    String conversationId;
    MediaCommands.Range range;
    if (byTicket) {
      forgetExpired(System.currentTimeMillis());
      Ticket ticket = tickets.remove(cmd.ticketHash());
      if (ticket == null) {
        return Future.failedFuture(Failure.notFound("export ticket"));
      }
      userId = ticket.userId();
      conversationId = ticket.conversationId();
      range = ticket.range();
    } else {
      userId = cmd.userId();
      conversationId = cmd.conversationId();
      range = cmd.range();
    }
    StoreState.Conversation c = readable(conversationId, userId);
    if (c == null) {
      return Future.failedFuture(Failure.notFound(byTicket ? "export ticket" : "conversation"));
    }
    if (!byTicket) {
      Failure limited = limited(userId);
      if (limited != null) {
        return Future.failedFuture(limited);
      }
    }
    // Fixed now: messages sent while the export runs are not part of it.
    MediaCommands.Range fixed = new MediaCommands.Range(range.fromSeq() == null ? 1L : range.fromSeq(),
        Math.min(range.toSeq() == null ? Long.MAX_VALUE : range.toSeq(), c.lastSeq), range.from(), range.to());
    // An admin reading a conversation they are not in: the audit log says so before a byte goes out.
    Future<Void> audited = c.roles.containsKey(userId) ? Future.succeededFuture()
        : administration.recordExport(userId, c.id, fixed.toJson(), cmd.clientAddress());
    String exporter = userId;
    return audited.map(v -> new MediaCommands.ExportStarted(exporter,
        new JsonObject().put("id", c.id).put("type", c.type).put("title", c.title).put("createdAt", c.createdAt), fixed));
  }

  /** {@code store.export.page}. */
  Future<MediaCommands.ExportPage> page(MediaCommands.ReadExportPage cmd) {
    StoreState.Conversation c = readable(cmd.conversationId(), cmd.userId());
    if (c == null) {
      return Future.failedFuture(Failure.notFound("conversation"));
    }
    int limit = cmd.limit();
    Instant from = instant(cmd.from());
    Instant to = instant(cmd.to());
    List<Object> params = new ArrayList<>(List.of(c.id, cmd.after(), cmd.toSeq()));
    StringBuilder query = new StringBuilder("SELECT " + sql.messageColumns()
        + " FROM messages m WHERE m.conversation_id = ? AND m.seq > ? AND m.seq <= ?");
    // Stored times are ISO instants whose fraction may be missing ("…:05Z"), so they compare as text
    // only to the second: SQL narrows the rows by second, and the exact bounds are checked below.
    if (from != null) {
      query.append(" AND substr(m.created_at, 1, 19) >= ?");
      params.add(from.toString().substring(0, 19));
    }
    if (to != null) {
      query.append(" AND substr(m.created_at, 1, 19) <= ?");
      params.add(to.toString().substring(0, 19));
    }
    query.append(" ORDER BY m.seq LIMIT ?");
    params.add(limit + 1);
    return reader.preparedQuery(query.toString()).execute(Tuple.from(params)).map(rows -> {
      JsonArray messages = new JsonArray();
      Set<String> userIds = new LinkedHashSet<>();
      long cursor = cmd.after();
      int read = 0;
      boolean hasMore = false;
      for (Row row : rows) {
        if (read == limit) {
          hasMore = true;
          break;
        }
        read++;
        cursor = row.getLong("seq");
        JsonObject message = WireViews.message(row);
        Instant at = Instant.parse(message.getString("createdAt"));
        if ((from != null && at.isBefore(from)) || (to != null && !at.isBefore(to))) {
          continue;
        }
        messages.add(message);
        collectUsers(message, userIds);
      }
      JsonArray users = new JsonArray();
      for (String id : userIds) {
        StoreState.User u = state.users.get(id);
        if (u != null) {
          users.add(new JsonObject().put("id", u.id).put("username", u.username).put("displayName", u.displayName)
              .put("bot", u.bot));
        }
      }
      return new MediaCommands.ExportPage(messages, users, cursor, hasMore);
    });
  }

  private Failure limited(String userId) {
    long wait = starts.tryTake(userId);
    return wait > 0 ? Failure.rateLimited("exports", wait) : null;
  }

  private void forgetExpired(long now) {
    Iterator<Ticket> oldest = tickets.values().iterator();
    while (oldest.hasNext() && oldest.next().expiresAt() <= now) {
      oldest.remove();
    }
  }

  private static Instant instant(String iso) {
    return iso == null ? null : Instant.parse(iso);
  }

  /** Everyone a message names: its sender, mentions, reactions and the people of a system message. */
  private static void collectUsers(JsonObject message, Set<String> ids) {
    ids.add(message.getString("senderId"));
    message.getJsonArray("mentions", new JsonArray()).forEach(id -> ids.add((String) id));
    message.getJsonArray("reactions", new JsonArray()).forEach(r ->
        ((JsonObject) r).getJsonArray("userIds", new JsonArray()).forEach(id -> ids.add((String) id)));
    JsonObject system = message.getJsonObject("system");
    if (system != null) {
      ids.add(system.getString("userId"));
      ids.add(system.getString("by"));
    }
    ids.remove(null);
  }
}
