package dev.parley.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.BridgeClient;
import dev.parley.support.NodeTestBase;
import dev.parley.support.SseClient;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Running a server (issue 21): the first account is its admin, who alone may use
 * {@code /api/admin/*}; disabling, password-reset links, registration modes and invitations,
 * anyone's bots and shares, the server's state, and the audit log of it all.
 */
class AdminTest extends NodeTestBase {
  private static final String CONFIGURED_ADMIN = "root-admin";
  private static final String PASSWORD = "correct horse";
  /** The first account of this node: made admin by registering first. */
  private static Account admin;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(config -> {
      config.getJsonObject("auth").put("admins", new JsonArray().add(CONFIGURED_ADMIN));
      config.getJsonObject("ops").put("status", new JsonObject().put("reportSeconds", 1).put("sampleSeconds", 1));
    });
  }

  @BeforeEach
  void firstAccountIsTheAdmin() {
    if (admin == null) {
      admin = api.signUp("admin");
    }
    admin = api.login(admin.username(), PASSWORD);
  }

  /** Every admin endpoint, as one request each (ids that need not exist: authorisation comes first). */
  private static final List<Object[]> ENDPOINTS = List.of(
      new Object[] {HttpMethod.GET, "/api/admin/users", null},
      new Object[] {HttpMethod.POST, "/api/admin/users/u1/disable", new JsonObject()},
      new Object[] {HttpMethod.POST, "/api/admin/users/u1/enable", new JsonObject()},
      new Object[] {HttpMethod.POST, "/api/admin/users/u1/password-reset", new JsonObject()},
      new Object[] {HttpMethod.PUT, "/api/admin/users/u1/admin", new JsonObject().put("admin", true)},
      new Object[] {HttpMethod.GET, "/api/admin/settings", null},
      new Object[] {HttpMethod.PUT, "/api/admin/settings", new JsonObject().put("registration", "closed")},
      new Object[] {HttpMethod.POST, "/api/admin/invitations", new JsonObject()},
      new Object[] {HttpMethod.GET, "/api/admin/invitations", null},
      new Object[] {HttpMethod.DELETE, "/api/admin/invitations/i1", null},
      new Object[] {HttpMethod.GET, "/api/admin/conversations", null},
      new Object[] {HttpMethod.GET, "/api/admin/bots", null},
      new Object[] {HttpMethod.DELETE, "/api/admin/bots/u1", null},
      new Object[] {HttpMethod.GET, "/api/admin/shares", null},
      new Object[] {HttpMethod.DELETE, "/api/admin/shares/s1", null},
      new Object[] {HttpMethod.GET, "/api/admin/server", null},
      new Object[] {HttpMethod.POST, "/api/admin/backups", new JsonObject()},
      new Object[] {HttpMethod.GET, "/api/admin/audit", null});

  private void assertEveryEndpointRefuses(String token, int status, String who) {
    for (Object[] endpoint : ENDPOINTS) {
      Reply reply = api.call((HttpMethod) endpoint[0], (String) endpoint[1], token, endpoint[2]);
      assertEquals(status, reply.status(), who + ": " + endpoint[0] + " " + endpoint[1] + " " + reply.raw());
    }
  }

  private JsonObject me(Account who) {
    return api.get("/api/me", who.token()).json().getJsonObject("user");
  }

  private JsonObject adminUser(String username) {
    JsonArray users = api.get("/api/admin/users?q=" + username, admin.token()).json().getJsonArray("users");
    return users.stream().map(JsonObject.class::cast).filter(u -> u.getString("username").equals(username)).findFirst()
        .orElseThrow();
  }

  private JsonArray audit(String query) {
    Reply reply = api.get("/api/admin/audit" + query, admin.token());
    assertEquals(200, reply.status(), reply.raw());
    return reply.json().getJsonArray("entries");
  }

  private static Stream<JsonObject> entries(JsonArray entries) {
    return entries.stream().map(JsonObject.class::cast);
  }

  @Test
  void onlyAnEnabledAdminMayAdminister() {
    assertEquals(Boolean.TRUE, me(admin).getBoolean("admin"), "the first account is the admin");
    Account member = api.signUp("member");
    assertFalse(me(member).containsKey("admin"), "a member's own user has no admin field");
    assertEveryEndpointRefuses(member.token(), 403, "a member");

    Reply bot = api.post("/api/bots", member.token(), new JsonObject().put("username", "helper-" + System.nanoTime() % 100000));
    assertEquals(201, bot.status(), bot.raw());
    assertEveryEndpointRefuses(bot.json().getString("token"), 403, "a bot");

    // A second admin, disabled: refused everywhere, the admin pages included.
    Account second = api.signUp("second");
    assertEquals(200, api.put("/api/admin/users/" + second.id() + "/admin", admin.token(), new JsonObject().put("admin", true)).status());
    assertEquals(200, api.get("/api/admin/users", second.token()).status(), "an admin now");
    assertEquals(200, api.post("/api/admin/users/" + second.id() + "/disable", admin.token(), new JsonObject()).status());
    assertEveryEndpointRefuses(second.token(), 403, "a disabled admin");
    assertEquals(401, api.get("/api/admin/users", null).status(), "no token at all");
  }

  @Test
  void disablingClosesEveryConnectionAndRefusesSignIn() {
    Account dana = api.signUp("dana");
    Account phone = api.login(dana.username(), PASSWORD);
    Reply bot = api.post("/api/bots", dana.token(), new JsonObject().put("username", "danabot-" + System.nanoTime() % 100000));
    String ticket = api.post("/api/conversations/" + api.direct(dana, admin) + "/export", dana.token(), new JsonObject())
        .json().getString("ticket");
    try (WsClient ws = api.webSocket(dana, null);
         SseClient sse = api.events(phone, null);
         BridgeClient bridge = BridgeClient.sockJs(api.vertx, api.webSockets(), node.port())) {
      bridge.registerSelf(dana.id(), dana.token(), null);
      await().atMost(Duration.ofSeconds(10)).alias("the admin sees Dana's three connections")
          .until(() -> adminUser(dana.username()).getInteger("devices") == 3);
      assertTrue(adminUser(dana.username()).getBoolean("online"));

      Reply disabled = api.post("/api/admin/users/" + dana.id() + "/disable", admin.token(), new JsonObject());
      assertEquals(200, disabled.status(), disabled.raw());
      assertTrue(disabled.json().getJsonObject("user").getBoolean("disabled"));

      assertEquals(4401, ws.awaitClosed(), "the WebSocket ends, saying why");
      sse.next("auth_revoked");
      assertTrue(bridge.awaitClosed(), "the bridge connection closes");
    }
    assertEquals(404, api.get("/api/exports/" + ticket, null).status(), "a download link she made before stops too");
    Reply refused = api.post("/api/auth/login", null, new JsonObject().put("username", dana.username()).put("password", PASSWORD));
    assertEquals(403, refused.status());
    assertEquals("this account is disabled; ask an administrator", refused.json().getJsonObject("error").getString("message"));
    assertEquals(401, api.post("/api/auth/login", null, new JsonObject().put("username", dana.username())
        .put("password", "wrong password")).status(), "a wrong password learns nothing");
    assertEquals(401, api.post("/api/auth/refresh", null, new JsonObject().put("refreshToken", phone.refreshToken())).status());
    assertEquals(403, api.get("/api/me", dana.token()).status(), "the access token stops at once");
    assertEquals(403, api.get("/api/events?access_token=" + dana.token(), null).status(), "no new stream");
    assertEquals(0, adminUser(dana.username()).getInteger("devices"));
    // Her bot is hers, not her: it goes on until an admin revokes it.
    assertEquals(200, api.get("/api/me", bot.json().getString("token")).status());

    Reply enabled = api.post("/api/admin/users/" + dana.id() + "/enable", admin.token(), new JsonObject());
    assertFalse(enabled.json().getJsonObject("user").getBoolean("disabled"));
    assertEquals(200, api.get("/api/me", api.login(dana.username(), PASSWORD).token()).status(), "back, with her old password");
  }

  @Test
  void theLastAdminStaysAndConfiguredAdminsCannotBeDropped() {
    assertEquals(409, api.post("/api/admin/users/" + admin.id() + "/disable", admin.token(), new JsonObject()).status(),
        "not oneself");
    assertEquals(409, api.put("/api/admin/users/" + admin.id() + "/admin", admin.token(), new JsonObject().put("admin", false))
        .status(), "nor one's own admin rights");
    // The configured admin registers later, while registration is open: an admin from the configuration.
    assertEquals(201, api.post("/api/auth/register", null, new JsonObject().put("username", CONFIGURED_ADMIN)
        .put("password", PASSWORD)).status());
    Account root = api.login(CONFIGURED_ADMIN, PASSWORD);
    assertEquals(Boolean.TRUE, me(root).getBoolean("admin"));
    Reply drop = api.put("/api/admin/users/" + root.id() + "/admin", admin.token(), new JsonObject().put("admin", false));
    assertEquals(409, drop.status(), drop.raw());
    assertTrue(drop.json().getJsonObject("error").getString("message").contains("auth.admins"));

    Account bot = api.signUp("notabot");
    assertEquals(400, api.put("/api/admin/users/" + bot.id() + "/admin", admin.token(), new JsonObject().put("admin", "yes")).status());
    assertEquals(400, api.put("/api/admin/users/" + bot.id() + "/admin", admin.token(), new JsonObject()).status());
    assertEquals(404, api.post("/api/admin/users/unothere/disable", admin.token(), new JsonObject()).status());
  }

  @Test
  void aPasswordResetLinkWorksOnceAndEndsEverySignIn() {
    Account erin = api.signUp("erin");
    Reply link = api.post("/api/admin/users/" + erin.id() + "/password-reset", admin.token(), new JsonObject());
    assertEquals(201, link.status(), link.raw());
    String url = link.json().getString("url");
    assertTrue(url.contains("/#reset="), url);
    String token = url.substring(url.indexOf("#reset=") + 7);

    try (WsClient ws = api.webSocket(erin, null)) {
      assertEquals(400, api.post("/api/auth/password-reset", null, new JsonObject().put("token", token).put("newPassword", "short"))
          .status(), "too short, and the link is still good");
      assertEquals(204, api.post("/api/auth/password-reset", null, new JsonObject().put("token", token)
          .put("newPassword", "a new password")).status());
      assertEquals(4401, ws.awaitClosed(), "her sign-ins end");
    }
    assertEquals(401, api.post("/api/auth/refresh", null, new JsonObject().put("refreshToken", erin.refreshToken())).status());
    assertEquals(401, api.post("/api/auth/login", null, new JsonObject().put("username", erin.username()).put("password", PASSWORD))
        .status(), "the old password is gone");
    api.login(erin.username(), "a new password");
    Reply again = api.post("/api/auth/password-reset", null, new JsonObject().put("token", token).put("newPassword", "third password"));
    assertEquals(400, again.status(), "a link works once");
    assertEquals("token", again.errorField());
  }

  @Test
  void registrationClosedOrByInvitation() {
    try {
      assertEquals(200, api.put("/api/admin/settings", admin.token(), new JsonObject().put("registration", "closed")).status());
      assertEquals("closed", api.get("/api/auth/registration", null).json().getString("registration"));
      Reply closed = api.post("/api/auth/register", null, new JsonObject().put("username", "late-" + System.nanoTime() % 100000)
          .put("password", PASSWORD));
      assertEquals(403, closed.status());
      assertEquals("registration is closed", closed.json().getJsonObject("error").getString("message"));

      assertEquals(200, api.put("/api/admin/settings", admin.token(), new JsonObject().put("registration", "invite")).status());
      assertEquals("invite", api.get("/api/admin/settings", admin.token()).json().getString("registration"));
      assertEquals(403, register("nocode", null).status());
      Reply invitation = api.post("/api/admin/invitations", admin.token(), new JsonObject().put("maxUses", 1).put("expiresInHours", 2));
      assertEquals(201, invitation.status(), invitation.raw());
      String code = invitation.json().getString("code");
      assertTrue(invitation.json().getString("url").endsWith("/#invite=" + code));
      String id = invitation.json().getJsonObject("invitation").getString("id");
      assertTrue(listsInvitation(id));

      assertEquals(201, register("invited", code).status(), "the invitation lets one in");
      assertEquals(403, register("second", code).status(), "and only one");
      assertFalse(listsInvitation(id), "a used-up invitation is not live");

      String another = api.post("/api/admin/invitations", admin.token(), new JsonObject()).json().getString("code");
      String anotherId = invitationIdOf(another);
      assertEquals(204, api.delete("/api/admin/invitations/" + anotherId, admin.token()).status());
      assertEquals(404, api.delete("/api/admin/invitations/" + anotherId, admin.token()).status());
      assertEquals(403, register("revoked", another).status(), "a revoked invitation lets no one in");

      assertEquals(400, api.put("/api/admin/settings", admin.token(), new JsonObject().put("registration", "sometimes")).status());
      assertEquals(400, api.post("/api/admin/invitations", admin.token(), new JsonObject().put("maxUses", 0)).status());
      assertEquals(400, api.post("/api/admin/invitations", admin.token(), new JsonObject().put("expiresInHours", 10_000)).status());
    } finally {
      api.put("/api/admin/settings", admin.token(), new JsonObject().put("registration", "open"));
    }
  }

  private Reply register(String prefix, String code) {
    JsonObject body = new JsonObject().put("username", prefix + "-" + System.nanoTime() % 1_000_000).put("password", PASSWORD);
    if (code != null) {
      body.put("inviteCode", code);
    }
    return api.post("/api/auth/register", null, body);
  }

  private boolean listsInvitation(String id) {
    return entries(api.get("/api/admin/invitations", admin.token()).json().getJsonArray("invitations"))
        .anyMatch(i -> i.getString("id").equals(id));
  }

  /** The newest live invitation's id (the one just made). */
  private String invitationIdOf(String code) {
    assertNotNull(code);
    return api.get("/api/admin/invitations", admin.token()).json().getJsonArray("invitations").getJsonObject(0).getString("id");
  }

  @Test
  void anAdminRevokesAnyonesBotAndShare() {
    Account owner = api.signUp("owner");
    Account friend = api.signUp("friend");
    Reply bot = api.post("/api/bots", owner.token(), new JsonObject().put("username", "owned-" + System.nanoTime() % 100000));
    String botId = bot.json().getJsonObject("user").getString("id");
    JsonObject listed = entries(api.get("/api/admin/bots", admin.token()).json().getJsonArray("bots"))
        .filter(b -> b.getString("id").equals(botId)).findFirst().orElseThrow();
    assertEquals(owner.username(), listed.getJsonObject("owner").getString("username"));
    assertFalse(listed.getBoolean("revoked"));
    assertEquals(204, api.delete("/api/admin/bots/" + botId, admin.token()).status());
    assertEquals(401, api.get("/api/me", bot.json().getString("token")).status(), "the bot's token stops");

    String conversation = api.direct(owner, friend);
    api.send(owner, conversation, "look at this");
    Reply share = api.post("/api/conversations/" + conversation + "/shares", owner.token(),
        new JsonObject().put("fromSeq", 1).put("toSeq", 1));
    String token = share.json().getJsonObject("share").getString("token");
    String shareId = share.json().getJsonObject("share").getString("id");
    JsonObject seen = entries(api.get("/api/admin/shares", admin.token()).json().getJsonArray("shares"))
        .filter(s -> s.getString("id").equals(shareId)).findFirst().orElseThrow();
    assertTrue(seen.getString("url").endsWith("/s/" + token));
    assertTrue(seen.getString("conversationTitle").contains(" & "), seen.encode());
    assertEquals(200, api.get("/api/shared/" + token, null).status());
    assertEquals(204, api.delete("/api/admin/shares/" + shareId, admin.token()).status());
    assertEquals(404, api.get("/api/shared/" + token, null).status(), "the link stops working");
    assertEquals(404, api.delete("/api/admin/shares/" + shareId, admin.token()).status());
  }

  @Test
  void theServerPageShowsNodesStoreAndTheLastHour() {
    Account talker = api.signUp("talker");
    String conversation = api.direct(talker, admin);
    api.send(talker, conversation, "counted");
    await().atMost(Duration.ofSeconds(10)).alias("a minute's point counts the message")
        .until(() -> sum(server().getJsonObject("series"), "messagesStored") > 0);
    JsonObject server = server();
    JsonObject me = entries(server.getJsonArray("nodes")).filter(n -> n.getString("id").equals(node.config()
        .getJsonObject("node").getString("id"))).findFirst().orElseThrow();
    assertTrue(me.getJsonArray("roles").contains("store"), me.encode());
    assertTrue(me.getString("version").matches("\\d+\\.\\d+\\.\\d+.*"), "the build's version: " + me.getString("version"));
    assertTrue(java.time.Instant.parse(me.getString("startedAt")).isBefore(java.time.Instant.now()), me.encode());
    JsonObject store = server.getJsonObject("store");
    assertEquals(TestNode.onPostgres() ? "postgresql" : "sqlite", store.getString("database"));
    assertTrue(store.getLong("sizeBytes") > 0);

    Reply backup = api.post("/api/admin/backups", admin.token(), new JsonObject());
    if (TestNode.onPostgres()) {
      assertEquals(409, backup.status(), "PostgreSQL is backed up with its own tools");
      assertEquals("unknown", store.getJsonObject("lastBackup").getString("status"));
    } else {
      assertEquals(201, backup.status(), backup.raw());
      assertEquals("ok", server().getJsonObject("store").getJsonObject("lastBackup").getString("status"));
    }
  }

  private JsonObject server() {
    Reply reply = api.get("/api/admin/server", admin.token());
    assertEquals(200, reply.status(), reply.raw());
    return reply.json();
  }

  private static long sum(JsonObject series, String name) {
    return series.getJsonArray(name).stream().mapToLong(n -> ((Number) n).longValue()).sum();
  }

  @Test
  void everyChangeIsInTheAuditLog() {
    Account frank = api.signUp("frank");
    api.post("/api/admin/users/" + frank.id() + "/disable", admin.token(), new JsonObject());
    api.post("/api/admin/users/" + frank.id() + "/enable", admin.token(), new JsonObject());
    api.post("/api/admin/users/" + frank.id() + "/password-reset", admin.token(), new JsonObject());

    JsonArray mine = audit("?actor=" + admin.id() + "&action=user.&limit=200");
    Predicate<JsonObject> aboutFrank = e -> e.getJsonObject("target").getString("id").equals(frank.id());
    List<String> actions = entries(mine).filter(aboutFrank).map(e -> e.getString("action")).toList();
    assertEquals(List.of("user.password_reset", "user.enable", "user.disable"), actions, "newest first");
    JsonObject entry = entries(mine).filter(aboutFrank).findFirst().orElseThrow();
    assertEquals(admin.username(), entry.getJsonObject("actor").getString("username"));
    assertEquals("127.0.0.1", entry.getString("clientAddress"));
    assertEquals(frank.username(), entry.getJsonObject("detail").getString("username"));
    assertNotNull(entry.getString("at"));
    assertTrue(entries(audit("?action=user.disable")).allMatch(e -> e.getString("action").equals("user.disable")));

    // Paging: one at a time, each page older than the last.
    JsonObject first = api.get("/api/admin/audit?limit=1", admin.token()).json();
    JsonObject second = api.get("/api/admin/audit?limit=1&cursor=" + first.getString("nextCursor"), admin.token()).json();
    assertTrue(second.getJsonArray("entries").getJsonObject(0).getLong("id") < first.getJsonArray("entries").getJsonObject(0).getLong("id"));
    assertEquals(400, api.get("/api/admin/audit?action=DROP%20TABLE", admin.token()).status());
    assertEquals(400, api.get("/api/admin/audit?limit=0", admin.token()).status());
  }

  @Test
  void anAdminMayExportAnyConversationAndTheAuditLogSaysSo() {
    Account gina = api.signUp("gina");
    Account hal = api.signUp("hal");
    Account outsider = api.signUp("outsider");
    String conversation = api.direct(gina, hal);
    api.send(gina, conversation, "between us");
    assertEquals(404, api.get("/api/conversations/" + conversation + "/export", outsider.token()).status(),
        "not a member, not an admin: no such conversation");

    JsonObject found = entries(api.get("/api/admin/conversations?q=" + gina.username(), admin.token()).json()
        .getJsonArray("conversations")).filter(c -> c.getString("id").equals(conversation)).findFirst().orElseThrow();
    assertEquals(2, found.getInteger("memberCount"));
    assertFalse(found.encode().contains("between us"), "an admin finds the conversation, not its messages");
    Reply export = api.get("/api/conversations/" + conversation + "/export", admin.token());
    assertEquals(200, export.status());
    assertEquals("application/zip", export.headers().get("content-type"));
    JsonObject entry = entries(audit("?action=conversation.export")).findFirst().orElseThrow();
    assertEquals(conversation, entry.getJsonObject("target").getString("id"));
    assertEquals(admin.id(), entry.getJsonObject("actor").getString("id"));

    // Exporting a conversation the admin is in is a member's export: nothing to record.
    String own = api.direct(admin, gina);
    api.send(gina, own, "hello admin");
    int before = audit("?action=conversation.export").size();
    assertEquals(200, api.get("/api/conversations/" + own + "/export", admin.token()).status());
    assertEquals(before, audit("?action=conversation.export").size());
  }
}
