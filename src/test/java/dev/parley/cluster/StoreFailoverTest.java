package dev.parley.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store node goes away and comes back: the other node answers {@code 503 unavailable}
 * meanwhile, writes nothing, and serves again once a store rejoins the cluster, with presence
 * reported afresh. Run alone with {@code mvn verify -Dgroups=cluster}.
 */
@Tag("cluster")
@ExtendWith(VertxExtension.class)
class StoreFailoverTest {
  @Test
  void whileTheStoreIsGoneCallsFailFastWith503ThenTheClusterRecovers(Vertx vertx) {
    int storePort = TestNode.freePort();
    int pushPort = TestNode.freePort();
    List<Integer> seeds = List.of(storePort, pushPort);
    Path storeData = TestNode.tempDir();
    TestNode store = TestNode.clustered(storeData, storePort, seeds, "store");
    TestNode front = TestNode.clustered(TestNode.tempDir(), pushPort, seeds, "api", "push");
    Api api = new Api(vertx, front.port());
    try {
      Account alice = api.signUp("alice");
      Account bob = api.signUp("bob");
      String id = api.direct(alice, bob);
      api.send(alice, id, "before the outage");

      store.close();
      JsonObject during = new JsonObject().put("clientId", "outage-1").put("type", "text").put("text", "during");
      Reply unavailable = api.post("/api/conversations/" + id + "/messages", alice.token(), during);
      assertEquals(503, unavailable.status(), unavailable.raw());
      assertEquals("unavailable", unavailable.errorCode());
      assertEquals(503, api.get("/health", null).status());

      store = TestNode.clustered(storeData, TestNode.freePort(), seeds, "store");
      awaitHealthy(api);
      try (WsClient bobWs = api.webSocket(bob, null)) {
        Reply retried = api.post("/api/conversations/" + id + "/messages", alice.token(), during);
        assertEquals(201, retried.status(), "the send that failed is simply retried: " + retried.raw());
        assertEquals(2, retried.json().getJsonObject("message").getLong("seq"), "nothing was half-written");
        assertEquals("during", bobWs.next("message").getJsonObject("data").getString("text"));
      }
      JsonObject history = api.get("/api/conversations/" + id + "/messages", bob.token()).json();
      assertEquals(2, history.getJsonArray("messages").size());
    } finally {
      api.close();
      front.close();
      store.close();
    }
  }

  private static void awaitHealthy(Api api) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).alias("the cluster recovers: /health answers 200")
        .until(() -> api.get("/health", null).status() == 200);
  }
}
