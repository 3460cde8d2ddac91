package dev.parley.store;

import dev.parley.shared.BusBody;
import dev.parley.shared.Failure;
import dev.parley.shared.Frames;
import dev.parley.shared.MessageCommands;
import dev.parley.shared.SendRequest;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writing messages: the group-committed append path, system messages and recall.
 * Ids and seqs are handed out here, by the single writer, from {@link StoreState}: the message id and
 * its event id come from the server-wide counter, the seq from the conversation's own.
 */
final class MessageWrites {
  static final Duration RECALL_WINDOW = Duration.ofMinutes(2);
  private static final String INSERT = "INSERT INTO messages (id, conversation_id, seq, event_id, sender_id, type,"
      + " text, media_id, reply_to, mentions, client_id, created_at, system) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Dialect sql;
  private final StoreState state;
  private final WriteQueue writes;
  private final Fanout fanout;
  private final SearchIndex search;
  private final Counter stored;
  private final MediaRecords media;
  private final ClientKeys clientKeys;
  /** Web Push for members who are not here to see a message; null when Web Push is off. */
  private final PushAlerts pushAlerts;
  /** Reads what it must, then writes the whole batch with one INSERT: no transaction needed. */
  private final WriteQueue.Bulk<Append, MessageCommands.Sent> append = WriteQueue.Bulk.oneStatement(this::appendAll);

  /**
   * One send in a batch: {@code via} ({@code {webhook, name}}) marks a webhook's message, null for
   * every other; only {@link Webhooks} sets it, never a bus sender.
   */
  private record Append(MessageCommands.Send send, JsonObject via) {
  }

  MessageWrites(Dialect sql, StoreState state, WriteQueue writes, Fanout fanout, SearchIndex search, Counter stored,
                MediaRecords media, ClientKeys clientKeys, PushAlerts pushAlerts) {
    this.sql = sql;
    this.state = state;
    this.writes = writes;
    this.fanout = fanout;
    this.search = search;
    this.stored = stored;
    this.media = media;
    this.clientKeys = clientKeys;
    this.pushAlerts = pushAlerts;
  }

  /** {@code store.message.send}: queued into the next group commit. */
  Future<MessageCommands.Sent> send(MessageCommands.Send cmd) {
    return writes.submit(append, new Append(cmd, null));
  }

  /** A webhook's message ({@code via}: {@code {webhook, name}}), sent as its sender; see {@link Webhooks#post}. */
  Future<MessageCommands.Sent> sendVia(MessageCommands.Send cmd, JsonObject via) {
    return writes.submit(append, new Append(cmd, via));
  }

