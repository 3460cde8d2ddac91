package dev.parley.store;

import dev.parley.shared.BotCommands;
import dev.parley.shared.BusBody;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Outgoing webhooks, the store's side: each bot's endpoint and signing secret, whether it is
 * paused, the retry series of the event at the head of its stream, the delivery log (the newest
 * {@link #LOG_SIZE} attempts per bot), and which deliverer may send a bot's events.
 *
 * <p>The outbox is the bot's kept position ({@code bots.acked_event_id}): a delivered event
 * moves it, so what is left to send survives restarts and takeovers. A deliverer asks
 * {@code store.outgoing.pending} every poll; a bot is granted to one deliverer at a time with a
 * lease held here in memory ({@link #LEASE_MS}, renewed by every poll and attempt). A store that
 * takes over starts with no leases: a deliverer of the old store may then send an event again
 * that another deliverer sends too (at least once, never lost).
 */
final class OutgoingWebhooks {
  static final int LOG_SIZE = 50;
  static final long LEASE_MS = 30_000;

  /** One bot's webhook as the store holds it. */
  static final class Hook {
    String url;
    String secret;
    boolean paused;
    String pausedReason;
    Long failingEventId;
    Long failingSince;
    int failures;
  }

  private record Lease(String nodeId, long until) {
  }

  private final StoreState state;
  private final WriteQueue writes;
  private final Pool reader;
  /** Set when the store starts serving ({@link ActiveStore}): the webhooks are loaded before. */
  Fanout fanout;
  private final Map<String, Hook> hooks = new HashMap<>();
  private final Map<String, Lease> leases = new HashMap<>();
  private long lastLogId;

  OutgoingWebhooks(StoreState state, WriteQueue writes, Pool reader) {
    this.state = state;
    this.writes = writes;
    this.reader = reader;
  }

  /** Loads every webhook and the newest log id (at start, and after a batch rolled back). */
  Future<Void> load(SqlConnection conn) {
    return conn.query("SELECT bot_id, url, secret, paused, paused_reason, failing_event_id, failing_since, failures"
            + " FROM bot_webhooks").execute()
        .compose(rows -> {
          hooks.clear();
          for (Row row : rows) {
            Hook hook = new Hook();
            hook.url = row.getString("url");
            hook.secret = row.getString("secret");
            hook.paused = row.getInteger("paused") != 0;
            hook.pausedReason = row.getString("paused_reason");
            hook.failingEventId = row.getLong("failing_event_id");
            hook.failingSince = row.getLong("failing_since");
            hook.failures = row.getInteger("failures");
            hooks.put(row.getString("bot_id"), hook);
          }
          return conn.query("SELECT COALESCE(MAX(id), 0) AS last FROM bot_webhook_deliveries").execute();
        })
        .map(rows -> {
          lastLogId = rows.iterator().next().getLong("last");
          return null;
        });
  }

  /** The bot the caller owns, or the failure to answer with. */
  private Failure ownership(String userId, String botId) {
    String owner = botId == null ? null : state.botOwners.get(botId);
    if (owner == null) {
      return Failure.notFound("bot");
    }
    if (!owner.equals(userId)) {
      return Failure.forbidden("only the bot's owner may manage its webhook");
    }
    return null;
  }

  /** A bot with a token that is not disabled: the only kind whose events go out. */
  private boolean live(String botId) {
    StoreState.User bot = state.users.get(botId);
    return state.botTokens.containsValue(botId) && bot != null && !bot.disabled();
  }

  private static JsonObject view(Hook hook) {
    JsonObject view = new JsonObject().put("url", hook.url).put("paused", hook.paused);
    if (hook.paused && hook.pausedReason != null) {
      view.put("pausedReason", hook.pausedReason);
    }
    return view;
  }

  /** {@code store.outgoing.set}. */
  Future<BotCommands.OutgoingReply> set(BotCommands.SetOutgoing cmd) {
    String botId = cmd.botId();
    String url = cmd.url();
    String secret = cmd.secret();
    return writes.submit(tx -> {
      Failure refused = ownership(cmd.userId(), botId);
      if (refused != null) {
        return Future.failedFuture(refused);
      }
      if (!live(botId)) {
        return Future.failedFuture(Failure.conflict("the bot is revoked"));
      }
      return tx.conn.preparedQuery("DELETE FROM bot_webhooks WHERE bot_id = ?").execute(Tuple.of(botId))
          .compose(rows -> tx.conn.preparedQuery("INSERT INTO bot_webhooks (bot_id, url, secret, paused, failures, created_at)"
              + " VALUES (?, ?, ?, 0, 0, ?)").execute(Tuple.of(botId, url, secret, WireViews.now())))
          .map(rows -> {
            Hook hook = new Hook();
            hook.url = url;
            hook.secret = secret;
            hooks.put(botId, hook);
            // A deliverer still sending to the old endpoint loses its lease: the next poll starts afresh.
            leases.remove(botId);
            return new BotCommands.OutgoingReply(view(hook));
          });
    });
  }

  /** {@code store.outgoing.get}: the webhook and its newest attempts, newest first. */
  Future<BotCommands.OutgoingLog> get(BotCommands.OwnedBot cmd) {
    String botId = cmd.botId();
    Failure refused = ownership(cmd.userId(), botId);
    if (refused != null) {
      return Future.failedFuture(refused);
    }
    Hook hook = hooks.get(botId);
    if (hook == null) {
      return Future.failedFuture(Failure.notFound("webhook"));
    }
    JsonObject webhook = view(hook);
    return reader.preparedQuery("SELECT event_id, at, status, latency_ms, error FROM bot_webhook_deliveries"
            + " WHERE bot_id = ? ORDER BY id DESC LIMIT ?")
        .execute(Tuple.of(botId, LOG_SIZE))
        .map(rows -> {
          JsonArray deliveries = new JsonArray();
          for (Row row : rows) {
            JsonObject attempt = new JsonObject().put("eventId", row.getLong("event_id")).put("at", row.getString("at"))
                .put("status", row.getInteger("status")).put("latencyMs", row.getLong("latency_ms"));
            if (row.getString("error") != null) {
              attempt.put("error", row.getString("error"));
            }
            deliveries.add(attempt);
          }
          return new BotCommands.OutgoingLog(webhook, deliveries);
        });
  }

  /** {@code store.outgoing.resume}: unpaused, the head event's retry series starts again. */
  Future<BotCommands.OutgoingReply> resume(BotCommands.OwnedBot cmd) {
    String botId = cmd.botId();
    return writes.submit(tx -> {
      Failure refused = ownership(cmd.userId(), botId);
      if (refused != null) {
        return Future.failedFuture(refused);
      }
      Hook hook = hooks.get(botId);
      if (hook == null) {
        return Future.failedFuture(Failure.notFound("webhook"));
      }
      return tx.conn.preparedQuery("UPDATE bot_webhooks SET paused = 0, paused_reason = NULL, failing_event_id = NULL,"
              + " failing_since = NULL, failures = 0 WHERE bot_id = ?").execute(Tuple.of(botId))
          .map(rows -> {
            hook.paused = false;
            hook.pausedReason = null;
            hook.failingEventId = null;
            hook.failingSince = null;
            hook.failures = 0;
            return new BotCommands.OutgoingReply(view(hook));
          });
    });
  }

  /** {@code store.outgoing.delete}. */
  Future<BusBody.Empty> delete(BotCommands.OwnedBot cmd) {
    String botId = cmd.botId();
    return writes.submit(tx -> {
      Failure refused = ownership(cmd.userId(), botId);
      if (refused != null) {
        return Future.failedFuture(refused);
      }
      if (!hooks.containsKey(botId)) {
        return Future.failedFuture(Failure.notFound("webhook"));
      }
      return tx.conn.preparedQuery("DELETE FROM bot_webhook_deliveries WHERE bot_id = ?").execute(Tuple.of(botId))
          .compose(rows -> tx.conn.preparedQuery("DELETE FROM bot_webhooks WHERE bot_id = ?").execute(Tuple.of(botId)))
          .map(rows -> {
            hooks.remove(botId);
            leases.remove(botId);
            return BusBody.Empty.INSTANCE;
          });
    });
  }

  /** {@code store.outgoing.pending}: the bots this deliverer is to send now, each leased to it. */
  Future<BotCommands.Pending> pending(BotCommands.Deliverer cmd) {
    String nodeId = cmd.nodeId();
    if (nodeId == null) {
      return Future.failedFuture(Failure.invalid("nodeId", "a deliverer names itself"));
    }
    long now = System.currentTimeMillis();
    List<BotCommands.PendingBot> bots = new ArrayList<>();
    hooks.forEach((botId, hook) -> {
      Long acked = state.botCursors.get(botId);
      if (hook.paused || acked == null || fanout.newestFor(botId) <= acked || !live(botId)) {
        return;
      }
      Lease lease = leases.get(botId);
      if (lease != null && lease.until > now && !lease.nodeId.equals(nodeId)) {
        return;
      }
      leases.put(botId, new Lease(nodeId, now + LEASE_MS));
      bots.add(new BotCommands.PendingBot(botId, hook.url, hook.secret, acked, hook.failingEventId, hook.failingSince,
          hook.failures));
    });
    return Future.succeededFuture(new BotCommands.Pending(fanout.head(), bots));
  }

  private boolean holds(String nodeId, String botId) {
    Lease lease = leases.get(botId);
    return lease != null && lease.nodeId.equals(nodeId) && lease.until > System.currentTimeMillis();
  }

  /**
   * {@code store.outgoing.attempt}: logs one attempt; a delivered event also moves the bot's kept
   * position (in the same transaction) and ends the retry series, a failed one continues it and
   * pauses the webhook once the series is older than {@code pauseAfterMs}.
   */
  Future<BotCommands.AttemptReply> attempt(BotCommands.Attempt cmd) {
    String nodeId = cmd.nodeId();
    String botId = cmd.botId();
    long eventId = cmd.eventId();
    boolean delivered = cmd.delivered();
    long pauseAfterMs = cmd.pauseAfterMs();
    return writes.submit(tx -> {
      Hook hook = hooks.get(botId);
      if (hook == null || !holds(nodeId, botId) || hook.paused) {
        return Failure.future(ErrorCode.CONFLICT, "this deliverer does not hold the bot's webhook");
      }
      long now = System.currentTimeMillis();
      leases.put(botId, new Lease(nodeId, now + LEASE_MS));
      long logId = lastLogId + 1;
      Long failingEventId;
      Long failingSince;
      int failures;
      boolean pause = false;
      String reason = null;
      if (delivered) {
        failingEventId = null;
        failingSince = null;
        failures = 0;
      } else {
        boolean same = hook.failingEventId != null && hook.failingEventId == eventId;
        failingEventId = eventId;
        failingSince = same ? hook.failingSince : now;
        failures = same ? hook.failures + 1 : 1;
        if (now - failingSince >= pauseAfterMs) {
          pause = true;
          reason = "event " + eventId + " failed " + failures + " times since " + java.time.Instant.ofEpochMilli(failingSince)
              + "; last: " + (cmd.error() != null ? cmd.error() : "HTTP " + cmd.status());
        }
      }
      boolean paused = pause;
      String pausedReason = reason;
      long acked = state.botCursors.getOrDefault(botId, 0L);
      boolean moves = delivered && eventId > acked && eventId <= state.lastEventId;
      return tx.conn.preparedQuery("INSERT INTO bot_webhook_deliveries (id, bot_id, event_id, at, status, latency_ms, error)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?)")
          .execute(Tuple.of(logId, botId, eventId, WireViews.now(), cmd.status(), cmd.latencyMs(), cmd.error()))
          .compose(rows -> tx.conn.preparedQuery("DELETE FROM bot_webhook_deliveries WHERE bot_id = ? AND id NOT IN"
              + " (SELECT id FROM bot_webhook_deliveries WHERE bot_id = ? ORDER BY id DESC LIMIT " + LOG_SIZE + ")")
              .execute(Tuple.of(botId, botId)))
          .compose(rows -> tx.conn.preparedQuery("UPDATE bot_webhooks SET failing_event_id = ?, failing_since = ?, failures = ?,"
              + " paused = ?, paused_reason = ? WHERE bot_id = ?")
              .execute(Tuple.of(failingEventId, failingSince, failures, paused ? 1 : 0, pausedReason, botId)))
          .compose(rows -> moves
              ? tx.conn.preparedQuery("UPDATE bots SET acked_event_id = ? WHERE user_id = ?").execute(Tuple.of(eventId, botId))
              : Future.succeededFuture(rows))
          .map(rows -> {
            lastLogId = logId;
            hook.failingEventId = failingEventId;
            hook.failingSince = failingSince;
            hook.failures = failures;
            if (paused) {
              hook.paused = true;
              hook.pausedReason = pausedReason;
              leases.remove(botId);
            }
            if (moves) {
              state.botCursors.put(botId, eventId);
            }
            return new BotCommands.AttemptReply(paused, failures, failingSince);
          });
    });
  }

  /** {@code store.outgoing.release}: the deliverer has nothing more to send for the bot. */
  Future<BusBody.Empty> release(BotCommands.Release cmd) {
    String botId = cmd.botId();
    if (holds(cmd.nodeId(), botId)) {
      leases.remove(botId);
    }
    return Future.succeededFuture(BusBody.Empty.INSTANCE);
  }
}
