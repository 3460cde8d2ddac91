package dev.parley.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parley.support.Api.Account;
import dev.parley.support.NodeTestBase;
import dev.parley.support.SseClient;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signing out ends that sign-in's open streams, not the others: alice signs in on two devices;
 * she signs out on the first, whose WebSocket is closed with code 4401 and whose event stream
 * gets a last {@code auth_revoked}; the second device keeps receiving. A replayed refresh token
 * (stolen, or used twice) revokes its sign-in, and its streams end the same way; a password change
 * ends every sign-in but the one that made it.
 */
class RevocationTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  @Test
  void signingOutEndsThatDevicesStreamsAndNoOther() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account laptop = api.login(alice.username(), "correct horse");
    Account phone = api.login(alice.username(), "correct horse");
    String direct = api.direct(bob, alice);
    try (WsClient laptopWs = api.webSocket(laptop, null);
         SseClient laptopSse = api.events(laptop, null);
         WsClient phoneWs = api.webSocket(phone, null)) {
      assertEquals(204, api.post("/api/auth/logout", null,
          new JsonObject().put("refreshToken", laptop.refreshToken())).status());
      assertEquals(4401, laptopWs.awaitClosed(), "the laptop's WebSocket ends, saying why");
      laptopSse.next("auth_revoked");
      assertFalse(phoneWs.isClosed(), "the phone is another sign-in");
      // The laptop still holds its access token (a JWT, valid until it expires): no new stream with it.
      assertEquals(401, api.get("/api/events?access_token=" + laptop.token(), null).status());
      api.send(bob, direct, "still here?");
      assertEquals("still here?", phoneWs.next("message").getJsonObject("data").getString("text"));
    }
  }

  @Test
  void aReplayedRefreshTokenEndsItsSignInsStreams() {
    Account alice = api.signUp("alice");
    Account device = api.login(alice.username(), "correct horse");
    try (WsClient ws = api.webSocket(device, null)) {
      JsonObject refresh = new JsonObject().put("refreshToken", device.refreshToken());
      assertEquals(200, api.post("/api/auth/refresh", null, refresh).status());
      assertEquals(401, api.post("/api/auth/refresh", null, refresh).status(), "the same token again: a replay");
      assertEquals(4401, ws.awaitClosed());
    }
  }

  @Test
  void aPasswordChangeEndsEveryOtherSignInAndKeepsTheOneThatMadeIt() {
    Account alice = api.signUp("alice");
    Account laptop = api.login(alice.username(), "correct horse");
    Account phone = api.login(alice.username(), "correct horse");
    try (WsClient laptopWs = api.webSocket(laptop, null); WsClient phoneWs = api.webSocket(phone, null)) {
      JsonObject wrong = new JsonObject().put("currentPassword", "not it at all").put("newPassword", "battery staple");
      assertEquals(403, api.post("/api/me/password", laptop.token(), wrong).status(), "the current password is checked");
      JsonObject change = new JsonObject().put("currentPassword", "correct horse").put("newPassword", "battery staple");
      assertEquals(204, api.post("/api/me/password", laptop.token(), change).status());
      assertEquals(4401, phoneWs.awaitClosed(), "the phone's sign-in ended");
      assertEquals(401, api.post("/api/auth/refresh", null, new JsonObject().put("refreshToken", phone.refreshToken())).status());
      assertFalse(laptopWs.isClosed(), "the laptop made the change: it goes on");
      assertEquals(200, api.post("/api/auth/refresh", null, new JsonObject().put("refreshToken", laptop.refreshToken())).status());
      assertEquals(401, api.post("/api/auth/login", null, new JsonObject().put("username", alice.username())
          .put("password", "correct horse")).status(), "the old password is gone");
      assertEquals(alice.id(), api.login(alice.username(), "battery staple").id());
    }
  }
}
