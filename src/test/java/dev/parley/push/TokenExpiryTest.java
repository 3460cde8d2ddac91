package dev.parley.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.NodeTestBase;
import dev.parley.support.Receiver;
import dev.parley.support.SseClient;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stream lives no longer than its access token (2 s here, checked at every 1 s ping): unless
 * the WebSocket renews it in-band with an {@code auth} frame, it is closed with 4402, and an event
 * stream ends with {@code auth_expired}; the client then reconnects with a fresh token and its cursor.
 */
class TokenExpiryTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start(c -> {
      c.getJsonObject("auth").put("accessTokenSeconds", 2);
      c.getJsonObject("push").put("pingSeconds", 1);
    });
  }

  @Test
  void aStreamWhoseTokenExpiresUnrenewedIsClosedSayingSo() {
    Account alice = api.signUp("alice");
    try (WsClient ws = api.webSocket(alice, null); SseClient sse = api.events(alice, null)) {
      assertEquals(4402, ws.awaitClosed());
      sse.next("auth_expired");
    }
  }

  @Test
  void aWebSocketRenewedInBandStaysOpen() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(bob, alice);
    try (WsClient ws = api.webSocket(alice, null)) {
      Receiver.pause(1_000);
      Reply refreshed = api.post("/api/auth/refresh", null, new JsonObject().put("refreshToken", alice.refreshToken()));
      String fresh = refreshed.json().getString("accessToken");
      ws.send(new JsonObject().put("type", "auth").put("token", fresh));
      assertTrue(ws.next("auth").getJsonObject("data").getLong("expiresAt") > System.currentTimeMillis());
      Receiver.pause(1_500);
      assertFalse(ws.isClosed(), "past the first token's expiry, the renewed stream is open");
      api.send(bob, direct, "still live");
      assertEquals("still live", ws.next("message").getJsonObject("data").getString("text"));
      ws.send(new JsonObject().put("type", "auth").put("token", bob.token()));
      assertEquals("forbidden", ws.next("error").getJsonObject("data").getString("code"), "another user's token");
    }
  }
}
