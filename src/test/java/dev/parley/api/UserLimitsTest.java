package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One account cannot send as fast as the server takes it: per user, 8 messages a minute (a
 * burst of 2) and 4 reactions or edits a minute (a burst of 1) here. Past that, REST answers
 * {@code 429 rate_limited} with {@code Retry-After}, a WebSocket gets an {@code error} frame
 * with {@code retryAfter}; other users are not slowed.
 */
class UserLimitsTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start(c -> c.put("limits", new JsonObject().put("messagesPerMinute", 8).put("changesPerMinute", 4)
        .put("typingPerMinute", 0).put("uploadsPerMinute", 0).put("sharesPerMinute", 0)));
  }

  private Reply send(Account from, String conversationId, String clientId) {
    return api.post("/api/conversations/" + conversationId + "/messages", from.token(),
        new JsonObject().put("clientId", clientId).put("type", "text").put("text", clientId));
  }

  @Test
  void aUserPastTheirLimitIsToldToWaitAndOthersAreNot() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    assertEquals(201, send(alice, direct, "a1").status());
    assertEquals(201, send(alice, direct, "a2").status());
    Reply limited = send(alice, direct, "a3");
    assertEquals(429, limited.status(), limited.raw());
    assertEquals("rate_limited", limited.errorCode());
    long retryAfter = Long.parseLong(limited.headers().get("retry-after"));
    assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    assertEquals(retryAfter, limited.json().getJsonObject("error").getLong("retryAfter"));
    assertEquals(201, send(bob, direct, "b1").status(), "bob is not slowed by alice");
    assertEquals(2, api.get("/api/conversations/" + direct + "/messages", bob.token()).json()
        .getJsonArray("messages").size() - 1, "nothing of the refused send was stored");

    try (WsClient ws = api.webSocket(alice, null)) {
      ws.send(new JsonObject().put("type", "send").put("clientId", "a4").put("conversationId", direct)
          .put("msgType", "text").put("text", "over the socket"));
      JsonObject error = ws.next("error").getJsonObject("data");
      assertEquals("rate_limited", error.getString("code"));
      assertEquals("a4", error.getString("clientId"));
      assertTrue(error.getLong("retryAfter") >= 1);
    }
  }

  @Test
  void reactionsAndEditsHaveTheirOwnLimit() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    Reply first = send(alice, direct, "react-to-me");
    assertEquals(201, first.status(), first.raw());
    long id = first.json().getJsonObject("message").getLong("id");
    String path = "/api/conversations/" + direct + "/messages/" + id + "/reactions/%F0%9F%91%8D";
    assertEquals(204, api.put(path, alice.token(), null).status());
    Reply limited = api.put(path.replace("%F0%9F%91%8D", "%E2%9D%A4"), alice.token(), null);
    assertEquals(429, limited.status(), limited.raw());
    assertEquals(201, send(alice, direct, "messages-still-pass").status(), "messages have a bucket of their own");
  }
}
