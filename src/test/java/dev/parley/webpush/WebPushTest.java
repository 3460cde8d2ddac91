package dev.parley.webpush;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.LocalPushService;
import dev.parley.support.LocalPushService.Device;
import dev.parley.support.LocalPushService.Push;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Web Push end to end: real subscriptions through the API, a real node deciding who to push, and
 * a push service on loopback that checks each request's VAPID signature and decrypts its payload
 * with the device's own keys, as a browser's push service and the browser would.
 */
class WebPushTest extends NodeTestBase {
  private static final long UNREAD_DELAY_MS = 1_500;
  private static Vertx pushVertx;
  private static LocalPushService pushService;

  @BeforeAll
  static void start() {
    // The push service is on loopback over plain http: only a node that allows private endpoints reaches it.
    node = TestNode.start(config -> config.put("webPush", new JsonObject()
        .put("allowPrivateEndpoints", true).put("unreadDelayMs", UNREAD_DELAY_MS)));
    pushVertx = Vertx.vertx();
    pushService = LocalPushService.start(pushVertx);
  }

  @AfterAll
  static void stopPushService() {
    pushService.close();
    pushVertx.close().await();
  }

  @AfterEach
  void everyRequestKeptTheProtocol() {
    assertEquals(java.util.List.of(), pushService.problems());
  }

  private Device subscribe(Account account) {
    Device device = pushService.device();
    Api.Reply created = api.post("/api/push-subscriptions", account.token(), device.subscription());
    assertEquals(201, created.status(), created.raw());
    return device;
  }

  @Test
  void aDirectMessageToSomeoneWithNoTabOpenReachesTheirDeviceSignedAndEncrypted() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Device phone = subscribe(alice);
    String chat = api.direct(bob, alice);

    JsonObject sent = api.send(bob, chat, "Lunch at  noon?\nUpstairs.");

