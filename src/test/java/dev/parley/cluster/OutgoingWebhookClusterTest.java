package dev.parley.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Outgoing webhooks in a cluster: both nodes have the api role and so a deliverer each, and the
 * store lends a bot to one of them at a time: every event reaches the endpoint once, in order.
 */
@Tag("cluster")
@ExtendWith(VertxExtension.class)
class OutgoingWebhookClusterTest {
  private static final int PORT_1 = TestNode.freePort();
  private static final int PORT_2 = TestNode.freePort();
  private static final List<Integer> SEEDS = List.of(PORT_1, PORT_2);
  private static final Consumer<JsonObject> LOOPBACK_HOOKS = c -> c.put("outgoingWebhooks",
      new JsonObject().put("allowPrivateEndpoints", true).put("pollIntervalMs", 100));

  private static TestNode node1;
  private static TestNode node2;

  @BeforeAll
  static void startCluster() {
    node1 = TestNode.clustered(TestNode.tempDir(), PORT_1, SEEDS, LOOPBACK_HOOKS, "store", "api", "push");
    node2 = TestNode.clustered(TestNode.tempDir(), PORT_2, SEEDS, LOOPBACK_HOOKS, "api", "push");
  }

  @AfterAll
  static void stopCluster() {
    for (TestNode node : new TestNode[] {node2, node1}) {
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  void everyEventReachesTheEndpointOnceAndInOrderWhateverTheNumberOfDeliverers(Vertx vertx) throws Exception {
    List<Long> received = new CopyOnWriteArrayList<>();
    HttpServer endpoint = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(new JsonObject(body).getLong("id"));
      request.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1").await();
    try (Api api1 = new Api(vertx, node1.port()); Api api2 = new Api(vertx, node2.port())) {
      Account owner = api1.signUp("owner");
      Api.Reply made = api1.post("/api/bots", owner.token(), new JsonObject().put("username", "hook-" + System.nanoTime()));
      String botId = made.json().getJsonObject("user").getString("id");
      String chat = api1.direct(owner, new Account(botId, null, null, null));
      assertEquals(200, api2.put("/api/bots/" + botId + "/webhook", owner.token(),
          new JsonObject().put("url", "http://127.0.0.1:" + endpoint.actualPort() + "/hook")).status());

      List<Long> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sent.add((i % 2 == 0 ? api1 : api2).send(owner, chat, "event " + i).getLong("id"));
      }

      try {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).alias("every event reaches the endpoint")
            .until(() -> received.containsAll(sent));
      } catch (ConditionTimeoutException e) {
        // Not a failure of its own: the assertion below shows what arrived.
      }
      Thread.sleep(1_000); // anything sent twice would have arrived by now
      assertEquals(sent, received.stream().filter(sent::contains).toList(), "each event once, in order");
    } finally {
      endpoint.close().await();
    }
  }
}
