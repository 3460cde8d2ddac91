package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.auth.Secrets;
import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import dev.parley.support.WsClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Incoming webhooks (issue 20), over real HTTP: managing them, and posting Slack bodies to them. */
class WebhookTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  private JsonObject create(Account who, String conversationId, String name) {
    Reply created = api.post("/api/conversations/" + conversationId + "/webhooks", who.token(), new JsonObject().put("name", name));
    assertEquals(201, created.status(), created.raw());
    return created.json().getJsonObject("webhook");
  }

  /** The path of a webhook's URL (the test talks to the node directly). */
  private static String path(JsonObject hook) {
    String url = hook.getString("url");
    return url.substring(url.indexOf("/api/hooks/"));
  }

  /** A raw POST with its own Content-Type and headers, no Authorization. */
  private Reply raw(String path, String contentType, String body, Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path);
    if (contentType != null) {
      options.putHeader("Content-Type", contentType);
    }
    headers.forEach(options::putHeader);
    return api.onContext(() -> api.http().request(options)
            .compose(request -> request.send(Buffer.buffer(body)))
            .compose(response -> response.body().map(buffer -> {
              Map<String, String> h = new HashMap<>();
              response.headers().forEach(e -> h.put(e.getKey().toLowerCase(), e.getValue()));
              return new Reply(response.statusCode(), h, buffer.toString());
            })))
        .timeout(15, TimeUnit.SECONDS).await();
  }

  private Reply postJson(JsonObject hook, Object body) {
    return raw(path(hook), "application/json", body.toString(), Map.of());
  }

  private JsonArray history(Account who, String conversationId) {
    return api.get("/api/conversations/" + conversationId + "/messages?limit=200", who.token()).json().getJsonArray("messages");
  }

  private JsonObject last(Account who, String conversationId) {
    JsonArray messages = history(who, conversationId);
    return messages.getJsonObject(messages.size() - 1);
  }

  @Test
  void aWebhooksSenderIsNobodyToTalkToOrToAdd() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String group = api.group(alice, "Ops", bob);
    String sender = create(alice, group, "Alerts").getString("senderId");

    assertEquals(404, api.post("/api/conversations", alice.token(),
        new JsonObject().put("type", "direct").put("userId", sender)).status());
    assertEquals(400, api.post("/api/conversations", alice.token(), new JsonObject().put("type", "group")
        .put("title", "With a hook").put("memberIds", new JsonArray().add(sender))).status());
    assertEquals(404, api.post("/api/conversations/" + group + "/members", alice.token(),
        new JsonObject().put("userId", sender)).status());
  }

  @Test
  void aPostAppearsInHistoryAndLiveAsTheWebhooksMessage() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String group = api.group(alice, "Ops", bob);
    JsonObject hook = create(alice, group, "Deploy bot");
    assertTrue(hook.getString("url").matches("http://[^/]+/api/hooks/[A-Za-z0-9_-]{43}"), hook.getString("url"));
    assertEquals("Deploy bot", hook.getString("name"));
    try (WsClient bobWs = api.webSocket(bob, null)) {
      Reply posted = postJson(hook, new JsonObject().put("text", "Build *42* passed"));
      assertEquals(201, posted.status(), posted.raw());
      assertTrue(posted.json().getBoolean("ok"), "Slack's answer, which Grafana looks for");
      JsonObject message = posted.json().getJsonObject("message");
      assertEquals("Build 42 passed", message.getString("text"));
      assertEquals(hook.getString("senderId"), message.getString("senderId"));
      JsonObject via = new JsonObject().put("webhook", hook.getString("id")).put("name", "Deploy bot");
      assertEquals(via, message.getJsonObject("via"));

      JsonObject live = bobWs.next("message").getJsonObject("data");
      assertEquals(message.getLong("id"), live.getLong("id"));
      assertEquals(via, live.getJsonObject("via"), "the live event is marked too");
      JsonObject stored = last(bob, group);
      assertEquals(message.getLong("id"), stored.getLong("id"));
      assertEquals(via, stored.getJsonObject("via"), "and history");
      assertEquals("Build 42 passed", stored.getString("text"));
    }
    JsonObject sender = api.get("/api/users/" + hook.getString("senderId"), bob.token()).json();
    assertNotNull(sender);
    // The webhook's sender is no member: the group's members stay its people.
    JsonArray members = api.get("/api/conversations/" + group + "/members", alice.token()).json().getJsonArray("members");
    assertEquals(2, members.size(), members.encode());
    JsonArray search = api.get("/api/users?q=webhook", alice.token()).json().getJsonArray("users");
    assertEquals(0, search.size(), "webhook senders are not found by user search");
  }

  @Test
  void usernameFormPayloadAndAlertmanagerAttachments() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    JsonObject hook = create(bob, direct, "CI");

    Reply named = postJson(hook, new JsonObject().put("text", "hello").put("username", "Release train"));
    assertEquals(201, named.status(), named.raw());
    JsonObject message = last(alice, direct);
    assertEquals("Release train", message.getJsonObject("via").getString("name"), "the override is shown");
    assertEquals(hook.getString("senderId"), message.getString("senderId"));

    String payload = new JsonObject().put("text", "from a form & more").encode();
    Reply form = raw(path(hook), "application/x-www-form-urlencoded",
        "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8), Map.of());
    assertEquals(201, form.status(), form.raw());
    assertEquals("from a form & more", last(alice, direct).getString("text"));
    assertEquals("CI", last(alice, direct).getJsonObject("via").getString("name"));

    // What Alertmanager's slack_configs send with the default templates: no text, one attachment.
    JsonObject alert = new JsonObject()
        .put("channel", "#ops").put("username", "Alertmanager").put("icon_emoji", ":fire:")
        .put("attachments", new JsonArray().add(new JsonObject()
            .put("title", "[FIRING:1] HighLatency (api)")
            .put("title_link", "http://alertmanager:9093/#/alerts?receiver=parley")
            .put("text", "*Alert:* p99 above 1s - `critical`\n*Details:* <http://grafana/d/1|dashboard>")
            .put("fallback", "[FIRING:1] HighLatency")
            .put("color", "danger")
            .put("mrkdwn_in", new JsonArray().add("fallback").add("pretext").add("text"))));
    Reply alerted = postJson(hook, alert);
    assertEquals(201, alerted.status(), alerted.raw());
    JsonObject shown = last(alice, direct);
    assertEquals("[FIRING:1] HighLatency (api) (http://alertmanager:9093/#/alerts?receiver=parley)\n"
        + "Alert: p99 above 1s - `critical`\nDetails: dashboard (http://grafana/d/1)", shown.getString("text"));
    assertEquals("Alertmanager", shown.getJsonObject("via").getString("name"));

    JsonObject fallbackOnly = new JsonObject().put("attachments", new JsonArray().add(new JsonObject().put("fallback", "only this")));
    assertEquals(201, postJson(hook, fallbackOnly).status());
    assertEquals("only this", last(alice, direct).getString("text"));
    JsonObject blocks = new JsonObject().put("blocks", new JsonArray().add(new JsonObject().put("type", "section")
        .put("text", new JsonObject().put("type", "mrkdwn").put("text", "from _blocks_"))));
    assertEquals(201, postJson(hook, blocks).status());
    assertEquals("from blocks", last(alice, direct).getString("text"));
  }

  @Test
  void mrkdwnBecomesPlainText() {
    assertEquals("bold italic strike snake_case_name 2*3*4", SlackPayload.plain("*bold* _italic_ ~strike~ snake_case_name 2*3*4"));
    assertEquals("see docs (https://x.test/a?b=1&c=2) or https://y.test", SlackPayload.plain("see <https://x.test/a?b=1&amp;c=2|docs> or <https://y.test>"));
    assertEquals("@channel @here deploy <done> & @alice #ops", SlackPayload.plain("<!channel> <!here> deploy &lt;done&gt; &amp; <@U1|alice> <#C1|ops>"));
    assertEquals("<script>alert(1)</script>", SlackPayload.plain("&lt;script&gt;alert(1)&lt;/script&gt;"), "decoded to text, shown as text");
    assertEquals("a\nb\tc", SlackPayload.plain("a\r\nb\tc\u0000\u0007\u202E"));
    assertEquals("mail me@x.test", SlackPayload.plain("mail <mailto:me@x.test|me@x.test>"));
  }

  @Test
  void anIdempotencyKeyPostsOnce() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    JsonObject hook = create(alice, direct, "CI");
    Map<String, String> key = Map.of("Idempotency-Key", "pipeline-1234/job-7");
    String body = new JsonObject().put("text", "deployed v1.2.3").encode();
    Reply first = raw(path(hook), "application/json", body, key);
    Reply again = raw(path(hook), "application/json", body, key);
    assertEquals(201, first.status(), first.raw());
    assertEquals(200, again.status(), again.raw());
    assertEquals(first.json().getJsonObject("message").getLong("id"), again.json().getJsonObject("message").getLong("id"));
    assertEquals(1, history(bob, direct).size(), "one message");
    Reply other = raw(path(hook), "application/json", body, Map.of("Idempotency-Key", "pipeline-1235"));
    assertEquals(201, other.status());
    assertEquals(2, history(bob, direct).size());
    Reply badKey = raw(path(hook), "application/json", body, Map.of("Idempotency-Key", "x".repeat(201)));
    assertEquals(400, badKey.status(), badKey.raw());
  }

  @Test
  void badBodiesAre400AndStoreNothing() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    JsonObject hook = create(alice, direct, "CI");
    String path = path(hook);
    Map<String, String> none = Map.of();
    Reply[] refused = {
        raw(path, "application/json", "not json", none),
        raw(path, "application/json", "[1, 2]", none),
        raw(path, "application/json", "", none),
        raw(path, "application/json", "{}", none),
        raw(path, "application/json", "{\"text\": \"   \"}", none),
        raw(path, "application/json", "{\"text\": 42}", none),
        raw(path, "application/json", "{\"attachments\": \"x\"}", none),
        raw(path, "application/json", "{\"attachments\": [{\"color\": \"good\"}]}", none),
        raw(path, "application/json", "{\"username\": \"x\"}", none),
        raw(path, "application/x-www-form-urlencoded", "text=hello", none),
        raw(path, "application/x-www-form-urlencoded", "payload=%7Bnot", none),
        raw(path, "application/json", new JsonObject().put("text", "x".repeat(8001)).encode(), none),
    };
    for (Reply r : refused) {
      assertEquals(400, r.status(), r.raw());
      assertEquals("invalid_request", r.errorCode(), r.raw());
    }
    Reply tooLarge = raw(path, "application/json", new JsonObject().put("text", "x".repeat(300_000)).encode(), none);
    assertEquals(413, tooLarge.status(), tooLarge.raw());
    assertEquals(0, history(alice, direct).size(), "nothing stored");
    assertEquals(201, raw(path, "application/json", new JsonObject().put("text", "x".repeat(8000)).encode(), none).status(),
        "the longest text");
  }

  @Test
  void unknownAndRevokedUrlsAre404() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account carol = api.signUp("carol");
    String group = api.group(alice, "Ops", bob, carol);
    assertEquals(204, api.patch("/api/conversations/" + group + "/members/" + bob.id(), alice.token(),
        new JsonObject().put("role", "admin")).status());
    JsonObject hook = create(bob, group, "Grafana");
    String body = new JsonObject().put("text", "hi").encode();
    assertEquals(404, raw("/api/hooks/" + Secrets.token(32), "application/json", body, Map.of()).status());
    assertEquals(404, raw("/api/hooks/short", "application/json", body, Map.of()).status());

    // Listed for every member, without its secret.
    JsonObject listed = api.get("/api/conversations/" + group + "/webhooks", carol.token()).json()
        .getJsonArray("webhooks").getJsonObject(0);
    assertEquals(hook.getString("id"), listed.getString("id"));
    assertFalse(listed.encode().contains(path(hook).substring("/api/hooks/".length())), "the secret is shown once");
    assertNull(listed.getValue("url"));
    // Stored hashed only.
    String secret = path(hook).substring("/api/hooks/".length());
    try (Connection db = node.database();
         PreparedStatement q = db.prepareStatement("SELECT secret_hash FROM webhooks WHERE id = ?")) {
      q.setString(1, hook.getString("id"));
      try (ResultSet rs = q.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(Secrets.sha256(secret), rs.getString(1));
      }
    }

    assertEquals(404, api.get("/api/conversations/" + group + "/webhooks", api.signUp("dave").token()).status(),
        "a non-member");
    assertEquals(403, api.delete("/api/conversations/" + group + "/webhooks/" + hook.getString("id"), carol.token()).status(),
        "a plain member may not revoke another's webhook");
    assertEquals(201, postJson(hook, new JsonObject().put("text", "still here")).status());
    assertEquals(204, api.delete("/api/conversations/" + group + "/webhooks/" + hook.getString("id"), alice.token()).status(),
        "the owner may");
    int before = history(alice, group).size();
    Reply revoked = postJson(hook, new JsonObject().put("text", "gone"));
    assertEquals(404, revoked.status(), revoked.raw());
    assertEquals("not_found", revoked.errorCode());
    assertEquals(before, history(alice, group).size(), "nothing stored");
    assertEquals(0, api.get("/api/conversations/" + group + "/webhooks", alice.token()).json().getJsonArray("webhooks").size());
    assertEquals(404, api.delete("/api/conversations/" + group + "/webhooks/" + hook.getString("id"), alice.token()).status(),
        "revoked already");
    try (Connection db = node.database();
         PreparedStatement q = db.prepareStatement("SELECT secret_hash FROM webhooks WHERE id = ?")) {
      q.setString(1, hook.getString("id"));
      try (ResultSet rs = q.executeQuery()) {
        assertTrue(rs.next());
        assertNull(rs.getString(1), "a revoked webhook keeps no hash");
      }
    }
    // What was posted stays, with its mark.
    assertEquals("still here", last(alice, group).getString("text"));
  }

  @Test
  void creatingNeedsTheRole() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String group = api.group(alice, "Ops", bob);
    Reply member = api.post("/api/conversations/" + group + "/webhooks", bob.token(), new JsonObject().put("name", "x"));
    assertEquals(403, member.status(), member.raw());
    Reply stranger = api.post("/api/conversations/" + group + "/webhooks", api.signUp("eve").token(),
        new JsonObject().put("name", "x"));
    assertEquals(404, stranger.status(), stranger.raw());
    Reply noName = api.post("/api/conversations/" + group + "/webhooks", alice.token(), new JsonObject());
    assertEquals(400, noName.status(), noName.raw());
    Reply control = api.post("/api/conversations/" + group + "/webhooks", alice.token(), new JsonObject().put("name", "a\u0000b"));
    assertEquals(400, control.status(), control.raw());
    Reply notOwnAvatar = api.post("/api/conversations/" + group + "/webhooks", alice.token(),
        new JsonObject().put("name", "x").put("avatarMediaId", "m0000000000000000"));
    assertEquals(400, notOwnAvatar.status(), notOwnAvatar.raw());
    assertEquals(0, api.get("/api/conversations/" + group + "/webhooks", bob.token()).json().getJsonArray("webhooks").size());
    Reply anonymous = api.post("/api/conversations/" + group + "/webhooks", null, new JsonObject().put("name", "x"));
    assertEquals(401, anonymous.status());
  }

  @Test
  void aWebhookIsRateLimited() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    JsonObject hook = create(alice, direct, "Noisy");
    JsonObject other = create(alice, direct, "Quiet");
    Reply limited = null;
    int posted = 0;
    for (int i = 0; i < 40 && limited == null; i++) {
      Reply r = postJson(hook, new JsonObject().put("text", "n" + i));
      if (r.status() == 429) {
        limited = r;
      } else {
        assertEquals(201, r.status(), r.raw());
        posted++;
      }
    }
    assertNotNull(limited, "past the burst");
    assertTrue(posted >= 20 && posted < 25, "a burst of 20: " + posted);
    assertEquals("rate_limited", limited.errorCode());
    assertTrue(Integer.parseInt(limited.headers().get("retry-after")) >= 1, limited.headers().toString());
    assertEquals(posted, history(alice, direct).size(), "nothing stored past the limit");
    assertEquals(201, postJson(other, new JsonObject().put("text", "mine")).status(), "per webhook");
  }
}
