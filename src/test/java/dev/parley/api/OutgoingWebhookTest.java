package dev.parley.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outgoing webhooks (issue 20), end to end over real HTTP: a receiver on loopback (a plain Vert.x
 * server, as an integration would run) checks every request's signature the way docs/bots.md tells
 * integrators to, and answers as each test says.
 */
class OutgoingWebhookTest extends NodeTestBase {
  private static Vertx receiverVertx;
  private static HttpServer receiver;
  private static final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  private static final AtomicInteger paths = new AtomicInteger();

  /** One request that reached the receiver. */
  record Received(long eventId, JsonObject frame, int answeredWith, boolean signatureValid) {
  }

  /** An answer the receiver gives: status, body, headers. */
  record Answer(int status, String body, Map<String, String> headers) {
    static Answer of(int status) {
      return new Answer(status, "", Map.of());
    }
  }

  /** One webhook endpoint on the receiver: what it got, and the answers it gives next (then 200). */
  static final class Endpoint {
    final String path = "/hook/" + paths.incrementAndGet();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final Deque<Answer> answers = new ConcurrentLinkedDeque<>();
    volatile Answer otherwise = Answer.of(200);
    volatile String secret;

    String url() {
      return "http://127.0.0.1:" + receiver.actualPort() + path;
    }

    List<Long> delivered() {
      return received.stream().filter(r -> r.answeredWith / 100 == 2).map(Received::eventId).toList();
    }

    long failed() {
      return received.stream().filter(r -> r.answeredWith / 100 != 2).count();
    }
  }

