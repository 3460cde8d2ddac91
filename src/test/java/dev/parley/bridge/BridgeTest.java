package dev.parley.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.BridgeClient;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bots over both real bridges: SockJS on the HTTP port and the TCP bridge on its own port. */
class BridgeTest extends NodeTestBase {
  private static int tcpPort;
  private NetClient net;

  @BeforeAll
  static void startNode() {
    tcpPort = TestNode.freePort();
    node = TestNode.start(c -> c.getJsonObject("bridge").put("tcpPort", tcpPort));
  }

  @BeforeEach
  void tcpClient(Vertx vertx) {
    net = vertx.createNetClient();
  }

  @AfterEach
  void closeTcp() {
    net.close().await();
  }

  /** A bot made by {@code owner}, as an account whose token is the bot token. */
  private Account bot(Account owner, String name) {
    var made = api.post("/api/bots", owner.token(), new JsonObject().put("username", name + "-" + System.nanoTime())
        .put("displayName", "Echo"));
    assertEquals(201, made.status(), made.raw());
    JsonObject user = made.json().getJsonObject("user");
    assertTrue(user.getBoolean("bot"));
    return new Account(user.getString("id"), user.getString("username"), made.json().getString("token"), null);
  }

  private BridgeClient connect(String transport) {
    return "tcp".equals(transport) ? BridgeClient.tcp(api.vertx, net, tcpPort) : BridgeClient.sockJs(api.vertx, api.webSockets(), node.port());
  }

  private JsonObject nextMessageFrom(WsClient ws, String senderId) {
    for (int i = 0; i < 10; i++) {
      JsonObject frame = ws.next("message");
      if (senderId.equals(frame.getJsonObject("data").getString("senderId"))) {
        return frame;
      }
    }
    throw new AssertionError("no message from " + senderId);
  }

