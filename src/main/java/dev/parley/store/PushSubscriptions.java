package dev.parley.store;

import dev.parley.shared.BusBody;
import dev.parley.shared.Failure;
import dev.parley.shared.Ids;
import dev.parley.shared.PushCommands;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each user's Web Push subscriptions: one per browser or installed app that asked to be told of
 * messages while no Parley tab is open there. Held in memory (a team's devices are few) so the
 * decision to push costs no query; changed only by the single writer, row first.
 *
 * <p>An endpoint belongs to one device, so subscribing with an endpoint already known moves it to
 * the caller with the new keys (the device signed in as someone else, or the browser renewed
 * its keys). A user keeps at most {@link #MAX_PER_USER}; a new one beyond that replaces the oldest.
 */
final class PushSubscriptions {
  static final int MAX_PER_USER = 20;

  /** One device's subscription: where the push service listens, and the keys its payloads are encrypted to. */
  record Subscription(String id, String userId, String endpoint, String p256dh, String auth, String createdAt) {
    /** What its owner sees: the push service's host, never the full endpoint (it is a bearer capability). */
    JsonObject view() {
      return new JsonObject().put("id", id).put("service", java.net.URI.create(endpoint).getHost()).put("createdAt", createdAt);
    }

    /** What the sender needs to reach the device. */
    PushCommands.Target target() {
      return new PushCommands.Target(id, endpoint, p256dh, auth);
    }
  }

  private final WriteQueue writes;
  private final Map<String, Subscription> byEndpoint = new HashMap<>();
  private final Map<String, List<Subscription>> byUser = new HashMap<>();

  PushSubscriptions(WriteQueue writes) {
    this.writes = writes;
  }

  Future<Void> load(SqlClient db) {
    return db.query("SELECT id, user_id, endpoint, p256dh, auth, created_at FROM push_subscriptions ORDER BY created_at")
        .execute().map(rows -> {
          byEndpoint.clear();
          byUser.clear();
          for (Row row : rows) {
            put(new Subscription(row.getString("id"), row.getString("user_id"), row.getString("endpoint"),
                row.getString("p256dh"), row.getString("auth"), row.getString("created_at")));
          }
          return null;
        });
  }

  /** The user's subscriptions, oldest first; empty for most users, and never null. */
  List<Subscription> of(String userId) {
    return byUser.getOrDefault(userId, List.of());
  }

  /** {@code store.push.subscribe}: the device's subscription, and whether it is new. */
  Future<PushCommands.Subscribed> subscribe(PushCommands.Subscribe cmd) {
    String userId = cmd.userId();
    String endpoint = cmd.endpoint();
    return writes.submit(tx -> {
      Subscription known = byEndpoint.get(endpoint);
      if (known != null && known.userId().equals(userId) && known.p256dh().equals(cmd.p256dh())
          && known.auth().equals(cmd.auth())) {
        return Future.succeededFuture(new PushCommands.Subscribed(known.view(), false));
      }
      Subscription fresh = new Subscription(Ids.next("w"), userId, endpoint, cmd.p256dh(), cmd.auth(), WireViews.now());
      List<Subscription> gone = new ArrayList<>();
      if (known != null) {
        gone.add(known);
      }
      List<Subscription> mine = new ArrayList<>(of(userId));
      mine.removeAll(gone);
      mine.sort(Comparator.comparing(Subscription::createdAt));
      for (int i = 0; i <= mine.size() - MAX_PER_USER; i++) {
        gone.add(mine.get(i));
      }
      Future<?> removed = gone.isEmpty() ? Future.succeededFuture()
          : tx.conn.preparedQuery("DELETE FROM push_subscriptions WHERE id = ?")
              .executeBatch(gone.stream().map(s -> Tuple.of(s.id())).toList());
      return removed
          .compose(v -> tx.conn.preparedQuery("INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, created_at)"
              + " VALUES (?, ?, ?, ?, ?, ?)").execute(Tuple.of(fresh.id(), userId, endpoint, fresh.p256dh(), fresh.auth(),
              fresh.createdAt())))
          .map(v -> {
            gone.forEach(this::drop);
            put(fresh);
            return new PushCommands.Subscribed(fresh.view(), true);
          });
    });
  }

  /** {@code store.push.list}: the user's subscriptions, oldest first. */
  Future<PushCommands.Subscriptions> list(PushCommands.ListSubscriptions cmd) {
    JsonArray views = new JsonArray();
    of(cmd.userId()).forEach(s -> views.add(s.view()));
    return Future.succeededFuture(new PushCommands.Subscriptions(views));
  }

  /** {@code store.push.unsubscribe}: by id or by endpoint; 404 unless it is the caller's. */
  Future<BusBody.Empty> unsubscribe(PushCommands.Unsubscribe cmd) {
    String userId = cmd.userId();
    return writes.submit(tx -> {
      Subscription s = cmd.endpoint() != null ? byEndpoint.get(cmd.endpoint())
          : of(userId).stream().filter(x -> x.id().equals(cmd.id())).findFirst().orElse(null);
      if (s == null || !s.userId().equals(userId)) {
        return Future.failedFuture(Failure.notFound("push subscription"));
      }
      return delete(tx, s);
    });
  }

  /**
   * {@code store.push.expired}: the push service answered that the subscription is gone
   * (404/410). Removed only if it still names that endpoint.
   */
  Future<BusBody.Empty> expired(PushCommands.Expired cmd) {
    return writes.submit(tx -> {
      Subscription s = byEndpoint.get(cmd.endpoint());
      if (s == null || !s.id().equals(cmd.id())) {
        return Future.succeededFuture(BusBody.Empty.INSTANCE);
      }
      return delete(tx, s);
    });
  }

  /** Every device of the user forgotten (an admin disabled the account): in the caller's transaction. */
  Future<Void> forgetAll(WriteQueue.Tx tx, String userId) {
    List<Subscription> mine = new ArrayList<>(of(userId));
    return tx.conn.preparedQuery("DELETE FROM push_subscriptions WHERE user_id = ?").execute(Tuple.of(userId))
        .map(v -> {
          mine.forEach(this::drop);
          return null;
        });
  }

  private Future<BusBody.Empty> delete(WriteQueue.Tx tx, Subscription s) {
    return tx.conn.preparedQuery("DELETE FROM push_subscriptions WHERE id = ?").execute(Tuple.of(s.id())).map(v -> {
      drop(s);
      return BusBody.Empty.INSTANCE;
    });
  }

  private void put(Subscription s) {
    byEndpoint.put(s.endpoint(), s);
    byUser.computeIfAbsent(s.userId(), k -> new ArrayList<>()).add(s);
  }

  private void drop(Subscription s) {
    byEndpoint.remove(s.endpoint());
    List<Subscription> mine = byUser.get(s.userId());
    if (mine != null) {
      mine.remove(s);
      if (mine.isEmpty()) {
        byUser.remove(s.userId());
      }
    }
  }
}