  /**
   * One batch of sends: one duplicate check, one reply check, one multi-row insert. The insert
   * is a single statement, so a batch of sends alone is atomic without a transaction around it.
   */
  private Future<List<AsyncResult<MessageCommands.Sent>>> appendAll(WriteQueue.Tx tx, List<Append> cmds) {
    List<AsyncResult<MessageCommands.Sent>> outcomes = new ArrayList<>(cmds.size());
    List<SendRequest> requests = new ArrayList<>(cmds.size());
    for (Append cmd : cmds) {
      SendRequest request = cmd.send().request();
      requests.add(request);
      outcomes.add(validate(cmd, request));
    }
    // Only a batch that carries media looks any up: text sends never pay for it.
    Future<Map<String, MediaRecords.Found>> attachable = media.find(tx.conn, mediaIds(requests, outcomes));
    return existing(tx, cmds, outcomes)
        .compose(duplicates -> replyTargets(tx, requests, outcomes).compose(targets -> attachable.compose(found -> {
          JsonArray rows = new JsonArray();
          List<JsonObject> created = new ArrayList<>();
          Map<String, JsonObject> inBatch = new HashMap<>();
          for (int i = 0; i < cmds.size(); i++) {
            if (outcomes.get(i) != null) {
              continue;
            }
            String senderId = cmds.get(i).send().senderId();
            SendRequest r = requests.get(i);
            String key = ClientKeys.key(senderId, r.clientId());
            JsonObject earlier = duplicates.containsKey(key) ? duplicates.get(key) : inBatch.get(key);
            if (earlier != null) {
              outcomes.set(i, sameConversation(cmds.get(i), earlier, r));
              continue;
            }
            if (r.replyTo() != null && !r.conversationId().equals(targets.get(r.replyTo()))) {
              outcomes.set(i, Future.failedFuture(Failure.invalid("replyTo", "replyTo is not a message of this conversation")));
              continue;
            }
            Failure refused = r.mediaId() == null ? null : media.refusal(found.get(r.mediaId()), senderId, r.type());
            if (refused != null) {
              outcomes.set(i, Future.failedFuture(refused));
              continue;
            }
            StoreState.Conversation c = state.conversations.get(r.conversationId());
            long id = state.nextEventId();
            long seq = ++c.lastSeq;
            String at = WireViews.now();
            JsonArray mentions = new JsonArray(new ArrayList<>(r.mentions()));
            JsonObject via = cmds.get(i).via();
            rows.add(new JsonArray(Arrays.asList(id, c.id, seq, id, senderId, r.type(), r.text(), r.mediaId(), r.replyTo(),
                mentions.encode(), r.clientId(), at, null, via == null ? null : via.encode())));
            JsonObject message = message(id, c.id, seq, senderId, r.type(), r.text(), r.replyTo(), mentions, r.clientId(), at);
            if (via != null) {
              message.put("via", via.copy());
            }
            if (r.mediaId() != null) {
              message.put("media", found.get(r.mediaId()).wire().copy());
            }
            created.add(message);
            inBatch.put(key, message);
            state.clientIds.add(senderId, r.clientId());
            clientKeys.add(senderId, r.clientId(), id);
            outcomes.set(i, Future.succeededFuture(reply(cmds.get(i), message, true)));
          }
          if (rows.isEmpty()) {
            return Future.succeededFuture(outcomes);
          }
          long lastId = created.get(created.size() - 1).getLong("id");
          tx.afterCommit(() -> {
            clientKeys.committed(lastId);
            stored.increment(created.size());
            for (JsonObject message : created) {
              StoreState.Conversation c = state.conversations.get(message.getString("conversationId"));
              fanout.toUsers(state.memberIds(c), Frames.message(message.getLong("id"), message));
              search.add(message.getLong("id"), message.getString("text"));
              if (pushAlerts != null) {
                pushAlerts.stored(c, message);
              }
            }
          });
          // One statement for all rows, atomic on its own; a conversation's last seq and activity
          // are read from its messages, so nothing else changes. One parameter, a JSON array of
          // the rows, spares the driver's per-parameter work.
          return tx.conn.preparedQuery(sql.insertMessageRows()).execute(Tuple.of(rows.encode())).map(v -> outcomes);
        })));
  }

