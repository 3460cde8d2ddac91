package dev.parley.api;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.Events;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
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
      Events.CensusCount answer = Events.CensusCount.from(message.body());
      Count count = open.get(answer.census());
      if (count == null) {
        return;
      }
      synchronized (count) {
        answer.counts().forEach((userId, n) -> count.sums.merge(userId, n, Integer::sum));
        if (++count.answered >= nodes.registries()) {
          finish(answer.census());
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
      Bus.publish(vertx, Address.CONNECTION_CENSUS, new Events.ConnectionCensus(id, userIds, replyTo));
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