  @BeforeAll
  static void start() {
    node = TestNode.start(c -> c.put("outgoingWebhooks", new JsonObject().put("allowPrivateEndpoints", true)
        .put("retryBaseMs", 100).put("retryMaxDelayMs", 400).put("pollIntervalMs", 100)));
    receiverVertx = Vertx.vertx();
    receiver = receiverVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      Endpoint endpoint = endpoints.get(request.path());
      if (endpoint == null) {
        request.response().setStatusCode(404).end();
        return;
      }
      String timestamp = request.getHeader("X-Parley-Timestamp");
      boolean fresh = timestamp != null && Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) < 300;
      boolean valid = fresh && "application/json".equals(request.getHeader("Content-Type"))
          && verify(endpoint.secret, timestamp, body.getBytes(), request.getHeader("X-Parley-Signature"));
      JsonObject frame = new JsonObject(body);
      assertEquals(frame.getLong("id"), Long.parseLong(request.getHeader("X-Parley-Event-Id")));
      Answer answer = endpoint.answers.poll();
      if (answer == null) {
        answer = endpoint.otherwise;
      }
      endpoint.received.add(new Received(frame.getLong("id"), frame, answer.status(), valid));
      answer.headers().forEach(request.response()::putHeader);
      request.response().setStatusCode(answer.status()).end(answer.body());
    })).listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stopReceiver() {
    receiverVertx.close().await();
  }

  /** What docs/bots.md shows integrators: HMAC-SHA256 over timestamp "." raw body, compared in constant time. */
  private static boolean verify(String secret, String timestamp, byte[] body, String header) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
      return header != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
          header.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      return false;
    }
  }

  private Account bot(Api api, Account owner) {
    String username = "bot" + paths.incrementAndGet() + System.nanoTime() % 100_000;
    Reply made = api.post("/api/bots", owner.token(), new JsonObject().put("username", username));
    assertEquals(201, made.status(), made.raw());
    return new Account(made.json().getJsonObject("user").getString("id"), username, made.json().getString("token"), null);
  }

  private Endpoint hook(Api api, Account owner, Account bot) {
    Endpoint endpoint = new Endpoint();
    endpoints.put(endpoint.path, endpoint);
    Reply set = api.put("/api/bots/" + bot.id() + "/webhook", owner.token(), new JsonObject().put("url", endpoint.url()));
    assertEquals(200, set.status(), set.raw());
    JsonObject webhook = set.json().getJsonObject("webhook");
    assertEquals(endpoint.url(), webhook.getString("url"));
    assertFalse(webhook.getBoolean("paused"));
    endpoint.secret = webhook.getString("secret");
    assertTrue(endpoint.secret.length() > 32, endpoint.secret);
    return endpoint;
  }

  /** The delivery log once it has {@code n} attempts (the receiver sees a request before it is logged). */
  private JsonArray log(Api api, Account owner, Account bot, int n) {
    await().atMost(Duration.ofSeconds(10)).alias(n + " logged attempts")
        .until(() -> api.get("/api/bots/" + bot.id() + "/webhook", owner.token()).json().getJsonArray("deliveries").size() >= n);
    return api.get("/api/bots/" + bot.id() + "/webhook", owner.token()).json().getJsonArray("deliveries");
  }

  private JsonArray history(Account who, String conversationId) {
    return api.get("/api/conversations/" + conversationId + "/messages?limit=200", who.token()).json().getJsonArray("messages");
  }

  @Test
  void everyEventIsPostedInOrderAndSigned() {
    Account alice = api.signUp("alice");
    Account bot = bot(api, alice);
    String direct = api.direct(alice, bot);
    Endpoint endpoint = hook(api, alice, bot);
    for (int i = 1; i <= 5; i++) {
      api.send(alice, direct, "event " + i);
    }
    await().atMost(Duration.ofSeconds(10)).alias("five deliveries").until(() -> endpoint.delivered().size() >= 5);
    assertEquals(5, endpoint.received.size(), "each once");
    for (int i = 0; i < 5; i++) {
      Received r = endpoint.received.get(i);
      assertTrue(r.signatureValid(), "signed with the webhook's secret");
      assertEquals("message", r.frame().getString("type"));
      assertEquals("event " + (i + 1), r.frame().getJsonObject("data").getString("text"));
      assertEquals(direct, r.frame().getJsonObject("data").getString("conversationId"));
      if (i > 0) {
        assertTrue(r.eventId() > endpoint.received.get(i - 1).eventId(), "in event order");
      }
    }
    JsonArray log = log(api, alice, bot, 5);
    assertEquals(5, log.size());
    assertEquals(endpoint.received.get(4).eventId(), log.getJsonObject(0).getLong("eventId"), "newest first");
    assertEquals(200, log.getJsonObject(0).getInteger("status"));
    assertNotNull(log.getJsonObject(0).getLong("latencyMs"));
  }

  @Test
  void failuresAreRetriedAndTheEventDeliveredOnceLaterEventsStillInOrder() {
    Account alice = api.signUp("alice");
    Account bot = bot(api, alice);
    String direct = api.direct(alice, bot);
    Endpoint endpoint = hook(api, alice, bot);
    endpoint.answers.add(Answer.of(500));
    endpoint.answers.add(Answer.of(500));
    api.send(alice, direct, "first");
    api.send(alice, direct, "second");
    api.send(alice, direct, "third");
    await().atMost(Duration.ofSeconds(10)).alias("three deliveries").until(() -> endpoint.delivered().size() >= 3);
    assertEquals(2, endpoint.failed());
    List<String> texts = endpoint.received.stream().map(r -> r.frame().getJsonObject("data").getString("text")).toList();
    assertEquals(List.of("first", "first", "first", "second", "third"), texts);
    assertEquals(3, endpoint.delivered().stream().distinct().count());
    JsonArray log = log(api, alice, bot, 5);
    List<Integer> statuses = log.stream().map(o -> ((JsonObject) o).getInteger("status")).toList();
    assertEquals(List.of(200, 200, 200, 500, 500), statuses, "newest first: two failures, then success");
    assertEquals("HTTP 500", log.getJsonObject(4).getString("error"));
  }

  @Test
  void aTextReplyPostsBackOnceEvenWhenTheDeliveryIsRetried() {
    Account alice = api.signUp("alice");
    Account bot = bot(api, alice);
    String direct = api.direct(alice, bot);
    Endpoint endpoint = hook(api, alice, bot);
    endpoint.answers.add(new Answer(500, new JsonObject().put("text", "not this").encode(), Map.of()));
    endpoint.answers.add(new Answer(200, new JsonObject().put("text", "pong").encode(), Map.of()));
    api.send(alice, direct, "ping");
    await().atMost(Duration.ofSeconds(10)).alias("the reply").until(() -> history(alice, direct).size() >= 2);
    api.send(alice, direct, "ping again");
    await().atMost(Duration.ofSeconds(10)).alias("the second delivery").until(() -> endpoint.delivered().size() >= 2);
    JsonArray messages = history(alice, direct);
    List<String> texts = messages.stream().map(o -> ((JsonObject) o).getString("text")).toList();
    assertEquals(List.of("ping", "pong", "ping again"), texts, "one reply, as the bot, and no answer to the 500");
    assertEquals(bot.id(), messages.getJsonObject(1).getString("senderId"));
    assertTrue(endpoint.received.stream().noneMatch(r -> "pong".equals(r.frame().getJsonObject("data").getString("text"))),
        "the bot's own messages are not posted to it");
  }

  @Test
  void aRedirectIsAFailureAndIsNotFollowed() {
    Account alice = api.signUp("alice");
    Account bot = bot(api, alice);
    String direct = api.direct(alice, bot);
    Endpoint endpoint = hook(api, alice, bot);
    Endpoint elsewhere = new Endpoint();
    endpoints.put(elsewhere.path, elsewhere);
    endpoint.answers.add(new Answer(302, "", Map.of("Location", elsewhere.url())));
    api.send(alice, direct, "hello");
    await().atMost(Duration.ofSeconds(10)).alias("the delivery after the redirect").until(() -> endpoint.delivered().size() >= 1);
    assertEquals(List.of(), elsewhere.received, "the redirect was not followed");
    JsonArray log = log(api, alice, bot, 2);
    assertEquals(302, log.getJsonObject(1).getInteger("status"));
    assertEquals(200, log.getJsonObject(0).getInteger("status"));
  }

  @Test
  void aRestartInTheMiddleOfRetriesLosesAndDoublesNothing() {
    Account alice = api.signUp("alice");
    Account bot = bot(api, alice);
    String direct = api.direct(alice, bot);
    Endpoint endpoint = hook(api, alice, bot);
    endpoint.otherwise = Answer.of(503);
    api.send(alice, direct, "before the restart 1");
    api.send(alice, direct, "before the restart 2");
    await().atMost(Duration.ofSeconds(10)).alias("two failures").until(() -> endpoint.failed() >= 2);
    node = node.restart();
    api.close();
    api = new Api(api.vertx, node.port());
    api.send(alice, direct, "after the restart");
    int failedBefore = (int) endpoint.failed();
    await().atMost(Duration.ofSeconds(10)).alias("a failure after the restart").until(() -> endpoint.failed() > failedBefore);
    endpoint.otherwise = Answer.of(200);
    await().atMost(Duration.ofSeconds(15)).alias("three deliveries").until(() -> endpoint.delivered().size() >= 3);
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    List<String> delivered = endpoint.received.stream().filter(r -> r.answeredWith() == 200)
        .map(r -> r.frame().getJsonObject("data").getString("text")).toList();
    assertEquals(List.of("before the restart 1", "before the restart 2", "after the restart"), delivered);
    assertTrue(endpoint.received.stream().allMatch(Received::signatureValid));
  }

  @Test
  void aNewUrlTakesOverWithANewSecret() {
    Account alice = api.signUp("alice");
    Account bot = bot(api, alice);
    String direct = api.direct(alice, bot);
    Endpoint old = hook(api, alice, bot);
    old.otherwise = Answer.of(500);
    api.send(alice, direct, "stuck at first");
    await().atMost(Duration.ofSeconds(10)).alias("a failure").until(() -> old.failed() >= 1);
    Endpoint fresh = hook(api, alice, bot);
    assertFalse(fresh.secret.equals(old.secret), "a new secret each time");
    await().atMost(Duration.ofSeconds(10)).alias("the delivery to the new URL").until(() -> fresh.delivered().size() >= 1);
    int oldRequests = old.received.size();
    api.send(alice, direct, "second");
    await().atMost(Duration.ofSeconds(10)).alias("the second delivery").until(() -> fresh.delivered().size() >= 2);
    assertEquals(oldRequests, old.received.size(), "nothing more to the old URL");
    assertTrue(fresh.received.stream().allMatch(Received::signatureValid), "signed with the new secret");
    assertEquals(List.of("stuck at first", "second"), fresh.received.stream()
        .map(r -> r.frame().getJsonObject("data").getString("text")).toList());
  }

  @Test
  void persistentFailurePausesTheWebhookAndTheOwnerResumesIt() {
    try (TestNode strict = TestNode.start(c -> c.put("outgoingWebhooks", new JsonObject().put("allowPrivateEndpoints", true)
        .put("maxRetryHours", 1.0 / 3600).put("retryBaseMs", 100).put("retryMaxDelayMs", 200).put("pollIntervalMs", 100)));
         Api other = new Api(api.vertx, strict.port())) {
      Account alice = other.signUp("alice");
      Account bot = bot(other, alice);
      String direct = other.direct(alice, bot);
      Endpoint endpoint = hook(other, alice, bot);
      endpoint.otherwise = Answer.of(500);
      other.send(alice, direct, "doomed for now");
      await().atMost(Duration.ofSeconds(10)).alias("the webhook pauses")
          .until(() -> other.get("/api/bots/" + bot.id() + "/webhook", alice.token()).json().getJsonObject("webhook").getBoolean("paused"));
      JsonObject webhook = other.get("/api/bots/" + bot.id() + "/webhook", alice.token()).json().getJsonObject("webhook");
      assertTrue(webhook.getString("pausedReason").contains("HTTP 500"), webhook.encode());
      int attempts = endpoint.received.size();
      assertTrue(attempts >= 2, "retried before pausing: " + attempts);
      other.send(alice, direct, "while paused");
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      assertEquals(attempts, endpoint.received.size(), "a paused webhook is not called");

      endpoint.otherwise = Answer.of(200);
      Reply resumed = other.post("/api/bots/" + bot.id() + "/webhook/resume", alice.token(), new JsonObject());
      assertEquals(200, resumed.status(), resumed.raw());
      assertFalse(resumed.json().getJsonObject("webhook").getBoolean("paused"));
      await().atMost(Duration.ofSeconds(10)).alias("both delivered after resuming").until(() -> endpoint.delivered().size() >= 2);
      List<String> texts = endpoint.received.stream().filter(r -> r.answeredWith() == 200)
          .map(r -> r.frame().getJsonObject("data").getString("text")).toList();
      assertEquals(List.of("doomed for now", "while paused"), texts);
    }
  }

  @Test
  void privateAndMetadataAddressesAreRefusedWithoutTheOperatorsLeave() {
    try (TestNode strict = TestNode.start(); Api other = new Api(api.vertx, strict.port())) {
      Account alice = other.signUp("alice");
      Account bot = bot(other, alice);
      for (String url : List.of("https://127.0.0.1/hook", "https://10.0.0.1/hook", "https://169.254.169.254/latest/meta-data",
          "https://localhost/hook", "https://[::1]/hook", "http://example.com/hook", "not a url")) {
        Reply refused = other.put("/api/bots/" + bot.id() + "/webhook", alice.token(), new JsonObject().put("url", url));
        assertEquals(400, refused.status(), url + ": " + refused.raw());
        assertEquals("url", refused.errorField(), url);
      }
      Reply fine = other.put("/api/bots/" + bot.id() + "/webhook", alice.token(), new JsonObject().put("url", "https://example.com/hook"));
      assertEquals(200, fine.status(), fine.raw());
      assertEquals(204, other.delete("/api/bots/" + bot.id() + "/webhook", alice.token()).status());
    }
  }

  @Test
  void onlyTheOwnerManagesABotsWebhook() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account bot = bot(api, alice);
    Endpoint endpoint = hook(api, alice, bot);
    String path = "/api/bots/" + bot.id() + "/webhook";
    assertEquals(403, api.put(path, bob.token(), new JsonObject().put("url", endpoint.url())).status());
    assertEquals(403, api.get(path, bob.token()).status());
    assertEquals(403, api.post(path + "/resume", bob.token(), new JsonObject()).status());
    assertEquals(403, api.delete(path, bob.token()).status());
    assertEquals(403, api.get(path, bot.token()).status(), "nor the bot itself");
    assertEquals(404, api.get("/api/bots/unothing/webhook", alice.token()).status());
    assertEquals(401, api.get(path, null).status());
    assertEquals(204, api.delete(path, alice.token()).status());
    assertEquals(404, api.get(path, alice.token()).status());
    assertEquals(404, api.delete(path, alice.token()).status());
    assertEquals(404, api.post(path + "/resume", alice.token(), new JsonObject()).status());
  }
}
