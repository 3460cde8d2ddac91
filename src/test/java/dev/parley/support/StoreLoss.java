package dev.parley.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The store goes away under load, and the test checks what users saw. Senders post about 150
 * messages a second for six seconds through the front node, with retries (same clientId), while
 * WebSocket and SSE receivers hold their streams there; a second and a half in, the disruption
 * runs (given the node id of the store that answers). Writes must come back within
 * {@code resumeWithinMs}, and then: every acknowledged message in the history once, seq without a
 * gap, and every stream with every message exactly once, in order, without reconnecting.
 */
public final class StoreLoss {
  private static final int GROUPS = 3;
  private static final int RECEIVERS = 6;

  private StoreLoss() {
  }

  /** Runs the scenario against the front on {@code frontPort}; returns the writes' pause in ms. */
  public static long run(Vertx vertx, int frontPort, long resumeWithinMs, Consumer<String> disruption) {
    Api api = new Api(vertx, frontPort);
    String active = activeStore(api, 30_000);
    Traffic traffic = new Traffic(vertx, () -> frontPort).messagesOnly();
    DeliveryAudit audit = new DeliveryAudit(traffic);
    try (OverlappingGroups cast = OverlappingGroups.create(vertx, api, GROUPS, RECEIVERS, "store loss", () -> frontPort)) {
      CompletableFuture<Void> load = CompletableFuture.runAsync(() -> traffic.run(cast.plan(), 300, 50));
      Receiver.pause(1_500);
      long cut = System.nanoTime();
      disruption.accept(active);
      String successor = activeStore(api, resumeWithinMs);
      long pauseMs = (System.nanoTime() - cut) / 1_000_000;
      load.join();

      audit.awaitQuiet(cast.streams, 30_000);
      cast.streams.forEach((receiver, groups) -> audit.check(receiver, groups, api));
      int reconnects = cast.reconnects();
      System.out.println("store loss: " + active + " → " + successor + ", writes back after " + pauseMs + " ms, "
          + audit.summary() + ", " + reconnects + " reconnects, " + traffic.retries() + " sends retried");
      assertTrue(audit.clean(), audit.summary() + "\n" + audit.report());
      assertEquals(0, reconnects, "no stream had to reconnect");
      for (int g = 0; g < GROUPS; g++) {
        assertHistoryWhole(api, cast.senders.get(g), cast.groupIds.get(g), traffic.created(cast.groupIds.get(g)));
      }
      return pauseMs;
    } finally {
      traffic.close();
      api.close();
    }
  }

  /**
   * The conversation's history: seq 1, 2, 3… without a gap, every acknowledged message once, no
   * clientId twice (a retried send stored again would be).
   */
  private static void assertHistoryWhole(Api api, Account member, String conversationId, List<Long> acknowledged) {
    List<JsonObject> messages = new ArrayList<>();
    Long after = 0L;
    while (after != null) {
      JsonObject page = api.get("/api/conversations/" + conversationId + "/messages?after=" + after + "&limit=100",
          member.token()).json();
      JsonArray batch = page.getJsonArray("messages");
      batch.forEach(m -> messages.add((JsonObject) m));
      after = page.getBoolean("hasMore") ? messages.get(messages.size() - 1).getLong("seq") : null;
    }
    Set<Long> ids = new HashSet<>();
    Set<String> clientIds = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.get(i);
      assertEquals(i + 1, m.getLong("seq"), "seq is gap-free in " + conversationId);
      ids.add(m.getLong("id"));
      String clientId = m.getString("clientId");
      assertTrue(clientId == null || clientIds.add(clientId), "clientId " + clientId + " stored twice");
    }
    assertTrue(ids.containsAll(acknowledged), "every acknowledged message is in the history");
    assertEquals(new HashSet<>(acknowledged).size(), acknowledged.size(), "no message was acknowledged twice");
  }

  /** Waits until a store answers on the front's /health, and names its node. */
  public static String activeStore(Api api, long millis) {
    Reply health = await().atMost(Duration.ofMillis(millis)).pollInterval(Duration.ofMillis(50))
        .alias("a store answers on the front's /health").until(() -> api.get("/health", null), h -> h.status() == 200);
    return health.json().getJsonObject("checks").getJsonObject("store").getString("node");
  }
}
