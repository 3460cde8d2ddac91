package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.BridgeClient;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bots in a cluster: node A runs the store, the API, push and the SockJS bridge; node B runs only
 * the API and the bridge (SockJS and TCP). A bot on B's bridge gets what is said through A, its
 * answers reach a WebSocket on A, and the position the server keeps for it holds on either node.
 */
@Tag("cluster")
@ExtendWith(VertxExtension.class)
class BridgeClusterTest {
  private static final int PORT_A = TestNode.freePort();
  private static final int PORT_B = TestNode.freePort();
  private static final List<Integer> SEEDS = List.of(PORT_A, PORT_B);
  private static int tcpPort;
  private static TestNode nodeA;
  private static TestNode nodeB;
  private Api apiA;
  private Api apiB;
  private NetClient net;

  @BeforeAll
  static void startCluster() {
    tcpPort = TestNode.freePort();
    nodeA = TestNode.clustered(TestNode.tempDir(), PORT_A, SEEDS, "store", "api", "push", "bridge");
    nodeB = TestNode.clustered(TestNode.tempDir(), PORT_B, SEEDS,
        c -> c.getJsonObject("bridge").put("tcpPort", tcpPort), "api", "bridge");
  }

  @AfterAll
  static void stopCluster() {
    for (TestNode node : new TestNode[] {nodeB, nodeA}) {
      if (node != null) {
        node.close();
      }
    }
  }

  @BeforeEach
  void connect(Vertx vertx) {
    apiA = new Api(vertx, nodeA.port());
    apiB = new Api(vertx, nodeB.port());
    net = vertx.createNetClient();
  }

  @AfterEach
  void disconnect() {
    apiA.close();
    apiB.close();
    net.close().await();
  }

  private Account bot(Account owner) {
    Api.Reply made = apiA.post("/api/bots", owner.token(),
        new JsonObject().put("username", "echo-" + System.nanoTime()).put("displayName", "Echo"));
    assertEquals(201, made.status(), made.raw());
    return new Account(made.json().getJsonObject("user").getString("id"), null, made.json().getString("token"), null);
  }

  @Test
  void aBotOnNodeBsBridgeTalksWithAHumanOnNodeA() {
    Account alice = apiA.signUp("alice");
    Account echo = bot(alice);
    String group = apiA.group(alice, "Across the cluster", echo);
    try (BridgeClient tcp = BridgeClient.tcp(apiB.vertx, net, tcpPort).registerSelf(echo.id(), echo.token(), null);
         BridgeClient sockJs = BridgeClient.sockJs(apiB.vertx, apiB.webSockets(), nodeB.port())
             .registerSelf(echo.id(), echo.token(), null);
         WsClient aliceWs = apiA.webSocket(alice, null)) {
      JsonObject sent = apiA.send(alice, group, "hello from node A");
      assertEquals(sent.getLong("id"), tcp.nextEvent("message").getLong("id"));
      assertEquals(sent.getLong("id"), sockJs.nextEvent("message").getLong("id"));
      assertEquals(sent.getLong("id"), aliceWs.next("message").getLong("id"));

      JsonObject ack = tcp.sendText(echo.token(), group, "echo-1", "echo: hello from node A");
      JsonObject atAlice = aliceWs.next("message");
      assertEquals(ack.getLong("id"), atAlice.getLong("id"));
      assertEquals(echo.id(), atAlice.getJsonObject("data").getString("senderId"));
      assertEquals(List.of(), tcp.collect("err", 200));
    }
  }

  @Test
  void aBotThatKeepsNoStateAcknowledgesOnOneNodeAndResumesOnTheOther() {
    Account alice = apiA.signUp("alice");
    Account relay = bot(alice);
    String group = apiA.group(alice, "Stateless", relay);
    JsonObject headers = BridgeClient.bearer(relay.token()).put("resume", "server");
    long first;
    try (BridgeClient onA = BridgeClient.sockJs(apiA.vertx, apiA.webSockets(), nodeA.port())) {
      onA.register("chat.user." + relay.id(), headers);
      onA.next("ready");
      first = apiA.send(alice, group, "one").getLong("id");
      // The group's system line comes first: the bot's position started before it was added.
      assertEquals("system", onA.nextEvent("message").getJsonObject("data").getString("type"));
      assertEquals(first, onA.nextEvent("message").getLong("id"));
      onA.send("chat.ack", new JsonObject().put("id", first), BridgeClient.bearer(relay.token()));
      assertEquals(first, onA.next("reply").getJsonObject("body").getLong("ackedId"));
    }
    long second = apiA.send(alice, group, "two").getLong("id");
    try (BridgeClient onB = BridgeClient.tcp(apiB.vertx, net, tcpPort)) {
      onB.register("chat.user." + relay.id(), headers);
      assertEquals(second, onB.nextEvent("message").getLong("id"), "what was acknowledged on A is not seen again on B");
      onB.next("ready");
    }
  }

  @Test
  void aBotResumesOnNodeBAndIsDisconnectedWhenRevokedOnNodeA() {
    Account alice = apiA.signUp("alice");
    Account echo = bot(alice);
    String group = apiA.group(alice, "Resume", echo);
    long seen;
    try (BridgeClient first = BridgeClient.tcp(apiB.vertx, net, tcpPort).registerSelf(echo.id(), echo.token(), null)) {
      apiA.send(alice, group, "one");
      seen = first.nextEvent("message").getLong("id");
    }
    long missed = apiA.send(alice, group, "two, while away").getLong("id");
    try (BridgeClient again = BridgeClient.tcp(apiB.vertx, net, tcpPort).registerSelf(echo.id(), echo.token(), seen)) {
      assertEquals(missed, again.nextEvent("message").getLong("id"), "the missed message comes first");
      assertEquals(204, apiA.delete("/api/bots/" + echo.id(), alice.token()).status());
      assertTrue(again.awaitClosed(), "revoked on node A, closed on node B");
    }
  }

  /** A load balancer may send the next polling request of a SockJS session to another node. */
  @Test
  void inAClusterTheSockJsBridgeOffersOnlyItsWebSocket() {
    String session = "/eventbus/000/x" + System.nanoTime();
    for (String transport : List.of("/xhr", "/xhr_streaming", "/eventsource", "/htmlfile", "/jsonp")) {
      assertEquals(404, apiB.post(session + transport, null, null).status(), transport);
    }
    assertTrue(apiB.get("/eventbus/info", null).json().getBoolean("websocket"), "the WebSocket transport stays");
  }
}
