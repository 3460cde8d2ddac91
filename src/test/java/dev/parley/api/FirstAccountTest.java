package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server configured closed still gets its first person, its admin, and its sign-up form knows:
 * {@code GET /api/auth/registration} says {@code open} until then, and the configured mode after.
 */
class FirstAccountTest extends NodeTestBase {
  @BeforeAll
  static void startClosed() {
    node = TestNode.start(config -> config.getJsonObject("auth").put("registration", "closed"));
  }

  @Test
  void aClosedServerTakesItsFirstPersonAndThenNobody() {
    assertEquals("open", api.get("/api/auth/registration", null).json().getString("registration"));
    JsonObject first = api.post("/api/auth/register", null,
        new JsonObject().put("username", "founder").put("password", "correct horse")).json();
    assertEquals(true, first.getJsonObject("user").getBoolean("admin"));

    assertEquals("closed", api.get("/api/auth/registration", null).json().getString("registration"));
    assertEquals(403, api.post("/api/auth/register", null,
        new JsonObject().put("username", "second").put("password", "correct horse")).status());
  }
}
