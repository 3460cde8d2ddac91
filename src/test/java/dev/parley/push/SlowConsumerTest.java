package dev.parley.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading: the server keeps delivering to everyone else, and closes the slow
 * connection once its backlog passes the bound instead of buffering without end. The slow client
 * is a plain socket that opens the connection, reads up to the server's {@code ready}, and then
 * never reads again.
 */
@Tag("slow")
class SlowConsumerTest extends NodeTestBase {
  private static final String PAYLOAD = "slow consumers must not hold anyone up. ".repeat(100);
  private static final int ROUND = 20;

  @BeforeAll
  static void startNode() {
    // Small bounds, so a few hundred messages are enough to fill the socket buffers and pass them;
    // a round of the flood (ROUND messages) still fits under them, so a client that does read is
    // never closed.
    node = TestNode.start(c -> c.getJsonObject("push").put("writeQueueMaxBytes", 32 * 1024)
        .put("writeQueueCloseBytes", 128 * 1024));
  }

  @Test
  void aWebSocketThatStopsReadingIsClosedAndOthersGetEverything() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account carol = api.signUp("carol");
    api.group(alice, "Busy", bob, carol);
    String request = "GET /api/ws?access_token=" + bob.token() + " HTTP/1.1\r\nHost: 127.0.0.1:" + node.port()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n";
    floodPastAStalledClient(alice, bob, carol, request, "\"type\":\"ready\"");
  }

  @Test
  void anEventStreamThatStopsReadingIsClosedAndOthersGetEverything() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account carol = api.signUp("carol");
    api.group(alice, "Busy", bob, carol);
    String request = "GET /api/events?access_token=" + bob.token() + " HTTP/1.1\r\nHost: 127.0.0.1:" + node.port()
        + "\r\nAccept: text/event-stream\r\n\r\n";
    floodPastAStalledClient(alice, bob, carol, request, "event: ready");
  }

  private void floodPastAStalledClient(Account alice, Account bob, Account carol, String request, String ready) throws Exception {
    String conversationId = api.get("/api/conversations", alice.token()).json().getJsonArray("conversations")
        .getJsonObject(0).getString("id");
    try (WsClient carolWs = api.webSocket(carol, null); WsClient aliceWs = api.webSocket(alice, null);
         StalledClient stalled = new StalledClient(node.port(), request)) {
      stalled.readUntil(ready);
      awaitPresence(carolWs, bob, true);

      Set<Long> sent = new HashSet<>();
      boolean bobGone = false;
      int round = 0;
      while (!bobGone && sent.size() < 3000) {
        for (int i = 0; i < ROUND; i++) {
          aliceWs.send(new JsonObject().put("type", "send").put("clientId", "flood-" + round + "-" + i)
              .put("conversationId", conversationId).put("msgType", "text").put("text", PAYLOAD));
        }
        for (int i = 0; i < ROUND; i++) {
          sent.add(aliceWs.next("ack").getJsonObject("data").getLong("id"));
        }
        for (int i = 0; i < ROUND; i++) {
          assertTrue(sent.contains(carolWs.next("message").getLong("id")), "carol keeps receiving, in step with the sender");
        }
        bobGone = carolWs.collect("presence", 0).stream().anyMatch(p -> isOffline(p, bob));
        round++;
      }
      if (!bobGone) {
        awaitPresence(carolWs, bob, false);
      }
      assertTrue(stalled.closedByServer(), "the stalled connection was closed by the server");
      assertEquals(200, api.get("/api/conversations/" + conversationId, bob.token()).status(), "bob can come back and resume");
    }
  }

  private static boolean isOffline(JsonObject presence, Account who) {
    JsonObject data = presence.getJsonObject("data");
    return who.id().equals(data.getString("userId")) && !data.getBoolean("online");
  }

  /** Waits (generously) for a presence event of {@code who}. */
  private static void awaitPresence(WsClient ws, Account who, boolean online) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (JsonObject p : ws.collect("presence", 200)) {
        JsonObject data = p.getJsonObject("data");
        if (who.id().equals(data.getString("userId")) && data.getBoolean("online") == online) {
          return;
        }
      }
    }
    throw new AssertionError("no presence " + online + " for " + who.username());
  }
}
