package dev.parley.api;

import dev.parley.shared.Address;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many connections some accounts have open across the cluster: asks every node's push and
 * bridge registries at once ({@link Address#CONNECTION_CENSUS}) and adds up their answers, which
 * come back to one consumer of this api. It waits for as many answers as {@link NodeDirectory}
 * knows registries, or {@link #WAIT_MS} at most (a node that just started is not known yet).
 */
final class ConnectionCensus {
  private static final long WAIT_MS = 500;

  private final Vertx vertx;
  private final NodeDirectory nodes;
  private final String replyTo = Address.censusReply(UUID.randomUUID().toString());
  private final Map<String, Count> open = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> answers;

  /** One census under way: the sums so far and how many registries answered. */
  private static final class Count {
    final Map<String, Integer> sums = new HashMap<>();
    final Promise<Map<String, Integer>> done = Promise.promise();
    int answered;
  }

  ConnectionCensus(Vertx vertx, NodeDirectory nodes) {
    this.vertx = vertx;
    this.nodes = nodes;
    this.answers = vertx.eventBus().consumer(replyTo, message -> {
      Count count = open.get(message.body().getString("census"));
      if (count == null) {
        return;
      }
      synchronized (count) {
        message.body().getJsonObject("counts").forEach(e -> count.sums.merge(e.getKey(), ((Number) e.getValue()).intValue(), Integer::sum));
        if (++count.answered >= nodes.registries()) {
          finish(message.body().getString("census"));
        }
      }
    });
  }

  Future<Map<String, Integer>> count(List<String> userIds) {
    if (userIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    String id = UUID.randomUUID().toString();
    Count count = new Count();
    open.put(id, count);
    answers.completion().onSuccess(v -> {
      vertx.eventBus().publish(Address.CONNECTION_CENSUS,
          new JsonObject().put("census", id).put("userIds", new JsonArray(userIds)).put("replyTo", replyTo));
      vertx.setTimer(WAIT_MS, t -> finish(id));
    }).onFailure(count.done::fail);
    return count.done.future();
  }

  private void finish(String id) {
    Count count = open.remove(id);
    if (count != null) {
      synchronized (count) {
        count.done.complete(Map.copyOf(count.sums));
      }
    }
  }
}