  private long lastSeq(Account member, String conversationId) {
    return api.get("/api/conversations/" + conversationId, member.token()).json().getJsonObject("conversation").getLong("lastSeq");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sockjs", "tcp"})
  void aBotReceivesAHumansMessageAnswersItAndTheHumanReceivesTheAnswer(String transport) {
    Account alice = api.signUp("alice");
    Account echo = bot(alice, "echo");
    String group = api.group(alice, "Team and bot", echo);
    try (BridgeClient bot = connect(transport).registerSelf(echo.id(), echo.token(), null);
         WsClient aliceWs = api.webSocket(alice, null)) {
      JsonObject sent = api.send(alice, group, "hello bot");
      JsonObject event = bot.nextEvent("message");
      assertEquals(sent.getLong("id"), event.getLong("id"), "the same frame a WebSocket gets");
      assertEquals(sent, event.getJsonObject("data"));

      JsonObject ack = bot.sendText(echo.token(), group, "echo-1", "echo: hello bot");
      assertEquals("echo-1", ack.getString("clientId"));
      assertNotNull(ack.getLong("id"));
      JsonObject answer = nextMessageFrom(aliceWs, echo.id()).getJsonObject("data");
      assertEquals("echo: hello bot", answer.getString("text"));
      assertEquals(ack.getLong("seq"), answer.getLong("seq"));
      assertEquals(answer.getLong("id"), bot.nextEvent("message").getLong("id"), "the bot gets its own message too");

      JsonObject refused = bot.sendText(echo.token(), group, "echo-2", null);
      assertEquals("invalid_request", refused.getString("code"), "a bad send is answered with the error data");
      assertEquals("echo-2", refused.getString("clientId"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sockjs", "tcp"})
  void framesWithoutTheHeaderAreRefused(String transport) {
    Account alice = api.signUp("alice");
    Account echo = bot(alice, "echo");
    String group = api.group(alice, "Team", echo);
    try (BridgeClient bot = connect(transport)) {
      bot.register("chat.user." + echo.id(), null);
      JsonObject err = bot.next("err");
      assertEquals(401, err.getInteger("failureCode"));
      assertEquals("unauthorized", err.getString("body"));

      String replyAddress = bot.send("chat.send", new JsonObject().put("clientId", "x-1").put("conversationId", group)
          .put("msgType", "text").put("text", "sneaky"), new JsonObject().put("authorization", "Basic abc"));
      err = bot.next("err");
      assertEquals(replyAddress, err.getString("address"), "the refusal answers the send's reply address");
      assertEquals(401, err.getInteger("failureCode"));
      api.send(alice, group, "is anyone there?");
      assertEquals(List.of(), bot.collect("message", 300), "an unregistered socket gets nothing");
    }
    assertEquals(2, lastSeq(alice, group), "the created message and Alice's only");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sockjs", "tcp"})
  void anotherUsersAddressIsRefused(String transport) {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account echo = bot(alice, "echo");
    String direct = api.direct(alice, bob);
    try (BridgeClient bot = connect(transport)) {
      bot.register("chat.user." + alice.id(), BridgeClient.bearer(echo.token()));
      JsonObject err = bot.next("err");
      assertEquals("chat.user." + alice.id(), err.getString("address"));
      assertEquals(403, err.getInteger("failureCode"));
      api.send(bob, direct, "for Alice only");
      assertEquals(List.of(), bot.collect("message", 300));
      // Nor can the socket switch to another user's token once it is the bot's.
      bot.registerSelf(echo.id(), echo.token(), null);
      bot.register("chat.user." + alice.id(), BridgeClient.bearer(alice.token()));
      assertEquals(401, bot.next("err").getInteger("failureCode"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sockjs", "tcp"})
  void everyOtherAddressIsRefusedWhateverTheClientTries(String transport) {
    Account alice = api.signUp("alice");
    Account echo = bot(alice, "echo");
    String group = api.group(alice, "Team", echo);
    JsonObject forged = new JsonObject().put("senderId", alice.id()).put("conversationId", group).put("clientId", "f-1")
        .put("type", "text").put("text", "forged").put("mentions", new JsonArray());
    JsonObject auth = BridgeClient.bearer(echo.token());
    try (BridgeClient bot = connect(transport)) {
      for (String address : List.of("store.message.send", "store.events.since", "store.user.get", "store.bot.create",
          "event.bot.revoked", "chat.user." + echo.id(), "chat.send.x", ".*", "store\\..*")) {
        String replyAddress = bot.send(address, forged, auth);
        JsonObject err = bot.next("err");
        assertEquals(403, err.getInteger("failureCode"), address);
        assertEquals(replyAddress, err.getString("address"));
        bot.write(new JsonObject().put("type", "publish").put("address", address).put("body", forged).put("headers", auth));
        assertEquals(403, bot.next("err").getInteger("failureCode"), "publish " + address);
      }
      for (String address : List.of("store.message.send", "event.bot.revoked", "chat.user.", ".*")) {
        bot.register(address, auth);
        assertEquals(403, bot.next("err").getInteger("failureCode"), "register " + address);
      }
      bot.write(new JsonObject().put("type", "publish").put("address", "chat.send").put("body", forged).put("headers", auth));
      assertEquals(403, bot.next("err").getInteger("failureCode"), "chat.send takes send only");
      bot.write(new JsonObject().put("type", "ping"));
    }
    assertEquals(1, lastSeq(alice, group), "nothing reached the store");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sockjs", "tcp"})
  void aPersonsBridgeLinkClosesWhenTheirSignInEndsAndABotsStays(String transport) {
    Account alice = api.signUp("alice");
    Account device = api.login(alice.username(), "correct horse");
    Account echo = bot(alice, "echo");
    try (BridgeClient person = connect(transport).registerSelf(alice.id(), device.token(), null);
         BridgeClient bot = connect(transport).registerSelf(echo.id(), echo.token(), null)) {
      assertEquals(204, api.post("/api/auth/logout", null,
          new JsonObject().put("refreshToken", device.refreshToken())).status());
      assertTrue(person.awaitClosed(), "the person's link closes");
      assertTrue(!bot.isClosed(), "the bot's link is not a sign-in of alice");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sockjs", "tcp"})
  void aRevokedBotIsDisconnectedAndItsTokenStopsWorking(String transport) {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account echo = bot(alice, "echo");
    assertEquals(403, api.delete("/api/bots/" + echo.id(), bob.token()).status(), "only the owner revokes");
    try (BridgeClient bot = connect(transport).registerSelf(echo.id(), echo.token(), null);
         BridgeClient sender = connect(transport)) {
      // A socket that only sends is closed too.
      sender.sendText(echo.token(), api.group(alice, "Team", echo), "s-1", "still here");
      assertEquals(204, api.delete("/api/bots/" + echo.id(), alice.token()).status());
      assertTrue(bot.awaitClosed(), "the registered socket is closed");
      assertTrue(sender.awaitClosed(), "the sending socket is closed");
    }
    try (BridgeClient again = connect(transport)) {
      again.register("chat.user." + echo.id(), BridgeClient.bearer(echo.token()));
      assertEquals(401, again.next("err").getInteger("failureCode"));
    }
    assertEquals(401, api.get("/api/me", echo.token()).status());
    assertEquals(204, api.delete("/api/bots/" + echo.id(), alice.token()).status(), "revoking again changes nothing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sockjs", "tcp"})
  void aBotResumesWithSinceAndGetsTheMissedEventsFirstWithoutDuplicates(String transport) {
    Account alice = api.signUp("alice");
    Account echo = bot(alice, "echo");
    String group = api.group(alice, "Team", echo);
    long seen;
    try (BridgeClient bot = connect(transport).registerSelf(echo.id(), echo.token(), null)) {
      seen = api.send(alice, group, "one").getLong("id");
      assertEquals(seen, bot.nextEvent("message").getLong("id"));
    }
    long two = api.send(alice, group, "two").getLong("id");
    long three = api.send(alice, group, "three").getLong("id");
    try (BridgeClient bot = connect(transport)) {
      bot.register("chat.user." + echo.id(), BridgeClient.bearer(echo.token()).put("since", String.valueOf(seen)));
      JsonObject first = bot.next("message");
      JsonObject second = bot.next("message");
      bot.next("ready");
      long four = api.send(alice, group, "four").getLong("id");
      List<Long> ids = new java.util.ArrayList<>(List.of(first.getJsonObject("body").getLong("id"),
          second.getJsonObject("body").getLong("id")));
      bot.collect("message", 500).forEach(frame -> ids.add(frame.getJsonObject("body").getLong("id")));
      assertEquals(List.of(two, three, four), ids, "missed events first, then live, each once");
    }
    try (BridgeClient bot = connect(transport)) {
      bot.register("chat.user." + echo.id(), BridgeClient.bearer(echo.token()).put("since", "yesterday"));
      assertEquals(400, bot.next("err").getInteger("failureCode"));
    }
  }

  @Test
  void aUserAccessTokenWorksOnTheBridgeToo() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    try (BridgeClient bridge = connect("sockjs").registerSelf(alice.id(), alice.token(), null)) {
      JsonObject sent = api.send(bob, direct, "hi Alice");
      assertEquals(sent, bridge.nextEvent("message").getJsonObject("data"));
      assertEquals(2, bridge.sendText(alice.token(), direct, "a-1", "hi Bob").getLong("seq"));
    }
  }

  @Test
  void aUserOnPushAndOnTheBridgeGetsEveryEventOnBothAndStaysOnlineUntilBothClose() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    try (WsClient bobWs = api.webSocket(bob, null)) {
      WsClient aliceWs = api.webSocket(alice, null);
      assertTrue(bobWs.next("presence").getJsonObject("data").getBoolean("online"));
      BridgeClient aliceBridge = connect("tcp").registerSelf(alice.id(), alice.token(), null);
      JsonObject sent = api.send(bob, direct, "to both of you");
      assertEquals(sent.getLong("id"), aliceWs.next("message").getLong("id"));
      assertEquals(sent.getLong("id"), aliceBridge.nextEvent("message").getLong("id"));

      aliceWs.close();
      assertEquals(List.of(), bobWs.collect("presence", 300), "still on the bridge: still online");
      aliceBridge.close();
      JsonObject offline = bobWs.next("presence").getJsonObject("data");
      assertEquals(alice.id(), offline.getString("userId"));
      assertEquals(false, offline.getBoolean("online"));
    }
  }

  /** SockJS's HTTP fallback: frames are posted to {@code xhr_send}, events polled from {@code xhr}. */
  @Test
  void theXhrTransportIsGatedLikeTheOthers() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    String session = "/eventbus/000/x" + System.nanoTime();
    assertEquals("o\n", xhr(session + "/xhr", null).raw());
    JsonObject noHeader = new JsonObject().put("type", "register").put("address", "chat.user." + alice.id());
    assertEquals(204, xhr(session + "/xhr_send", new JsonArray().add(noHeader.encode())).status());
    assertTrue(xhr(session + "/xhr", null).raw().contains("unauthorized"));

    JsonObject register = noHeader.copy().put("headers", BridgeClient.bearer(alice.token()));
    assertEquals(204, xhr(session + "/xhr_send", new JsonArray().add(register.encode())).status());
    assertTrue(xhr(session + "/xhr", null).raw().contains("ready"));
    long sent = api.send(bob, direct, "over xhr").getLong("id");
    String polled = xhr(session + "/xhr", null).raw();
    assertTrue(polled.contains("\\\"id\\\":" + sent), polled);
  }

  /** One request per connection: vert.x's SockJS closes the connection after each polling answer. */
  private Api.Reply xhr(String path, Object body) {
    try (Api fresh = new Api(api.vertx, node.port())) {
      return fresh.post(path, null, body);
    }
  }

  @Test
  void botsAreUsersWithATokenThatWorksOnRest() {
    Account alice = api.signUp("alice");
    Account echo = bot(alice, "echo");
    JsonObject me = api.get("/api/me", echo.token()).json().getJsonObject("user");
    assertEquals(echo.id(), me.getString("id"));
    assertTrue(me.getBoolean("bot"));
    String group = api.group(alice, "Team", echo);
    assertEquals(group, api.get("/api/conversations", echo.token()).json().getJsonArray("conversations")
        .getJsonObject(0).getString("id"));
    assertEquals(201, api.post("/api/conversations/" + group + "/messages", echo.token(), new JsonObject()
        .put("clientId", "r-1").put("type", "text").put("text", "over REST")).status());
    assertEquals(403, api.post("/api/bots", echo.token(), new JsonObject().put("username", "botbot")).status(),
        "a bot cannot make bots");
    assertEquals(401, api.post("/api/auth/login", null, new JsonObject().put("username", echo.username())
        .put("password", "anything at all")).status(), "a bot has no password");
    assertEquals(409, api.post("/api/bots", alice.token(), new JsonObject().put("username", alice.username())).status());
    assertEquals(400, api.post("/api/bots", alice.token(), new JsonObject().put("username", "No Spaces")).status());
    assertEquals(404, api.delete("/api/bots/" + alice.id(), alice.token()).status(), "a human is not a bot");
    assertEquals(401, api.get("/api/me", "parley_bot_" + "x".repeat(43)).status());
  }

  @Test
  void aForeignPageCannotOpenTheBridge() {
    WebSocketConnectOptions foreign = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI("/eventbus/websocket").addHeader("Origin", "https://evil.example");
    UpgradeRejectedException refused = assertThrows(UpgradeRejectedException.class,
        () -> api.onContext(() -> api.webSockets().connect(foreign)).await());
    assertEquals(403, refused.getStatus());
    WebSocketConnectOptions own = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI("/eventbus/websocket").addHeader("Origin", "http://127.0.0.1:" + node.port());
    api.onContext(() -> api.webSockets().connect(own)).await().close().await();
  }

  /** A frame announcing 2 GiB would otherwise be buffered whole before anyone looked at it. */
  @Test
  void aTcpFrameOverTheLimitClosesTheSocketBeforeItsBodyIsRead() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", tcpPort)) {
      socket.setSoTimeout(10_000);
      java.io.DataOutputStream out = new java.io.DataOutputStream(socket.getOutputStream());
      out.writeInt(0x7FFF_FFF0);
      out.write(new byte[8192]);
      out.flush();
      java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
      byte[] refusal = new byte[in.readInt()];
      in.readFully(refusal);
      JsonObject err = new JsonObject(io.vertx.core.buffer.Buffer.buffer(refusal));
      assertEquals("err", err.getString("type"));
      assertEquals("too_large", err.getString("body"));
      assertEquals(-1, in.read(), "and the socket is closed");
    }
    try (BridgeClient ok = BridgeClient.tcp(api.vertx, net, tcpPort)) {
      ok.write(new JsonObject().put("type", "ping"));
      assertEquals("pong", ok.next("pong").getString("type"), "the bridge goes on serving");
    }
  }
}
