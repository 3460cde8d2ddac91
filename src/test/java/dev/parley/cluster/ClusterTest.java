package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.DeliveryWatch;
import dev.parley.support.SseClient;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three real clustered nodes in this JVM, Hazelcast over TCP-IP on 127.0.0.1: node 1 runs the
 * store (and api, push), nodes 2 and 3 run api and push and reach the store over the clustered
 * bus. Run alone with {@code mvn verify -Dgroups=cluster}.
 */
@Tag("cluster")
@ExtendWith(VertxExtension.class)
class ClusterTest {
  private static final int PORT_1 = TestNode.freePort();
  private static final int PORT_2 = TestNode.freePort();
  private static final int PORT_3 = TestNode.freePort();
  private static final List<Integer> SEEDS = List.of(PORT_1, PORT_2, PORT_3);

  private static TestNode node1;
  private static TestNode node2;
  private static TestNode node3;
  private Api api1;
  private Api api2;
  private Api api3;

  @BeforeAll
  static void startCluster() {
    node1 = TestNode.clustered(TestNode.tempDir(), PORT_1, SEEDS, "store", "api", "push");
    node2 = TestNode.clustered(TestNode.tempDir(), PORT_2, SEEDS, "api", "push");
    node3 = TestNode.clustered(TestNode.tempDir(), PORT_3, SEEDS, "api", "push");
  }

  @AfterAll
  static void stopCluster() {
    for (TestNode node : new TestNode[] {node3, node2, node1}) {
      if (node != null) {
        node.close();
      }
    }
  }

  @BeforeEach
  void connect(Vertx vertx) {
    api1 = new Api(vertx, node1.port());
    api2 = new Api(vertx, node2.port());
    api3 = new Api(vertx, node3.port());
  }

  @AfterEach
  void disconnect() {
    api1.close();
    api2.close();
    api3.close();
  }

  @Test
  void usersOnDifferentNodesTalkOverWebSocketAndSse() {
    Account alice = api1.signUp("alice");
    Account bob = api2.signUp("bob");
    String id = api1.direct(alice, bob);
    try (WsClient aliceWs = api1.webSocket(alice, null); SseClient bobSse = api2.events(bob, null)) {
      aliceWs.send(new JsonObject().put("type", "send").put("clientId", "a-1").put("conversationId", id)
          .put("msgType", "text").put("text", "from node 1"));
      long acked = aliceWs.next("ack").getJsonObject("data").getLong("id");
      SseClient.Event atBob = bobSse.next("message");
      assertEquals(acked, atBob.id());
      assertEquals("from node 1", atBob.data().getString("text"));

      JsonObject reply = api2.send(bob, id, "from node 2 over REST");
      JsonObject atAlice = aliceWs.next("message");
      assertEquals(acked, atAlice.getLong("id"), "alice's own message comes first");
      assertEquals(reply.getLong("id"), aliceWs.next("message").getLong("id"));

      assertEquals(List.of(), aliceWs.collect("message", 300), "each message reaches a socket once");
      assertEquals(1, bobSse.collect("message", 300).size(), "bob's own REST message, once");
    }
  }

  @Test
  void typingReceiptsAndEditsCrossNodes() {
    Account alice = api1.signUp("alice");
    Account bob = api3.signUp("bob");
    String id = api1.direct(alice, bob);
    try (WsClient aliceWs = api1.webSocket(alice, null); WsClient bobWs = api3.webSocket(bob, null)) {
      long messageId = api1.send(alice, id, "are you there?").getLong("id");
      bobWs.send(new JsonObject().put("type", "typing").put("conversationId", id));
      assertEquals(bob.id(), aliceWs.next("typing").getJsonObject("data").getString("userId"));
      assertEquals(messageId, bobWs.next("message").getJsonObject("data").getLong("id"));
      bobWs.send(new JsonObject().put("type", "delivered").put("conversationId", id).put("seq", 1));
      JsonObject delivered = aliceWs.next("delivered").getJsonObject("data");
      assertEquals(bob.id(), delivered.getString("userId"));
      assertEquals(1, delivered.getLong("seq"));
      assertEquals(204, api3.post("/api/conversations/" + id + "/read", bob.token(), new JsonObject().put("seq", 1)).status());
      JsonObject read = aliceWs.next("read").getJsonObject("data");
      assertEquals(1, read.getLong("seq"));

      assertEquals(200, api2.patch("/api/conversations/" + id + "/messages/" + messageId, alice.token(),
          new JsonObject().put("text", "are you there now?")).status());
      JsonObject edited = bobWs.next("message").getJsonObject("data");
      assertEquals(messageId, edited.getLong("id"));
      assertEquals("are you there now?", edited.getString("text"));
      assertTrue(edited.getBoolean("edited"));
    }
  }

  @Test
  void aTokenFromAnyNodeIsAcceptedByEveryNode() {
    Account carol = api3.signUp("carol");
    for (Api api : List.of(api1, api2, api3)) {
      assertEquals(200, api.get("/api/me", carol.token()).status());
    }
  }

