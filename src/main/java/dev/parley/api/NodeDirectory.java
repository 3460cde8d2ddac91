package dev.parley.api;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.Events;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's nodes as their reports ({@link Address#NODE_STATUS}) describe them: the newest
 * report of each node heard from within {@link #SILENT_AFTER}. Reports arrive on this api's event
 * loop and are read from any, hence a concurrent map.
 */
final class NodeDirectory {
  /** A node reports every few seconds; one not heard from for this long is gone. */
  static final Duration SILENT_AFTER = Duration.ofSeconds(30);
  private static final List<String> SERIES = List.of("messagesStored", "connections", "httpRequests");

  private record Report(Events.NodeStatus status, Instant at) {
  }

  private final Map<String, Report> reports = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> consumer;

  NodeDirectory(Vertx vertx) {
    consumer = Bus.subscribe(vertx, Address.NODE_STATUS, status -> reports.put(status.id(), new Report(status, Instant.now())));
  }

  Future<Void> ready() {
    return consumer.completion();
  }

  /** The live nodes, by id, as the admin page shows them. */
  JsonArray nodes() {
    JsonArray nodes = new JsonArray();
    live().forEach(report -> {
      Events.NodeStatus status = report.status();
      Instant started = Instant.parse(status.startedAt());
      nodes.add(new JsonObject().put("id", status.id()).put("roles", new JsonArray(status.roles()))
          .put("version", status.version()).put("startedAt", status.startedAt())
          .put("uptimeSeconds", Math.max(0, Duration.between(started, Instant.now()).toSeconds()))
          .put("connections", status.connections()).put("lastSeenAt", report.at().toString()));
    });
    return nodes;
  }

  /** How many connection registries (push and bridge) the live nodes run: the answers a census waits for. */
  int registries() {
    return live().mapToInt(report -> {
      List<String> roles = report.status().roles();
      return (roles.contains("push") ? 1 : 0) + (roles.contains("bridge") ? 1 : 0);
    }).sum();
  }

  /** Each series summed over the live nodes, the newest points lined up at the end. */
  JsonObject series() {
    JsonObject sums = new JsonObject();
    int interval = 60;
    for (String name : SERIES) {
      long[] total = new long[0];
      for (Report report : live().toList()) {
        JsonObject series = report.status().series();
        interval = series.getInteger("intervalSeconds", interval);
        JsonArray points = series.getJsonArray(name, new JsonArray());
        if (points.size() > total.length) {
          long[] longer = new long[points.size()];
          System.arraycopy(total, 0, longer, longer.length - total.length, total.length);
          total = longer;
        }
        for (int i = 0; i < points.size(); i++) {
          total[total.length - points.size() + i] += points.getLong(i);
        }
      }
      JsonArray summed = new JsonArray();
      for (long point : total) {
        summed.add(point);
      }
      sums.put(name, summed);
    }
    return sums.put("intervalSeconds", interval);
  }

  private java.util.stream.Stream<Report> live() {
    Instant horizon = Instant.now().minus(SILENT_AFTER);
    return reports.values().stream().filter(report -> report.at().isAfter(horizon))
        .sorted(Comparator.comparing(report -> report.status().id()));
  }
}
