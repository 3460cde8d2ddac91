package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  private Reply register(String username, String password) {
    return api.post("/api/auth/register", null, new JsonObject().put("username", username).put("password", password));
  }

  @Test
  void registerLowerCasesTheUsernameAndRefusesItTwice() {
    Reply created = register("MixedCase", "password1");
    assertEquals(201, created.status());
    JsonObject user = created.json().getJsonObject("user");
    assertEquals("mixedcase", user.getString("username"));
    assertEquals("mixedcase", user.getString("displayName"));
    assertFalse(user.getBoolean("bot"));
    assertNotNull(user.getString("id"));

    Reply again = register("mixedCASE", "password2");
    assertEquals(409, again.status());
    assertEquals("conflict", again.errorCode());
  }

  @Test
  void registerValidatesEveryField() {
    assertEquals("username", register("ab", "password1").errorField());
    assertEquals("username", register("has space", "password1").errorField());
    assertEquals("username", register("x".repeat(33), "password1").errorField());
    assertEquals("password", register("shortpw", "1234567").errorField());
    assertEquals("password", register("longpw", "x".repeat(257)).errorField());
    Reply badName = api.post("/api/auth/register", null,
        new JsonObject().put("username", "okname").put("password", "password1").put("displayName", "  "));
    assertEquals(400, badName.status());
    assertEquals("displayName", badName.errorField());
    Reply notJson = api.post("/api/auth/register", null, "{not json");
    assertEquals(400, notJson.status());
    assertEquals("invalid_request", notJson.errorCode());
    Reply wrongType = api.post("/api/auth/register", null, new JsonObject().put("username", 12).put("password", "password1"));
    assertEquals("username", wrongType.errorField());
    assertEquals(401, api.post("/api/auth/login", null, new JsonObject().put("username", "okname").put("password", "password1")).status(),
        "nothing was created by the refused registrations");
  }

  @Test
  void loginAnswersTheSameForAWrongPasswordAndAnUnknownUser() {
    register("carol", "password1");
    Reply ok = api.post("/api/auth/login", null, new JsonObject().put("username", "CAROL").put("password", "password1"));
    assertEquals(200, ok.status());
    JsonObject session = ok.json();
    assertEquals(900, session.getInteger("expiresIn"));
    assertNotNull(session.getString("accessToken"));
    assertNotNull(session.getString("refreshToken"));
    assertEquals("carol", session.getJsonObject("user").getString("username"));

    Reply wrongPassword = api.post("/api/auth/login", null, new JsonObject().put("username", "carol").put("password", "password2"));
    Reply unknownUser = api.post("/api/auth/login", null, new JsonObject().put("username", "nobody").put("password", "password1"));
    assertEquals(401, wrongPassword.status());
    assertEquals(401, unknownUser.status());
    assertEquals(wrongPassword.raw(), unknownUser.raw());
  }

  @Test
  void refreshRotatesAndReuseRevokesTheFamily() {
    Account dave = api.signUp("dave");
    Reply first = api.post("/api/auth/refresh", null, new JsonObject().put("refreshToken", dave.refreshToken()));
    assertEquals(200, first.status());
    String second = first.json().getString("refreshToken");
    assertNotEquals(dave.refreshToken(), second);
    assertEquals(200, api.get("/api/me", first.json().getString("accessToken")).status());

    // The rotated token is replayed (say, by a thief): refused, and the family dies with it.
    assertEquals(401, api.post("/api/auth/refresh", null, new JsonObject().put("refreshToken", dave.refreshToken())).status());
    assertEquals(401, api.post("/api/auth/refresh", null, new JsonObject().put("refreshToken", second)).status());
    assertEquals(401, api.post("/api/auth/refresh", null, new JsonObject().put("refreshToken", "made-up")).status());
  }

  @Test
  void logoutEndsTheRefreshToken() {
    Account erin = api.signUp("erin");
    assertEquals(204, api.post("/api/auth/logout", null, new JsonObject().put("refreshToken", erin.refreshToken())).status());
    assertEquals(401, api.post("/api/auth/refresh", null, new JsonObject().put("refreshToken", erin.refreshToken())).status());
    assertEquals(204, api.post("/api/auth/logout", null, new JsonObject().put("refreshToken", "unknown")).status());
    assertEquals(400, api.post("/api/auth/logout", null, new JsonObject()).status());
  }

  @Test
  void meCanBeReadAndChanged() {
    Account frank = api.signUp("frank");
    JsonObject me = api.get("/api/me", frank.token()).json().getJsonObject("user");
    assertEquals(frank.id(), me.getString("id"));
    assertTrue(me.getBoolean("readReceipts"));

    Reply changed = api.patch("/api/me", frank.token(), new JsonObject().put("displayName", "Frank F.").put("readReceipts", false));
    assertEquals(200, changed.status());
    assertEquals("Frank F.", changed.json().getJsonObject("user").getString("displayName"));
    assertFalse(changed.json().getJsonObject("user").getBoolean("readReceipts"));
    assertEquals("Frank F.", api.get("/api/me", frank.token()).json().getJsonObject("user").getString("displayName"));

    assertEquals("readReceipts", api.patch("/api/me", frank.token(), new JsonObject().put("readReceipts", "no")).errorField());
    assertEquals("displayName", api.patch("/api/me", frank.token(), new JsonObject().put("displayName", "x".repeat(65))).errorField());
    assertEquals("avatarMediaId", api.patch("/api/me", frank.token(), new JsonObject().put("avatarMediaId", "m-unknown")).errorField());
    assertEquals("Frank F.", api.get("/api/me", frank.token()).json().getJsonObject("user").getString("displayName"));
  }

  @Test
  void usersAreFoundByPrefixAndById() {
    Account gina = api.signUp("ginafind");
    api.signUp("ginafind");
    api.signUp("other");
    Reply found = api.get("/api/users?q=GINAF", gina.token());
    assertEquals(200, found.status());
    assertEquals(2, found.json().getJsonArray("users").size());
    Reply paged = api.get("/api/users?q=ginaf&limit=1", gina.token());
    assertEquals(1, paged.json().getJsonArray("users").size());
    String cursor = paged.json().getString("nextCursor");
    assertNotNull(cursor);
    Reply rest = api.get("/api/users?q=ginaf&limit=1&cursor=" + cursor, gina.token());
    assertEquals(1, rest.json().getJsonArray("users").size());
    assertEquals(null, rest.json().getString("nextCursor"));

    assertEquals(gina.username(), api.get("/api/users/" + gina.id(), gina.token()).json().getJsonObject("user").getString("username"));
    assertEquals(404, api.get("/api/users/u-nope", gina.token()).status());
    assertEquals(400, api.get("/api/users?limit=201", gina.token()).status());
  }

  @Test
  void tokensThatAreMissingTamperedUnsignedOrWithoutExpiryAreRefused() {
    Account hank = api.signUp("hank");
    assertEquals(401, api.get("/api/me", null).status());
    assertEquals("unauthorized", api.get("/api/me", null).errorCode());

    String[] parts = hank.token().split("\\.");
    String otherSubject = b64(new JsonObject().put("sub", "someone-else").put("typ", "access")
        .put("exp", System.currentTimeMillis() / 1000 + 600).encode());
    assertEquals(401, api.get("/api/me", parts[0] + "." + otherSubject + "." + parts[2]).status(), "tampered payload");

    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
        + b64(new JsonObject().put("sub", hank.id()).put("typ", "access").put("exp", System.currentTimeMillis() / 1000 + 600).encode()) + ".";
    assertEquals(401, api.get("/api/me", none).status(), "alg none");

    String secret = node.config().getJsonObject("auth").getString("jwtSecret");
    String noExpiry = hs256(secret, new JsonObject().put("sub", hank.id()).put("typ", "access"));
    assertEquals(401, api.get("/api/me", noExpiry).status(), "no exp");
    String expired = hs256(secret, new JsonObject().put("sub", hank.id()).put("typ", "access")
        .put("exp", System.currentTimeMillis() / 1000 - 60));
    assertEquals(401, api.get("/api/me", expired).status(), "expired");
    String valid = hs256(secret, new JsonObject().put("sub", hank.id()).put("typ", "access")
        .put("exp", System.currentTimeMillis() / 1000 + 60));
    assertEquals(200, api.get("/api/me", valid).status(), "the same construction with exp is accepted");
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static String hs256(String secret, JsonObject claims) {
    try {
      String signed = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64(claims.encode());
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
