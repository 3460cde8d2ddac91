package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.LocalPushService;
import dev.parley.support.LocalPushService.Device;
import dev.parley.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Web Push in a cluster: both nodes have the api role and so a push sender each, and every
 * message still reaches a device once, not once per node.
 */
@Tag("cluster")
@ExtendWith(VertxExtension.class)
class WebPushClusterTest {
  private static final int PORT_1 = TestNode.freePort();
  private static final int PORT_2 = TestNode.freePort();
  private static final List<Integer> SEEDS = List.of(PORT_1, PORT_2);
  private static final Consumer<JsonObject> LOOPBACK_PUSH =
      c -> c.put("webPush", new JsonObject().put("allowPrivateEndpoints", true));

  private static TestNode node1;
  private static TestNode node2;

  @BeforeAll
  static void startCluster() {
    node1 = TestNode.clustered(TestNode.tempDir(), PORT_1, SEEDS, LOOPBACK_PUSH, "store", "api", "push");
    node2 = TestNode.clustered(TestNode.tempDir(), PORT_2, SEEDS, LOOPBACK_PUSH, "api", "push");
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
  void everyMessageIsPushedOnceWhateverTheNumberOfSenders(Vertx vertx) throws Exception {
    try (LocalPushService pushService = LocalPushService.start(vertx);
         Api api1 = new Api(vertx, node1.port()); Api api2 = new Api(vertx, node2.port())) {
      Account alice = api1.signUp("alice");
      Account bob = api1.signUp("bob");
      Device phone = pushService.device();
      assertEquals(201, api2.post("/api/push-subscriptions", alice.token(), phone.subscription()).status());
      String chat = api1.direct(bob, alice);

      Set<Long> sent = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        sent.add((i % 2 == 0 ? api1 : api2).send(bob, chat, "message " + i).getLong("id"));
      }

      Set<Long> pushed = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        pushed.add(phone.next(10).payload().getLong("messageId"));
      }
      assertEquals(sent, pushed);
      assertNull(phone.poll(1_000), "no message was pushed twice");
      assertEquals(10, phone.requests());
      assertEquals(List.of(), pushService.problems());
    }
  }
}