    Push push = phone.next(10);
    assertEquals("message", push.payload().getString("type"));
    assertEquals(chat, push.payload().getString("conversationId"));
    assertEquals(sent.getLong("id"), push.payload().getLong("messageId"));
    assertEquals(bob.username(), push.payload().getString("title"));
    assertEquals("Lunch at noon? Upstairs.", push.payload().getString("body"));
    assertEquals("high", push.headers().get("Urgency"));
    assertEquals(32, push.headers().get("Topic").length(), "one topic per conversation: a newer push replaces a waiting one");
    assertNull(phone.poll(300), "one push per message");
  }

  @Test
  void theSendersOwnDevicesStayQuiet() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Device alicePhone = subscribe(alice);
    Device bobPhone = subscribe(bob);
    String chat = api.direct(bob, alice);

    api.send(bob, chat, "first");

    assertEquals("first", alicePhone.next(10).payload().getString("body"));
    assertNull(bobPhone.poll(500), "nobody is told of their own message");
  }

  @Test
  void someoneConnectedIsPushedOnlyWhenTheMessageStaysUnread() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Device phone = subscribe(alice);
    String chat = api.direct(bob, alice);
    WsClient laptop = api.webSocket(alice, null);

    JsonObject seen = api.send(bob, chat, "seen on the laptop");
    laptop.next("message");
    assertEquals(204, api.post("/api/conversations/" + chat + "/read", alice.token(),
        new JsonObject().put("seq", seen.getLong("seq"))).status());
    api.send(bob, chat, "not looked at");

    Push push = phone.next(10);
    assertEquals("not looked at", push.payload().getString("body"), "the message read in time is never pushed");
    laptop.close();
  }

  @Test
  void aGroupPushesEachMemberByTheirLevelAndNeverWhenMuted() throws Exception {
    Account bob = api.signUp("bob");
    Account alice = api.signUp("alice"); // default: mentions of her
    Account carol = api.signUp("carol"); // every message
    Account dave = api.signUp("dave"); // every message, but muted
    Device alicePhone = subscribe(alice);
    Device carolPhone = subscribe(carol);
    Device davePhone = subscribe(dave);
    String team = api.group(bob, "Team", alice, carol, dave);
    assertEquals(204, api.put("/api/conversations/" + team + "/notify", carol.token(), new JsonObject().put("level", "all")).status());
    assertEquals(204, api.put("/api/conversations/" + team + "/notify", dave.token(), new JsonObject().put("level", "all")).status());
    assertEquals(204, api.put("/api/conversations/" + team + "/mute", dave.token(), new JsonObject().put("muted", true)).status());

    api.send(bob, team, "plain news");
    Api.Reply mention = api.post("/api/conversations/" + team + "/messages", bob.token(), new JsonObject()
        .put("clientId", "c-mention").put("type", "text").put("text", "@" + alice.username() + " look")
        .put("mentions", new JsonArray().add(alice.id())));
    assertEquals(201, mention.status(), mention.raw());
    api.send(bob, api.direct(bob, dave), "marker for dave");

    // Two messages are two pushes, sent concurrently: the push service may take them in either order.
    java.util.Set<String> carols = new java.util.HashSet<>();
    for (int i = 0; i < 2; i++) {
      Push push = carolPhone.next(10);
      assertEquals(bob.username() + " in Team", push.payload().getString("title"));
      carols.add(push.payload().getString("body"));
    }
    assertEquals(java.util.Set.of("plain news", "@" + alice.username() + " look"), carols);
    Push alices = alicePhone.next(10);
    assertEquals("@" + alice.username() + " look", alices.payload().getString("body"), "only the mention reaches alice");
    assertEquals("marker for dave", davePhone.next(10).payload().getString("body"), "nothing of the muted group reaches dave");
  }

  @Test
  void aSubscriptionThePushServiceNoLongerKnowsIsRemoved() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Device gone = subscribe(alice).answer(410);
    String chat = api.direct(bob, alice);

    api.send(bob, chat, "anyone there?");

    await().atMost(Duration.ofSeconds(10)).alias("the expired subscription is removed")
        .until(() -> api.get("/api/push-subscriptions", alice.token()).json().getJsonArray("subscriptions").isEmpty());
    api.send(bob, chat, "still there?");
    Thread.sleep(500);
    assertEquals(1, gone.requests(), "a removed subscription is not tried again");
  }

  @Test
  void aBusyPushServiceIsAskedAgainUntilItTakesThePush() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Device phone = subscribe(alice).answer(503, 429);

    api.send(bob, api.direct(bob, alice), "third time lucky");

    assertEquals("third time lucky", phone.next(15).payload().getString("body"));
    assertEquals(3, phone.requests());
  }

  @Test
  void subscriptionsAreCheckedAndEachBelongsToItsUser() {
    Account alice = api.signUp("alice");
    Account mallory = api.signUp("mallory");
    Device phone = pushService.device();
    JsonObject subscription = phone.subscription();

    assertEquals(400, api.post("/api/push-subscriptions", alice.token(), subscription.copy().put("endpoint", "ftp://x/y")).status());
    assertEquals("keys", api.post("/api/push-subscriptions", alice.token(), subscription.copy().put("keys", "nope")).errorField());
    JsonObject shortKey = subscription.copy();
    shortKey.getJsonObject("keys").put("p256dh", "AAAA");
    assertEquals("keys.p256dh", api.post("/api/push-subscriptions", alice.token(), shortKey).errorField());
    JsonObject shortAuth = subscription.copy();
    shortAuth.getJsonObject("keys").put("auth", "AAAA");
    assertEquals("keys.auth", api.post("/api/push-subscriptions", alice.token(), shortAuth).errorField());
    assertEquals(401, api.post("/api/push-subscriptions", null, subscription).status());
    assertTrue(api.get("/api/push-subscriptions", alice.token()).json().getJsonArray("subscriptions").isEmpty(),
        "nothing refused was kept");

    Api.Reply created = api.post("/api/push-subscriptions", alice.token(), subscription);
    assertEquals(201, created.status());
    String id = created.json().getJsonObject("subscription").getString("id");
    Api.Reply again = api.post("/api/push-subscriptions", alice.token(), subscription);
    assertEquals(200, again.status(), "the same device subscribing again changes nothing");
    assertEquals(id, again.json().getJsonObject("subscription").getString("id"));
    JsonObject listed = api.get("/api/push-subscriptions", alice.token()).json().getJsonArray("subscriptions").getJsonObject(0);
    assertEquals("127.0.0.1", listed.getString("service"));
    assertFalse(listed.containsKey("endpoint"), "the endpoint is a capability: it is never shown back");

    assertEquals(404, api.delete("/api/push-subscriptions/" + id, mallory.token()).status());
    assertEquals(204, api.delete("/api/push-subscriptions/" + id, alice.token()).status());
    assertEquals(404, api.delete("/api/push-subscriptions/" + id, alice.token()).status());
  }

  @Test
  void aDeviceThatSignsInAsSomeoneElseMovesToThemAndTheOldestOfTooManyGoes() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Device shared = pushService.device();
    api.post("/api/push-subscriptions", alice.token(), shared.subscription());
    assertEquals(201, api.post("/api/push-subscriptions", bob.token(), shared.subscription()).status());
    assertTrue(api.get("/api/push-subscriptions", alice.token()).json().getJsonArray("subscriptions").isEmpty());

    java.util.List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 21; i++) {
      ids.add(api.post("/api/push-subscriptions", alice.token(), pushService.device().subscription())
          .json().getJsonObject("subscription").getString("id"));
    }
    String first = ids.get(0);
    JsonArray kept = api.get("/api/push-subscriptions", alice.token()).json().getJsonArray("subscriptions");
    assertEquals(20, kept.size());
    assertFalse(kept.stream().anyMatch(s -> ((JsonObject) s).getString("id").equals(first)), "the oldest went");
  }

  @Test
  void theServerKeyIsMadeOnceAndKeptAcrossRestarts() {
    Account alice = api.signUp("alice");
    String key = api.get("/api/push-subscriptions/key", alice.token()).json().getString("publicKey");
    assertEquals(87, key.length(), "a P-256 point, uncompressed, base64url");

    node = node.restart();
    assertEquals(key, api.get("/api/push-subscriptions/key", alice.token()).json().getString("publicKey"));
  }
}