  @Test
  void presenceIsClusterWide() {
    Account alice = api1.signUp("alice");
    Account bob = api2.signUp("bob");
    api1.direct(alice, bob);
    try (WsClient bobWs = api2.webSocket(bob, null)) {
      WsClient onNode1 = api1.webSocket(alice, null);
      assertPresence(bobWs.next("presence"), alice, true);
      WsClient onNode3 = api3.webSocket(alice, null);
      onNode1.close();
      assertEquals(List.of(), bobWs.collect("presence", 500), "still connected on node 3: still online");
      assertTrue(api2.get("/api/users/" + alice.id(), bob.token()).json().getJsonObject("user").getBoolean("online"));
      onNode3.close();
      assertPresence(bobWs.next("presence"), alice, false);
    }
  }

  @Test
  void aClientOfAStoppedPushNodeResumesOnAnotherWithoutLossOrDuplicates() {
    TestNode node4 = TestNode.clustered(TestNode.tempDir(), TestNode.freePort(), SEEDS, "api", "push");
    Api api4 = new Api(api1.vertx, node4.port());
    try {
      Account alice = api1.signUp("alice");
      Account bob = api1.signUp("bob");
      String id = api1.direct(alice, bob);
      List<Long> sent = new ArrayList<>();
      List<Long> seen = new ArrayList<>();
      try (WsClient bobWs = api4.webSocket(bob, null)) {
        for (int i = 0; i < 10; i++) {
          sent.add(api1.send(alice, id, "before " + i).getLong("id"));
        }
        for (int i = 0; i < 10; i++) {
          seen.add(bobWs.next("message").getLong("id"));
        }
        node4.close();
      }
      // While bob is away, alice goes on; bob reconnects through another node.
      for (int i = 0; i < 10; i++) {
        sent.add(api2.send(alice, id, "meanwhile " + i).getLong("id"));
      }
      try (WsClient bobAgain = api3.webSocket(bob, seen.get(seen.size() - 1))) {
        for (int i = 0; i < 10; i++) {
          seen.add(bobAgain.next("message").getLong("id"));
        }
        sent.add(api1.send(alice, id, "live again").getLong("id"));
        seen.add(bobAgain.next("message").getLong("id"));
        assertEquals(List.of(), bobAgain.collect("message", 300));
      }
      assertEquals(sent, seen, "every message once, in order");
    } finally {
      api4.close();
      node4.close();
    }
  }

  @Test
  void aSecondSqliteStoreIsRefused() {
    RuntimeException refused = assertThrows(RuntimeException.class,
        () -> TestNode.clustered(TestNode.tempDir(), TestNode.freePort(), SEEDS, "store", "api"));
    assertTrue(refused.getMessage().contains("already runs the SQLite store"), refused.getMessage());
    assertEquals(200, api1.get("/health", null).status(), "the cluster carries on");
  }

  @Test
  void healthShowsTheMembersAndTheStore() {
    JsonObject health = api2.get("/health", null).json();
    assertEquals("UP", health.getString("status"));
    assertEquals("UP", health.getJsonObject("checks").getJsonObject("store").getString("status"));
    JsonObject cluster = health.getJsonObject("checks").getJsonObject("cluster");
    assertTrue(cluster.getInteger("size") >= 3, cluster.encode());
  }

  private static void assertPresence(JsonObject frame, Account who, boolean online) {
    assertEquals(who.id(), frame.getJsonObject("data").getString("userId"));
    assertEquals(online, frame.getJsonObject("data").getBoolean("online"));
  }

  @Test
  void aGroupMessageCrossesTheClusterOncePerNodeWithThatNodesRecipients() {
    Account owner = api1.signUp("owner");
    List<Account> members = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      members.add(api1.signUp("member"));
    }
    String group = api1.group(owner, "spread", members.toArray(Account[]::new));
    Api[] nodes = {api1, api2, api3};
    List<WsClient> sockets = new ArrayList<>();
    // What the store's node sends to the push verticles.
    try (DeliveryWatch watch = new DeliveryWatch(node1.node().vertx())) {
      java.util.Map<Integer, java.util.Set<String>> byNode = new java.util.HashMap<>();
      for (int i = 0; i < members.size(); i++) {
        sockets.add(nodes[i % 3].webSocket(members.get(i), null));
        byNode.computeIfAbsent(i % 3, n -> new java.util.HashSet<>()).add(members.get(i).id());
      }
      api1.send(owner, group, "to all three nodes");
      for (WsClient socket : sockets) {
        assertEquals("to all three nodes", socket.next("message").getJsonObject("data").getString("text"));
      }
      java.util.Map<String, java.util.Set<String>> sent = watch.recipientsByAddress("to all three nodes");
      assertEquals(3, sent.size(), "one bus message to each push node: " + sent);
      assertEquals(java.util.Set.copyOf(byNode.values()), java.util.Set.copyOf(sent.values()),
          "each node is sent the members connected to it, and only them");
    } finally {
      sockets.forEach(WsClient::close);
    }
  }
}
