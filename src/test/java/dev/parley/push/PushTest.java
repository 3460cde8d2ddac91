package dev.parley.push;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.NodeTestBase;
import dev.parley.support.SseClient;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class PushTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start(c -> c.getJsonObject("push").put("pingSeconds", 1));
  }

  @Test
  void everyConnectionOfEveryMemberGetsTheMessageTheSendersOwnIncluded() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    try (WsClient aliceWs = api.webSocket(alice, null); SseClient aliceSse = api.events(alice, null);
         WsClient bobWs = api.webSocket(bob, null); WsClient bobPhone = api.webSocket(bob, null)) {
      JsonObject sent = api.send(alice, id, "hi everyone");
      for (WsClient ws : List.of(aliceWs, bobWs, bobPhone)) {
        JsonObject frame = ws.next("message");
        assertEquals(sent.getLong("id"), frame.getLong("id"), "a new message's event id is its id");
        assertEquals(sent, frame.getJsonObject("data"));
      }
      SseClient.Event event = aliceSse.next("message");
      assertEquals(sent.getLong("id"), event.id());
      assertEquals(sent, event.data());
    }
  }

  @Test
  void aNonMemberNeverReceivesAnEventOfAConversation() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account eve = api.signUp("eve");
    String id = api.direct(alice, bob);
    try (WsClient eveWs = api.webSocket(eve, null); WsClient bobWs = api.webSocket(bob, null)) {
      api.send(alice, id, "private");
      api.post("/api/conversations/" + id + "/typing", alice.token(), null);
      api.post("/api/conversations/" + id + "/read", bob.token(), new JsonObject().put("seq", 1));
      bobWs.next("read");
      assertEquals(List.of(), eveWs.collect("message", 500));
      assertEquals(List.of(), eveWs.collect("typing", 100));
      assertEquals(List.of(), eveWs.collect("read", 100));
    }
  }

  @Test
  void aWebSocketSendIsAckedAndBadFramesGetErrors() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account stranger = api.signUp("stranger");
    String id = api.direct(alice, bob);
    String notMine = api.direct(bob, stranger);
    try (WsClient ws = api.webSocket(alice, null)) {
      JsonObject send = new JsonObject().put("type", "send").put("clientId", "ws-1").put("conversationId", id)
          .put("msgType", "text").put("text", "over the socket");
      ws.send(send);
      JsonObject ack = ws.next("ack").getJsonObject("data");
      assertEquals("ws-1", ack.getString("clientId"));
      assertEquals(1, ack.getLong("seq"));
      assertEquals(ack.getLong("id"), ws.next("message").getLong("id"));
      ws.send(send);
      assertEquals(ack, ws.next("ack").getJsonObject("data"), "a repeated clientId is acked with the same message");

      ws.send(send.copy().put("clientId", "ws-2").put("msgType", "gif"));
      JsonObject error = ws.next("error").getJsonObject("data");
      assertEquals("ws-2", error.getString("clientId"));
      assertEquals("invalid_request", error.getString("code"));
      ws.send(send.copy().put("clientId", "ws-3").put("conversationId", notMine));
      assertEquals("not_found", ws.next("error").getJsonObject("data").getString("code"));
      ws.send(new JsonObject().put("type", "dance"));
      assertEquals("invalid_request", ws.next("error").getJsonObject("data").getString("code"));
      ws.send(new JsonObject().put("type", "ping"));
      assertNotNull(ws.next("pong"));
    }
    assertEquals(1, api.get("/api/conversations/" + id, alice.token()).json().getJsonObject("conversation").getLong("lastSeq"));
  }

  /**
   * The frames of one event-loop task go out with one flush (WsSession consolidates them): a burst
   * still arrives complete and in order on every socket, and a stream that is closed right after
   * delivers what was written before its close frame.
   */
  @Test
  void aBurstOfSendsIsAnsweredCompleteAndInOrderAndNothingWrittenBeforeACloseIsLost() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    int burst = 50;
    try (WsClient aliceWs = api.webSocket(alice, null); WsClient bobWs = api.webSocket(bob, null)) {
      List<JsonObject> sends = new java.util.ArrayList<>();
      for (int i = 1; i <= burst; i++) {
        sends.add(new JsonObject().put("type", "send").put("clientId", "burst-" + i).put("conversationId", id)
            .put("msgType", "text").put("text", "line " + i));
      }
      aliceWs.sendAll(sends);
      for (int i = 1; i <= burst; i++) {
        JsonObject ack = aliceWs.next("ack").getJsonObject("data");
        assertEquals(i, ack.getLong("seq"), "acks come in the order of the sends");
        assertEquals("burst-" + i, ack.getString("clientId"));
        assertEquals("line " + i, aliceWs.next("message").getJsonObject("data").getString("text"), "the sender's own copies in order");
      }
      for (int i = 1; i < burst; i++) {
        assertEquals("line " + i, bobWs.next("message").getJsonObject("data").getString("text"), "the peer's copies in order");
      }
      // The last message and the close that follows it at once: the message comes first, then the close.
      api.send(alice, id, "last words");
      assertEquals(204, api.post("/api/auth/logout", null, new JsonObject().put("refreshToken", bob.refreshToken())).status());
      assertEquals(4401, bobWs.awaitClosed());
      assertEquals("line " + burst, bobWs.next("message").getJsonObject("data").getString("text"));
      assertEquals("last words", bobWs.next("message").getJsonObject("data").getString("text"),
          "what was written before the close frame arrives");
    }
  }

  @Test
  void typingAndReadReachTheOtherMembersAndReadPrivacyIsKept() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    api.send(bob, id, "hello");
    try (WsClient aliceWs = api.webSocket(alice, null); WsClient bobWs = api.webSocket(bob, null)) {
      api.post("/api/conversations/" + id + "/typing", alice.token(), null);
      assertEquals(new JsonObject().put("conversationId", id).put("userId", alice.id()), bobWs.next("typing").getJsonObject("data"));
      aliceWs.send(new JsonObject().put("type", "typing").put("conversationId", id));
      assertEquals(alice.id(), bobWs.next("typing").getJsonObject("data").getString("userId"));

      aliceWs.send(new JsonObject().put("type", "read").put("conversationId", id).put("seq", 1));
      assertEquals(new JsonObject().put("conversationId", id).put("userId", alice.id()).put("seq", 1),
          bobWs.next("read").getJsonObject("data"));

      api.patch("/api/me", bob.token(), new JsonObject().put("readReceipts", false));
      api.send(alice, id, "are you there?");
      api.post("/api/conversations/" + id + "/read", bob.token(), new JsonObject().put("seq", 2));
      assertEquals(2, bobWs.next("read").getJsonObject("data").getLong("seq"), "the reader's own tabs still learn it");
      assertEquals(List.of(), aliceWs.collect("read", 500).stream()
          .filter(frame -> bob.id().equals(frame.getJsonObject("data").getString("userId"))).toList(), "but nobody else does");
    }
  }

  @Test
  void presenceFollowsConnectionsAndIsSeenByContacts() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    api.direct(alice, bob);
    try (WsClient bobWs = api.webSocket(bob, null)) {
      WsClient aliceWs = api.webSocket(alice, null);
      SseClient aliceSse = api.events(alice, null);
      assertEquals(new JsonObject().put("userId", alice.id()).put("online", true), bobWs.next("presence").getJsonObject("data"));
      assertTrue(api.get("/api/users/" + alice.id(), bob.token()).json().getJsonObject("user").getBoolean("online"));
      aliceWs.close();
      assertEquals(List.of(), bobWs.collect("presence", 300), "still online through the SSE stream");
      aliceSse.close();
      assertEquals(new JsonObject().put("userId", alice.id()).put("online", false), bobWs.next("presence").getJsonObject("data"));
      JsonObject seen = api.get("/api/users/" + alice.id(), bob.token()).json().getJsonObject("user");
      assertFalse(seen.getBoolean("online"));
      assertNotNull(seen.getString("lastSeenAt"));
    }
    Account stranger = api.signUp("stranger");
    assertFalse(api.get("/api/users/" + bob.id(), stranger.token()).json().getJsonObject("user").containsKey("lastSeenAt"),
        "presence is for people who share a conversation");
  }

  @Test
  void sseResumesWithLastEventIdExactlyOnceAndInOrder() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    long lastSeen;
    try (SseClient bobSse = api.events(bob, null)) {
      api.send(alice, id, "before the drop");
      lastSeen = bobSse.next("message").id();
    }
    for (int i = 1; i <= 20; i++) {
      api.send(alice, id, "missed " + i);
    }
    try (SseClient bobSse = api.events(bob, lastSeen)) {
      List<SseClient.Event> replayed = bobSse.collect("message", 1000);
      assertEquals(20, replayed.size());
      for (int i = 0; i < 20; i++) {
        assertEquals("missed " + (i + 1), replayed.get(i).data().getString("text"));
        assertTrue(replayed.get(i).id() > (i == 0 ? lastSeen : replayed.get(i - 1).id()));
      }
      JsonObject live = api.send(alice, id, "live again");
      assertEquals(live.getLong("id"), bobSse.next("message").id());
      assertEquals(List.of(), bobSse.collect("message", 300), "and nothing twice");
    }
  }

  @Test
  void webSocketResumesWithSinceExactlyOnceAndInOrder() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    long lastSeen;
    try (WsClient bobWs = api.webSocket(bob, null)) {
      api.send(alice, id, "before the drop");
      lastSeen = bobWs.next("message").getLong("id");
    }
    for (int i = 1; i <= 20; i++) {
      api.send(alice, id, "missed " + i);
    }
    try (WsClient bobWs = api.webSocket(bob, lastSeen)) {
      List<JsonObject> replayed = bobWs.collect("message", 1000);
      assertEquals(20, replayed.size());
      for (int i = 0; i < 20; i++) {
        assertEquals("missed " + (i + 1), replayed.get(i).getJsonObject("data").getString("text"));
      }
      JsonObject live = api.send(alice, id, "live again");
      assertEquals(live.getLong("id"), bobWs.next("message").getLong("id"));
      assertEquals(List.of(), bobWs.collect("message", 300));
    }
  }

  @Test
  void aRecallIsReplayedToAResumingClientUnderANewEventId() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    JsonObject message = api.send(alice, id, "regrettable");
    api.delete("/api/conversations/" + id + "/messages/" + message.getLong("id"), alice.token());
    try (WsClient bobWs = api.webSocket(bob, message.getLong("id"))) {
      JsonObject frame = bobWs.next("message");
      assertTrue(frame.getLong("id") > message.getLong("id"));
      assertEquals(message.getLong("id"), frame.getJsonObject("data").getLong("id"));
      assertTrue(frame.getJsonObject("data").getBoolean("recalled"));
      assertFalse(frame.getJsonObject("data").containsKey("text"));
      assertEquals(List.of(), bobWs.collect("message", 300));
    }
  }

  @Test
  void pastTheReplayLimitTheClientIsToldToResync(Vertx vertx) {
    try (TestNode small = TestNode.start(c -> c.getJsonObject("push").put("replayLimit", 5));
         Api api = new Api(vertx, small.port())) {
      Account alice = api.signUp("alice");
      Account bob = api.signUp("bob");
      String id = api.direct(alice, bob);
      for (int i = 0; i < 8; i++) {
        api.send(alice, id, "flood " + i);
      }
      try (WsClient bobWs = api.webSocket(bob, 0L)) {
        assertEquals(new JsonObject(), bobWs.next("resync").getJsonObject("data"));
        assertEquals(List.of(), bobWs.collect("message", 300), "no partial replay");
        api.send(alice, id, "after the resync");
        assertEquals("after the resync", bobWs.next("message").getJsonObject("data").getString("text"));
      }
    }
  }

  @Test
  void sseSendsKeepAliveComments() {
    Account alice = api.signUp("alice");
    try (SseClient sse = api.events(alice, null)) {
      assertEquals("text/event-stream; charset=utf-8", sse.response.getHeader("Content-Type"));
      assertEquals("connected", sse.next(":comment").data().getString("text"));
      assertEquals("ping", sse.next(":comment").data().getString("text"), "within the 1 s this node is set to");
    }
  }

  @Test
  void groupChangesAreAnnouncedToThePeopleConcerned() {
    Account owner = api.signUp("owner");
    Account joiner = api.signUp("joiner");
    String id = api.group(owner, "Announcements");
    try (WsClient joinerWs = api.webSocket(joiner, null); WsClient ownerWs = api.webSocket(owner, null)) {
      api.post("/api/conversations/" + id + "/members", owner.token(), new JsonObject().put("userId", joiner.id()));
      JsonObject conversation = joinerWs.next("conversation").getJsonObject("data").getJsonObject("conversation");
      assertEquals(id, conversation.getString("id"));
      assertEquals("member", conversation.getString("myRole"));
      assertEquals("joined", joinerWs.next("message").getJsonObject("data").getJsonObject("system").getString("action"));
      assertEquals("joined", ownerWs.next("message").getJsonObject("data").getJsonObject("system").getString("action"));

      api.delete("/api/conversations/" + id + "/members/" + joiner.id(), joiner.token());
      JsonObject after = joinerWs.next("conversation").getJsonObject("data").getJsonObject("conversation");
      assertEquals(null, after.getString("myRole"), "the leaver learns they are out");
    }
  }

  @Test
  void aFrameOverTheLimitClosesTheSocketAndChangesNothing() throws InterruptedException {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    WsClient ws = api.webSocket(alice, null);
    ws.send(new JsonObject().put("type", "send").put("clientId", "huge").put("conversationId", id).put("msgType", "text")
        .put("text", "x".repeat(70_000)));
    await().atMost(Duration.ofSeconds(5)).alias("a frame over push.maxFrameBytes (64 KiB) closes the connection")
        .until(ws::isClosed);
    assertEquals(0, api.get("/api/conversations/" + id, alice.token()).json().getJsonObject("conversation").getLong("lastSeq"));
  }

  @Test
  void pushRefusesMissingTokensForeignOriginsAndBadCursors() {
    Account alice = api.signUp("alice");
    assertEquals(401, api.get("/api/events", null).status());
    assertEquals("unauthorized", api.get("/api/events?access_token=forged", null).errorCode());
    assertEquals(400, api.get("/api/events?access_token=" + alice.token() + "&since=abc", null).status());

    Api.Reply plainGet = api.get("/api/ws?access_token=" + alice.token(), null);
    assertEquals(400, plainGet.status());
    assertEquals("invalid_request", plainGet.errorCode());

    UpgradeRejectedException noToken = assertThrows(UpgradeRejectedException.class,
        () -> api.webSockets().connect(node.port(), "127.0.0.1", "/api/ws").await());
    assertEquals(401, noToken.getStatus());
    UpgradeRejectedException foreign = assertThrows(UpgradeRejectedException.class,
        () -> api.webSockets().connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
            .setURI("/api/ws?access_token=" + alice.token()).addHeader("Origin", "https://evil.example")).await());
    assertEquals(403, foreign.getStatus());
    api.webSockets().connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI("/api/ws?access_token=" + alice.token()).addHeader("Origin", "http://127.0.0.1:" + node.port())).await().close();
  }

  @Test
  @Tag("slow")
  void aSilentHalfSentRequestIsClosedAfterTwoPingPeriods() throws Exception {
    // pingSeconds is 1 here, so the idle timeout is 2 × 1 + 10 = 12 s.
    long opened = System.nanoTime();
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.port())) {
      socket.getOutputStream().write("GET /api/events HTTP/1.1\r\nHost: x\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.setSoTimeout(30_000);
      assertEquals(-1, socket.getInputStream().read(), "closed by the server, nothing answered");
    }
    long seconds = (System.nanoTime() - opened) / 1_000_000_000L;
    assertTrue(seconds >= 11 && seconds < 30, "closed after " + seconds + " s");
  }

  @Test
  void anotherMethodOnAStreamPathIs405() {
    for (String path : List.of("/api/events", "/api/ws")) {
      Api.Reply wrong = api.post(path, null, new JsonObject());
      assertEquals(405, wrong.status(), path);
      assertEquals("method_not_allowed", wrong.errorCode(), path);
      assertEquals(405, api.delete(path, null).status(), path);
    }
  }
}
