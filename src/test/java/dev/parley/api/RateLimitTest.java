package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.parley.support.Api;
import dev.parley.support.Api.Reply;
import dev.parley.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
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
}
