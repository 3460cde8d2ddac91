package dev.parley.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last hour of a few of this node's meters, one point per sample: messages stored and HTTP
 * requests answered since the sample before, and push and bridge connections open at the sample.
 * Read from the node's meter registry by name, so no verticle has to hand them over. Runs on the
 * reporter's event loop only.
 */
final class CounterSeries {
  private static final long HOUR_SECONDS = 3600;
  static final String MESSAGES_STORED = "parley.messages.stored";
  static final String HTTP_REQUESTS = "vertx.http.server.requests";
  static final String PUSH_CONNECTIONS = "parley.connections";
  static final String BRIDGE_CONNECTIONS = "parley.bridge.connections";

  private final MeterRegistry registry;
  private final long intervalSeconds;
  private final int points;
  private final Deque<long[]> samples = new ArrayDeque<>();
  private double lastMessages;
  private double lastRequests;

  CounterSeries(MeterRegistry registry, long intervalSeconds) {
    this.registry = registry;
    this.intervalSeconds = intervalSeconds;
    this.points = (int) Math.max(1, HOUR_SECONDS / intervalSeconds);
    lastMessages = total(MESSAGES_STORED);
    lastRequests = total(HTTP_REQUESTS);
  }

  /** Takes one point: {messages stored, connections, HTTP requests}; the oldest beyond an hour goes. */
  void sample() {
    double messages = total(MESSAGES_STORED);
    double requests = total(HTTP_REQUESTS);
    samples.addLast(new long[] {Math.round(messages - lastMessages), gauge(PUSH_CONNECTIONS) + gauge(BRIDGE_CONNECTIONS),
        Math.round(requests - lastRequests)});
    lastMessages = messages;
    lastRequests = requests;
    while (samples.size() > points) {
      samples.removeFirst();
    }
  }

  JsonObject connections() {
    return new JsonObject().put("push", gauge(PUSH_CONNECTIONS)).put("bridge", gauge(BRIDGE_CONNECTIONS));
  }

  /** The points oldest first, under the names the admin page knows. */
  JsonObject toJson() {
    JsonArray messages = new JsonArray();
    JsonArray connections = new JsonArray();
    JsonArray requests = new JsonArray();
    for (long[] point : samples) {
      messages.add(point[0]);
      connections.add(point[1]);
      requests.add(point[2]);
    }
    return new JsonObject().put("intervalSeconds", intervalSeconds).put("messagesStored", messages)
        .put("connections", connections).put("httpRequests", requests);
  }

  /** A counter summed over its tags (the HTTP one has one per route and status); 0 if this node has none. */
  private double total(String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  private long gauge(String name) {
    return Math.round(registry.find(name).gauges().stream().mapToDouble(Gauge::value).sum());
  }
}