  private static Set<String> mediaIds(List<SendRequest> requests, List<AsyncResult<MessageCommands.Sent>> outcomes) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < requests.size(); i++) {
      if (outcomes.get(i) == null && requests.get(i).mediaId() != null) {
        ids.add(requests.get(i).mediaId());
      }
    }
    return ids;
  }

  /**
   * A sender must be a member; a webhook's sender ({@code via}, set only by {@link Webhooks}, never
   * taken from the bus) is not one: its webhook was checked instead.
   */
  private AsyncResult<MessageCommands.Sent> validate(Append cmd, SendRequest r) {
    StoreState.Conversation c = cmd.via() != null
        ? state.conversations.get(r.conversationId())
        : state.membership(r.conversationId(), cmd.send().senderId());
    if (c == null) {
      return Future.failedFuture(Failure.notFound("conversation"));
    }
    for (String mentioned : r.mentions()) {
      if (!c.roles.containsKey(mentioned)) {
        return Future.failedFuture(Failure.invalid("mentions", "mentions must be members of the conversation"));
      }
    }
    return null;
  }

  private static AsyncResult<MessageCommands.Sent> sameConversation(Append cmd, JsonObject earlier, SendRequest r) {
    if (!earlier.getString("conversationId").equals(r.conversationId())) {
      return Future.failedFuture(Failure.conflict("clientId was already used for another conversation"));
    }
    return Future.succeededFuture(reply(cmd, earlier, false));
  }

  /**
   * {@code {message, created}}; a WebSocket or bridge send only needs the ack's id and seq, so it
   * asks for {@linkplain MessageCommands.Send#ackOnly no more} and is spared a copy of the whole
   * message on the bus.
   */
  private static MessageCommands.Sent reply(Append cmd, JsonObject message, boolean created) {
    JsonObject body = cmd.send().ackOnly()
        ? new JsonObject().put("id", message.getLong("id")).put("seq", message.getLong("seq"))
        : message;
    return new MessageCommands.Sent(body, created);
  }

  /**
   * Already stored messages with the same (sender, clientId), keyed by {@link ClientKeys#key}.
   * Only keys the Bloom filter may have seen are looked for: a recent one by the message id held
   * for it in memory, an older one where {@link ClientKeys} moved it.
   */
  private Future<Map<String, JsonObject>> existing(WriteQueue.Tx tx, List<Append> cmds,
                                                   List<AsyncResult<MessageCommands.Sent>> outcomes) {
    List<Long> recentIds = new ArrayList<>();
    List<String> olderKeys = new ArrayList<>();
    for (int i = 0; i < cmds.size(); i++) {
      String senderId = cmds.get(i).send().senderId();
      String clientId = cmds.get(i).send().request().clientId();
      if (outcomes.get(i) != null || !state.clientIds.mightContain(senderId, clientId)) {
        continue;
      }
      Long recent = clientKeys.recent(senderId, clientId);
      if (recent != null) {
        recentIds.add(recent);
      } else {
        olderKeys.add(senderId);
        olderKeys.add(clientId);
      }
    }
    Map<String, JsonObject> found = new HashMap<>();
    return clientKeys.older(olderKeys).compose(olderIds -> {
      List<Object> ids = new ArrayList<>(recentIds);
      ids.addAll(olderIds);
      if (ids.isEmpty()) {
        return Future.succeededFuture(found);
      }
      return tx.conn.preparedQuery("SELECT " + sql.messageColumns() + " FROM messages m WHERE m.id IN (?"
              + ", ?".repeat(ids.size() - 1) + ")")
          .execute(Tuple.from(ids))
          .map(rows -> {
            for (Row row : rows) {
              found.put(ClientKeys.key(row.getString("sender_id"), row.getString("client_id")), WireViews.message(row));
            }
            return found;
          });
    });
  }

  /** The conversation of every message replied to, by message id. */
  private Future<Map<Long, String>> replyTargets(WriteQueue.Tx tx, List<SendRequest> requests,
                                                 List<AsyncResult<MessageCommands.Sent>> outcomes) {
    List<Object> ids = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      if (outcomes.get(i) == null && requests.get(i).replyTo() != null) {
        ids.add(requests.get(i).replyTo());
      }
    }
    Map<Long, String> targets = new HashMap<>();
    if (ids.isEmpty()) {
      return Future.succeededFuture(targets);
    }
    String marks = "?" + ", ?".repeat(ids.size() - 1);
    return tx.conn.preparedQuery("SELECT id, conversation_id FROM messages WHERE id IN (" + marks + ")")
        .execute(Tuple.from(ids))
        .map(rows -> {
          rows.forEach(row -> targets.put(row.getLong("id"), row.getString("conversation_id")));
          return targets;
        });
  }

  /**
   * Appends a system message inside a running job and publishes it to {@code audience} after
   * the commit. The caller holds the conversation's state already changed.
   */
  Future<JsonObject> appendSystem(WriteQueue.Tx tx, StoreState.Conversation c, String action, String userId, String by,
                                  Iterable<String> audience) {
    return appendSystem(tx, c, new JsonObject().put("action", action).put("userId", userId).put("by", by), audience);
  }

  /** {@code appendSystem} with a whole {@code system} object: {@code {action, userId, by}} and what else the action names. */
  Future<JsonObject> appendSystem(WriteQueue.Tx tx, StoreState.Conversation c, JsonObject system, Iterable<String> audience) {
    long id = state.nextEventId();
    long seq = ++c.lastSeq;
    String at = WireViews.now();
    String by = system.getString("by");
    JsonObject message = message(id, c.id, seq, by, "system", null, null, new JsonArray(), null, at).put("system", system);
    List<String> recipients = new ArrayList<>();
    audience.forEach(recipients::add);
    tx.afterCommit(() -> fanout.toUsers(recipients, Frames.message(id, message)));
    return tx.conn.preparedQuery(INSERT)
        .execute(Tuple.from(new Object[] {id, c.id, seq, id, by, "system", null, null, null, "[]", null, at, system.encode()}))
        .map(v -> message);
  }

  private static JsonObject message(long id, String conversationId, long seq, String senderId, String type, String text,
                                    Long replyTo, JsonArray mentions, String clientId, String at) {
    JsonObject m = new JsonObject().put("id", id).put("conversationId", conversationId).put("seq", seq)
        .put("senderId", senderId).put("type", type);
    if (text != null) {
      m.put("text", text);
    }
    if (replyTo != null) {
      m.put("replyTo", replyTo);
    }
    m.put("mentions", mentions);
    if (clientId != null) {
      m.put("clientId", clientId);
    }
    return m.put("createdAt", at).put("edited", false).put("recalled", false).put("reactions", new JsonArray());
  }

  /**
   * {@code store.message.recall}: the sender within two minutes, a group's owner or admin any
   * time. The message keeps id and seq, loses text, media and reactions, and is published again
   * under a new event id so that clients resuming past the recall learn of it.
   */
  Future<BusBody.Empty> recall(MessageCommands.Recall cmd) {
    String userId = cmd.userId();
    long messageId = cmd.messageId();
    return writes.submit(tx -> {
      StoreState.Conversation c = state.membership(cmd.conversationId(), userId);
      if (c == null) {
        return Future.failedFuture(Failure.notFound("conversation"));
      }
      return tx.conn.preparedQuery("SELECT " + sql.messageColumns() + " FROM messages m WHERE m.id = ? AND m.conversation_id = ?")
          .execute(Tuple.of(messageId, c.id))
          .compose(rows -> {
            if (rows.size() == 0) {
              return Future.failedFuture(Failure.notFound("message"));
            }
            JsonObject message = WireViews.message(rows.iterator().next());
            if ("system".equals(message.getString("type"))) {
              return Future.failedFuture(Failure.invalid(null, "system messages cannot be recalled"));
            }
            String role = c.roles.get(userId);
            boolean moderator = c.isGroup() && ("owner".equals(role) || "admin".equals(role));
            boolean ownRecent = userId.equals(message.getString("senderId"))
                && Instant.parse(message.getString("createdAt")).plus(RECALL_WINDOW).isAfter(Instant.now());
            if (!moderator && !ownRecent) {
              return Future.failedFuture(Failure.forbidden(userId.equals(message.getString("senderId"))
                  ? "the recall window of 2 minutes has passed" : "only the sender or a group owner/admin may recall"));
            }
            if (message.getBoolean("recalled")) {
              return Future.succeededFuture(BusBody.Empty.INSTANCE);
            }
            long eventId = state.nextEventId();
            message.remove("text");
            message.remove("media");
            message.put("recalled", true).put("reactions", new JsonArray());
            tx.afterCommit(() -> {
              fanout.toUsers(state.memberIds(c), Frames.message(eventId, message));
              search.remove(messageId, eventId);
            });
            return tx.conn.preparedQuery("UPDATE messages SET recalled = 1, text = NULL, media_id = NULL, reactions = NULL,"
                    + " event_id = ? WHERE id = ?")
                .execute(Tuple.of(eventId, messageId))
                .compose(v -> tx.conn.preparedQuery("DELETE FROM reactions WHERE message_id = ?").execute(Tuple.of(messageId)))
                .map(v -> BusBody.Empty.INSTANCE);
          });
    });
  }
}
