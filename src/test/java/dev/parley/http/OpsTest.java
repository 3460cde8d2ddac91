package dev.parley.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class OpsTest {
  @Test
  void healthAndMetricsDescribeTheNode(Vertx vertx) {
    try (TestNode node = TestNode.start(c -> {
      c.getJsonObject("metrics").put("enabled", true);
      c.getJsonObject("node").put("id", "ops-node");
    }); Api api = new Api(vertx, node.port())) {
      Reply health = api.get("/health", null);
      assertEquals(200, health.status());
      JsonObject body = health.json();
      assertEquals("UP", body.getString("status"));
      assertEquals("ops-node", body.getString("node"));
      assertEquals("UP", body.getJsonObject("checks").getJsonObject("store").getString("status"));

      Account a = api.signUp("metered");
      Account b = api.signUp("metered");
      try (WsClient ws = api.webSocket(b, null)) {
        api.send(a, api.direct(a, b), "count me");
        ws.next("message");
        String metrics = api.get("/metrics", null).raw();
        assertTrue(metrics.contains("parley_messages_stored_total 1.0"), metrics);
        assertTrue(metrics.contains("parley_connections 1.0"));
        assertTrue(metrics.contains("parley_events_delivered_total"));
        assertTrue(metrics.contains("parley_store_commit_seconds"));
        assertTrue(metrics.contains("vertx_http_server_requests_total"));
        assertTrue(metrics.contains("vertx_eventbus_"));
      }
    }
  }

  @Test
  void healthSaysDownWhenTheStoreCannotBeReached(Vertx vertx) {
    try (TestNode node = TestNode.start(c -> {
      c.getJsonObject("node").put("roles", new io.vertx.core.json.JsonArray().add("api").add("push"));
      c.getJsonObject("bus").put("requestTimeoutMs", 500);
    }); Api api = new Api(vertx, node.port())) {
      Reply health = api.get("/health", null);
      assertEquals(503, health.status());
      assertEquals("DOWN", health.json().getString("status"));
      Reply register = api.post("/api/auth/register", null, new JsonObject().put("username", "nobody").put("password", "password1"));
      assertEquals(503, register.status());
      assertEquals("unavailable", register.errorCode());
    }
  }

  @Test
  void aStreamTheServerEndsIsForgotten(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(c -> {
      c.getJsonObject("node").put("roles", new io.vertx.core.json.JsonArray().add("api").add("push"));
      c.getJsonObject("bus").put("requestTimeoutMs", 300);
      c.getJsonObject("metrics").put("enabled", true);
    }); Api api = new Api(vertx, node.port())) {
      String token = new dev.parley.auth.AccessTokens(vertx, dev.parley.config.ParleyConfig.from(node.config()).auth())
          .issue("u-someone", null);
      // The replay cannot reach a store, so the server ends the stream itself.
      try (dev.parley.support.SseClient sse = dev.parley.support.SseClient.connect(vertx, api.http(), token, 5L)) {
        Thread.sleep(1500);
        assertTrue(api.get("/metrics", null).raw().contains("parley_connections 0.0"), "the closed stream is not counted");
      }
    }
  }

  @Test
  void theBrowserClientIsServedWithASecurityPolicyAndNoDotfiles(Vertx vertx) {
    try (TestNode node = TestNode.start(); Api api = new Api(vertx, node.port())) {
      Reply index = api.get("/", null);
      assertEquals(200, index.status());
      assertTrue(index.headers().get("content-type").startsWith("text/html"));
      assertTrue(index.headers().get("content-security-policy").contains("script-src 'self'"));
      assertEquals("nosniff", index.headers().get("x-content-type-options"));
      assertEquals(404, api.get("/.git/config", null).status());
    }
  }

  @Test
  void requestsTooLargeToDecodeStillGetTheErrorJson(Vertx vertx) {
    try (TestNode node = TestNode.start(); Api api = new Api(vertx, node.port())) {
      Reply longUrl = api.get("/api/search?q=" + "a".repeat(5_000), null);
      assertEquals(414, longUrl.status());
      assertEquals("too_large", longUrl.errorCode(), longUrl.raw());
      Reply bigHeaders = api.onContext(() -> api.http().request(io.vertx.core.http.HttpMethod.GET, node.port(), "127.0.0.1", "/health")
          .compose(request -> request.putHeader("X-Padding", "p".repeat(10_000)).send())
          .compose(response -> response.body().map(body -> new Reply(response.statusCode(), java.util.Map.of(), body.toString()))))
          .await();
      assertEquals(431, bigHeaders.status());
      assertEquals("too_large", bigHeaders.errorCode(), bigHeaders.raw());
      assertEquals(200, api.get("/health", null).status(), "the server goes on");
    }
  }

  @Test
  void anUnexpectedFailureIsLoggedOnceWithAnIdTheClientGetsAndCounted(Vertx vertx) throws Exception {
    ch.qos.logback.classic.Logger failures = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        dev.parley.shared.Failure.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
        new ch.qos.logback.core.read.ListAppender<>();
    logged.start();
    failures.addAppender(logged);
    try (TestNode node = TestNode.start(c -> c.getJsonObject("metrics").put("enabled", true));
         Api api = new Api(vertx, node.port())) {
      Account alice = api.signUp("alice");
      String direct = api.direct(alice, api.signUp("bob"));
      // A bug's stand-in: the table the query reads is gone behind the store's back.
      try (java.sql.Connection db = node.database(); java.sql.Statement statement = db.createStatement()) {
        statement.execute("DROP TABLE shares");
      }
      Reply broken = api.get("/api/conversations/" + direct + "/shares", alice.token());
      assertEquals(500, broken.status());
      assertEquals("internal", broken.errorCode());
      String errorId = broken.json().getJsonObject("error").getString("errorId");
      assertTrue(errorId != null && errorId.matches("[0-9a-f]{6,12}"), broken.raw());
      assertTrue(!broken.raw().contains("shares") && !broken.raw().contains("SQL"), "no detail reaches the client");
      List<String> lines = logged.list.stream().map(e -> e.getFormattedMessage()).filter(m -> m.contains(errorId)).toList();
      assertEquals(1, lines.size(), "logged once under its id: " + lines);
      assertTrue(logged.list.stream().anyMatch(e -> e.getFormattedMessage().contains(errorId) && e.getThrowableProxy() != null),
          "with its stack trace");
      assertTrue(api.get("/metrics", null).raw().contains("parley_errors_unexpected_total 1.0"), "and counted");
    } finally {
      failures.detachAppender(logged);
    }
  }

  @Test
  void aNodeThatIsStartingOrStoppingAnswers503NeverNotFound(Vertx vertx) throws Exception {
    // The api role alone, deployed the way Node does it, before Node says every role is up.
    io.vertx.core.json.JsonObject config = dev.parley.config.ConfigLoader.classpathDefaults();
    int port = TestNode.freePort();
    config.getJsonObject("http").put("port", port).put("host", "127.0.0.1").put("instances", 1);
    config.getJsonObject("store").put("dataDir", TestNode.tempDir().toString());
    config = dev.parley.auth.SigningKeys.resolve(dev.parley.config.ConfigLoader.resolve(config));
    vertx.deployVerticle(new dev.parley.api.ApiVerticle(), new io.vertx.core.DeploymentOptions().setConfig(config)).await();
    try (Api api = new Api(vertx, port)) {
      Reply send = api.post("/api/conversations/c1/messages", "x", new JsonObject().put("text", "hi"));
      assertEquals(503, send.status(), "a starting node never says a path does not exist: " + send.raw());
      assertEquals("unavailable", send.errorCode());
      assertEquals("1", send.headers().get("retry-after"));
      assertEquals(503, api.get("/api/ws", null).status(), "push is not mounted yet either");
      Reply health = api.get("/health", null);
      assertEquals(503, health.status());
      assertEquals("STARTING", health.json().getString("status"));

      HttpFront.enter(vertx, HttpFront.Phase.SERVING);
      assertEquals(401, api.post("/api/conversations/c1/messages", "x", new JsonObject()).status(), "served now");
      assertEquals(404, api.get("/api/no-such-path", null).status(), "and only a real unknown path is 404");

      HttpFront.enter(vertx, HttpFront.Phase.STOPPING);
      assertEquals(503, api.get("/api/me", null).status());
      assertEquals("STOPPING", api.get("/health", null).json().getString("status"));
    }
  }
}
