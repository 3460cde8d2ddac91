package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RateLimitTest {
  @Test
  void repeatedLoginAttemptsAreThrottledWithRetryAfter(Vertx vertx) {
    try (TestNode node = TestNode.start(c -> c.getJsonObject("auth").put("rateLimit", new JsonObject().put("attemptsPerMinute", 3)));
         Api api = new Api(vertx, node.port())) {
      JsonObject wrong = new JsonObject().put("username", "target").put("password", "guess-guess");
      for (int i = 0; i < 3; i++) {
        assertEquals(401, api.post("/api/auth/login", null, wrong).status());
      }
      Reply limited = api.post("/api/auth/login", null, wrong);
      assertEquals(429, limited.status());
      assertEquals("rate_limited", limited.errorCode());
      assertNotNull(limited.headers().get("retry-after"));
    }
  }

  @Test
  void oneAddressCannotHashWithoutEndByTryingNewUsernames(Vertx vertx) {
    // 2 attempts per username, so 20 per address: each attempt with a fresh name costs a (decoy) hash.
    try (TestNode node = TestNode.start(c -> c.getJsonObject("auth").put("rateLimit", new JsonObject().put("attemptsPerMinute", 2)));
         Api api = new Api(vertx, node.port())) {
      for (int i = 0; i < 20; i++) {
        assertEquals(401, api.post("/api/auth/login", null, new JsonObject().put("username", "nobody" + i)
            .put("password", "guess-guess")).status(), "attempt " + i);
      }
      Reply limited = api.post("/api/auth/login", null, new JsonObject().put("username", "nobody-else").put("password", "guess"));
      assertEquals(429, limited.status());
      assertEquals("rate_limited", limited.errorCode());
    }
  }

  @Test
  void aFloodOfLoginsIsRefusedAtOnceWhenHashingIsFullAndOtherRequestsGoOn(Vertx vertx) {
    // Real hashing cost, one hashing thread and room for two more waiting: the rest is refused.
    try (TestNode node = TestNode.start(c -> {
      c.getJsonObject("auth").put("argon2", new JsonObject().put("memoryKiB", 19456).put("iterations", 2)
          .put("parallelism", 1).put("threads", 1).put("queue", 2));
      c.getJsonObject("auth").put("rateLimit", new JsonObject().put("attemptsPerMinute", 10_000));
    }); Api api = new Api(vertx, node.port())) {
      Account reader = api.signUp("reader");
      List<io.vertx.core.Future<Reply>> logins = new java.util.ArrayList<>();
      for (int i = 0; i < 60; i++) {
        JsonObject body = new JsonObject().put("username", "flood-" + i).put("password", "guess-guess");
        logins.add(api.onContext(() -> api.http().request(io.vertx.core.http.HttpMethod.POST, node.port(), "127.0.0.1",
                "/api/auth/login")
            .compose(request -> request.putHeader("Content-Type", "application/json").send(body.toBuffer()))
            .compose(response -> response.body().map(b -> new Reply(response.statusCode(),
                java.util.Map.of("retry-after", String.valueOf(response.getHeader("Retry-After"))), b.toString())))));
      }
      Reply me = api.get("/api/me", reader.token());
      assertEquals(200, me.status(), "a request that hashes nothing is served meanwhile");
      io.vertx.core.Future.join(logins).await();
      long refused = logins.stream().filter(f -> f.result().status() == 503).count();
      long checked = logins.stream().filter(f -> f.result().status() == 401).count();
      assertEquals(60, refused + checked, "every login is either checked or refused, nothing else");
      assertTrue(refused > 0, "the flood found the hashing queue full");
      Reply one = logins.stream().map(io.vertx.core.Future::result).filter(r -> r.status() == 503).findFirst().orElseThrow();
      assertEquals("unavailable", one.errorCode());
      assertEquals("1", one.headers().get("retry-after"));
    }
  }
}
