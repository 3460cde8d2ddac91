package dev.parley.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.http.HttpFront;
import dev.parley.support.Api.Reply;
import dev.parley.support.NodeTestBase;
import dev.parley.support.Samples;
import dev.parley.support.TestNode;
import dev.parley.support.Uploads;
import dev.parley.support.Uploads.Fetched;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.json, the API for tools, against the server itself: the router and the document
 * name the same endpoints, the document is what {@code /api/openapi.json} serves, and a session
 * touching every endpoint, its answers and its errors sends and gets only what the document's
 * schemas allow (JSON Schema draft 2020-12, the dialect of OpenAPI 3.1).
 */
class OpenApiTest extends NodeTestBase {
  private static final Path DOCUMENT = Path.of("docs/openapi.json");
  /** The document's own address for the validator: every {@code $ref} in it resolves against it. */
  private static final String BASE = "https://parley.invalid/openapi.json";
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

  /**
   * Routes of the router that are not endpoints of the document, with why. A route that restricts
   * no method is keyed {@code *}; one without a path by its regular expression, or as every path.
   */
  private static final Map<String, String> NOT_IN_DOCUMENT = Map.of(
      "* (every path)", "security headers and the starting/stopping gate run before every request; not endpoints",
      "* /api/*", "reads the JSON body (and refuses forms) for every /api/ endpoint before its own route runs",
      "* /api/events", "answers 405 to every method but GET, whose handshake the document describes",
      "* /api/ws", "answers 405 to every method but GET, whose handshake the document describes",
      "* /eventbus/*", "the bots' SockJS bridge: a protocol of its own over many sub-paths and transports (docs/bots.md)",
      "* regex ^/(?!api/|health$|metrics$).*", "the browser client's static files from webroot/, not an API",
      "GET /s.html", "the browser client's page behind GET /s/{token} (documented), which marks a dead link 404");

  private static JsonObject document;
  /**
   * The document as the schema repository keeps it: it marks each object with its own address, so
   * a schema taken from here resolves its {@code $ref}s. Read for validation only; {@link #document}
   * is for walking.
   */
  private static JsonObject marked;
  private static SchemaRepository schemas;
  private static JsonSchemaOptions options;

  /** Every (method, path template, status) the session met, to prove it touched every operation. */
  private final Set<String> seen = new TreeSet<>();

  /** The session's admin, named in auth.admins: any test of this class may have registered first. */
  private static final String ADMIN = "openapi-admin";

  @BeforeAll
  static void startNode() throws IOException {
    // /metrics is mounted only with metrics on.
    node = TestNode.start(config -> {
      config.getJsonObject("metrics").put("enabled", true);
      config.getJsonObject("auth").put("admins", new JsonArray().add(ADMIN));
    });
    document = new JsonObject(Files.readString(DOCUMENT));
    options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE).setOutputFormat(OutputFormat.Basic);
    schemas = SchemaRepository.create(options);
    marked = document.copy();
    schemas.dereference(BASE, JsonSchema.of(marked));
  }

  @Test
  void theRouterAndTheDocumentNameTheSameEndpoints() {
    List<Route> routes = HttpFront.of(node.node().vertx(), node.node().config()).router().getRoutes();
    Set<String> routed = new TreeSet<>();
    Set<String> unrestricted = new TreeSet<>();
    for (Route route : routes) {
      // A path with :params is matched by a regular expression too, but keeps its path.
      String path = route.getPath() != null ? route.getPath().replaceAll(":(\\w+)", "{$1}") + (route.isExactPath() ? "" : "*")
          : route.isRegexPath() ? "regex " + route.getName()
          : "(every path)";
      if (route.methods() == null || route.methods().isEmpty()) {
        unrestricted.add("* " + path);
      } else {
        route.methods().forEach(method -> routed.add(method.name() + " " + path));
      }
    }
    Set<String> documented = new TreeSet<>();
    document.getJsonObject("paths").forEach(entry -> METHODS.stream()
        .filter(((JsonObject) entry.getValue())::containsKey)
        .forEach(method -> documented.add(method.toUpperCase() + " " + entry.getKey())));

    Set<String> undocumented = new TreeSet<>(routed);
    undocumented.addAll(unrestricted);
    undocumented.removeAll(documented);
    undocumented.removeAll(NOT_IN_DOCUMENT.keySet());
    Set<String> unrouted = new TreeSet<>(documented);
    unrouted.removeAll(routed);
    Set<String> staleExclusions = new TreeSet<>(NOT_IN_DOCUMENT.keySet());
    staleExclusions.removeAll(routed);
    staleExclusions.removeAll(unrestricted);
    assertTrue(undocumented.isEmpty() && unrouted.isEmpty() && staleExclusions.isEmpty(),
        "routed but not in docs/openapi.json: " + undocumented
            + "\nin docs/openapi.json but not routed: " + unrouted
            + "\nexcluded but no longer routed: " + staleExclusions);
  }

  @Test
  void theDocumentHoldsTogether() {
    assertEquals("3.1.0", document.getString("openapi"));
    Set<String> operationIds = new HashSet<>();
    Pattern parameter = Pattern.compile("\\{(\\w+)}");
    document.getJsonObject("paths").forEach(entry -> {
      JsonObject item = (JsonObject) entry.getValue();
      for (String method : METHODS) {
        JsonObject operation = item.getJsonObject(method);
        if (operation == null) {
          continue;
        }
        String where = method.toUpperCase() + " " + entry.getKey();
        assertTrue(operationIds.add(operation.getString("operationId")), where + ": operationId taken");
        Set<String> declared = new TreeSet<>();
        operation.getJsonArray("parameters", new JsonArray()).forEach(p -> {
          JsonObject resolved = resolve((JsonObject) p);
          if ("path".equals(resolved.getString("in"))) {
            declared.add(resolved.getString("name"));
          }
        });
        Set<String> inPath = new TreeSet<>();
        Matcher names = parameter.matcher(entry.getKey());
        while (names.find()) {
          inPath.add(names.group(1));
        }
        assertEquals(inPath, declared, where + ": path parameters");
        assertFalse(operation.getJsonObject("responses").isEmpty(), where + ": no responses");
        operation.getJsonObject("responses").forEach(r -> assertNotNull(resolve((JsonObject) r.getValue()), where));
      }
    });
    // The validator does reject what the schemas forbid: a message without its seq, a user with a stray field.
    JsonObject message = new JsonObject().put("id", 1).put("conversationId", "c1").put("senderId", "u1").put("type", "text")
        .put("mentions", new JsonArray()).put("createdAt", "2026-11-22T13:08:37.056Z").put("edited", false)
        .put("recalled", false).put("reactions", new JsonArray());
    assertFalse(validate(ref("Message"), message).getValid(), "a message needs its seq");
    assertTrue(validate(ref("Message"), message.copy().put("seq", 1)).getValid());
    JsonObject user = new JsonObject().put("id", "u1").put("username", "alice").put("displayName", "A").put("bot", false)
        .put("online", false);
    assertTrue(validate(ref("User"), user).getValid());
    assertFalse(validate(ref("User"), user.copy().put("password", "x")).getValid(), "a field the document does not name");
  }

  @Test
  void theServerServesTheDocumentOfTheRepository() throws IOException {
    Fetched served = new Uploads(api).get("/api/openapi.json", null);
    check(HttpMethod.GET, "/api/openapi.json", served.status(), served.header("content-type"), served.body());
    assertEquals(200, served.status());
    assertArrayEquals(Files.readAllBytes(DOCUMENT), served.body(), "the jar's copy is docs/openapi.json");
    assertTrue(served.header("content-type").startsWith("application/json"));
    assertEquals("public, max-age=3600", served.header("cache-control"));
    Fetched again = new Uploads(api).get("/api/openapi.json", null, Map.of("If-None-Match", served.header("etag")));
    check(HttpMethod.GET, "/api/openapi.json", again.status(), again.header("content-type"), again.body());
    assertEquals(304, again.status());
  }

  @Test
  void aSessionOverEveryEndpointKeepsToTheDocument() throws Exception {
    Uploads uploads = new Uploads(api);
    String suffix = Long.toString(System.nanoTime() % 1_000_000);
    // Accounts.
    JsonObject aliceSignUp = new JsonObject().put("username", "alice" + suffix).put("password", "correct horse")
        .put("displayName", "Alice");
    assertStatus(201, call(HttpMethod.POST, "/api/auth/register", null, aliceSignUp));
    assertStatus(409, call(HttpMethod.POST, "/api/auth/register", null, aliceSignUp));
    assertStatus(400, call(HttpMethod.POST, "/api/auth/register", null, aliceSignUp.copy().put("password", "short")));
    for (String name : List.of("bob", "carol")) {
      assertStatus(201, call(HttpMethod.POST, "/api/auth/register", null,
          new JsonObject().put("username", name + suffix).put("password", "correct horse")));
    }
    JsonObject alice = login("alice" + suffix);
    JsonObject bob = login("bob" + suffix);
    JsonObject carol = login("carol" + suffix);
    assertStatus(401, call(HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("username", "alice" + suffix).put("password", "wrong horse")));
    Reply refreshed = call(HttpMethod.POST, "/api/auth/refresh", null,
        new JsonObject().put("refreshToken", alice.getString("refreshToken")));
    assertStatus(200, refreshed);
    alice = refreshed.json();
    assertStatus(401, call(HttpMethod.POST, "/api/auth/refresh", null, new JsonObject().put("refreshToken", "nope")));
    JsonObject spare = login("carol" + suffix);
    assertStatus(204, call(HttpMethod.POST, "/api/auth/logout", null,
        new JsonObject().put("refreshToken", spare.getString("refreshToken"))));
    assertStatus(400, call(HttpMethod.POST, "/api/auth/logout", null, new JsonObject()));
    String a = alice.getString("accessToken");
    String b = bob.getString("accessToken");
    String c = carol.getString("accessToken");
    String aliceId = alice.getJsonObject("user").getString("id");
    String bobId = bob.getJsonObject("user").getString("id");
    String carolId = carol.getJsonObject("user").getString("id");

    // Users.
    assertStatus(200, call(HttpMethod.GET, "/api/me", a, null));
    assertStatus(401, call(HttpMethod.GET, "/api/me", null, null));
    assertStatus(200, call(HttpMethod.PATCH, "/api/me", a, new JsonObject().put("displayName", "Alice A").put("readReceipts", true)));
    assertStatus(400, call(HttpMethod.PATCH, "/api/me", a, new JsonObject().putNull("displayName")));
    assertStatus(200, call(HttpMethod.GET, "/api/users?q=" + "bob" + suffix, a, null));
    assertStatus(400, call(HttpMethod.GET, "/api/users?limit=0", a, null));
    assertStatus(200, call(HttpMethod.GET, "/api/users/{id}", a, null, bobId));
    assertStatus(200, call(HttpMethod.GET, "/api/users/{id}", a, null, aliceId));
    assertStatus(404, call(HttpMethod.GET, "/api/users/{id}", a, null, "unope"));
    assertStatus(403, call(HttpMethod.POST, "/api/me/password", c,
        new JsonObject().put("currentPassword", "wrong horse").put("newPassword", "battery staple")));
    assertStatus(204, call(HttpMethod.POST, "/api/me/password", c,
        new JsonObject().put("currentPassword", "correct horse").put("newPassword", "battery staple")));

    // Conversations.
    Reply direct = call(HttpMethod.POST, "/api/conversations", a, new JsonObject().put("type", "direct").put("userId", bobId));
    assertStatus(201, direct);
    String directId = direct.json().getJsonObject("conversation").getString("id");
    assertStatus(200, call(HttpMethod.POST, "/api/conversations", a, new JsonObject().put("type", "direct").put("userId", bobId)));
    assertStatus(400, call(HttpMethod.POST, "/api/conversations", a, new JsonObject().put("type", "crowd")));
    assertStatus(404, call(HttpMethod.POST, "/api/conversations", a, new JsonObject().put("type", "direct").put("userId", "unope")));
    Reply group = call(HttpMethod.POST, "/api/conversations", a,
        new JsonObject().put("type", "group").put("title", "Team").put("memberIds", new JsonArray().add(bobId)));
    assertStatus(201, group);
    String groupId = group.json().getJsonObject("conversation").getString("id");
    assertStatus(200, call(HttpMethod.GET, "/api/conversations/{id}", a, null, groupId));
    assertStatus(404, call(HttpMethod.GET, "/api/conversations/{id}", c, null, groupId));
    assertStatus(200, call(HttpMethod.PATCH, "/api/conversations/{id}", a, new JsonObject().put("title", "Team A"), groupId));
    assertStatus(403, call(HttpMethod.PATCH, "/api/conversations/{id}", b, new JsonObject().put("title", "Mine"), groupId));
    assertStatus(201, call(HttpMethod.POST, "/api/conversations/{id}/members", a, new JsonObject().put("userId", carolId), groupId));
    assertStatus(409, call(HttpMethod.POST, "/api/conversations/{id}/members", a, new JsonObject().put("userId", carolId), groupId));
    assertStatus(403, call(HttpMethod.POST, "/api/conversations/{id}/members", b, new JsonObject().put("userId", carolId), groupId));
    assertStatus(200, call(HttpMethod.GET, "/api/conversations/{id}/members", a, null, groupId));
    assertStatus(204, call(HttpMethod.PATCH, "/api/conversations/{id}/members/{userId}", a,
        new JsonObject().put("role", "admin"), groupId, carolId));
    assertStatus(400, call(HttpMethod.PATCH, "/api/conversations/{id}/members/{userId}", a,
        new JsonObject().put("role", "king"), groupId, carolId));
    assertStatus(204, call(HttpMethod.PUT, "/api/conversations/{id}/mute", b, new JsonObject().put("muted", true), groupId));
    assertStatus(204, call(HttpMethod.PUT, "/api/conversations/{id}/notify", b, new JsonObject().put("level", "all"), groupId));
    assertStatus(400, call(HttpMethod.PUT, "/api/conversations/{id}/notify", b, new JsonObject().put("level", "all"), directId));

    // Messages.
    JsonObject hello = new JsonObject().put("clientId", "oa-1").put("type", "text").put("text", "hello team");
    Reply sent = call(HttpMethod.POST, "/api/conversations/{id}/messages", a, hello, groupId);
    assertStatus(201, sent);
    long helloId = sent.json().getJsonObject("message").getLong("id");
    assertStatus(200, call(HttpMethod.POST, "/api/conversations/{id}/messages", a, hello, groupId));
    assertStatus(409, call(HttpMethod.POST, "/api/conversations/{id}/messages", a, hello, directId));
    assertStatus(400, call(HttpMethod.POST, "/api/conversations/{id}/messages", a, hello.copy().put("clientId", "no spaces"), groupId));
    Reply reply = call(HttpMethod.POST, "/api/conversations/{id}/messages", b, new JsonObject().put("clientId", "oa-2")
        .put("type", "text").put("text", "@alice" + suffix + " welcome").put("replyTo", helloId)
        .put("mentions", new JsonArray().add(aliceId)), groupId);
    assertStatus(201, reply);
    long replyId = reply.json().getJsonObject("message").getLong("id");
    assertStatus(200, call(HttpMethod.PATCH, "/api/conversations/{id}/messages/{messageId}", a,
        new JsonObject().put("text", "hello, team"), groupId, helloId));
    assertStatus(403, call(HttpMethod.PATCH, "/api/conversations/{id}/messages/{messageId}", b,
        new JsonObject().put("text", "hijacked"), groupId, helloId));
    assertStatus(204, call(HttpMethod.PUT, "/api/conversations/{id}/messages/{messageId}/reactions/{emoji}", b, null,
        groupId, helloId, "👍"));
    assertStatus(204, call(HttpMethod.PUT, "/api/conversations/{id}/messages/{messageId}/reactions/{emoji}", c, null,
        groupId, helloId, "🎉"));
    assertStatus(204, call(HttpMethod.DELETE, "/api/conversations/{id}/messages/{messageId}/reactions/{emoji}", c, null,
        groupId, helloId, "🎉"));
    assertStatus(400, call(HttpMethod.PUT, "/api/conversations/{id}/messages/{messageId}/reactions/{emoji}", b, null,
        groupId, helloId, "ok"));
    assertStatus(204, call(HttpMethod.POST, "/api/conversations/{id}/delivered", b, new JsonObject().put("seq", 3), groupId));
    assertStatus(204, call(HttpMethod.POST, "/api/conversations/{id}/read", b, new JsonObject().put("seq", 3), groupId));
    assertStatus(400, call(HttpMethod.POST, "/api/conversations/{id}/read", b, new JsonObject().put("seq", -1), groupId));
    assertStatus(200, call(HttpMethod.GET, "/api/conversations/{id}/receipts", a, null, groupId));
    assertStatus(204, call(HttpMethod.POST, "/api/conversations/{id}/typing", a, null, groupId));
    assertStatus(404, call(HttpMethod.POST, "/api/conversations/{id}/typing", a, null, "cnope"));

    // Media, and a message that carries it.
    Fetched upload = uploads.upload(a, "halves.png", "image/png", Samples.png(Samples.halves(64, 48)));
    check(HttpMethod.POST, "/api/media", upload.status(), upload.header("content-type"), upload.body());
    assertEquals(201, upload.status());
    String mediaId = upload.json().getJsonObject("media").getString("id");
    Fetched refused = uploads.upload(a, "notes.png", "text/plain", "just words".getBytes(StandardCharsets.UTF_8));
    check(HttpMethod.POST, "/api/media", refused.status(), refused.header("content-type"), refused.body());
    assertEquals(415, refused.status());
    assertStatus(201, call(HttpMethod.POST, "/api/conversations/{id}/messages", a, new JsonObject().put("clientId", "oa-3")
        .put("type", "image").put("mediaId", mediaId).put("text", "the plan"), groupId));
    long size = upload.json().getJsonObject("media").getLong("size");
    fetch(uploads, "/api/media/{id}", b, Map.of(), 200, mediaId);
    String etag = fetch(uploads, "/api/media/{id}", b, Map.of("Range", "bytes=0-9"), 206, mediaId).header("etag");
    fetch(uploads, "/api/media/{id}", b, Map.of("If-None-Match", etag), 304, mediaId);
    fetch(uploads, "/api/media/{id}", b, Map.of("Range", "bytes=" + (size + 10) + "-"), 416, mediaId);
    fetch(uploads, "/api/media/{id}", c, Map.of(), 200, mediaId);
    fetch(uploads, "/api/media/{id}", b, Map.of(), 404, "m" + "0".repeat(24));
    fetch(uploads, "/api/media/{id}/thumbnail", b, Map.of(), 200, mediaId);

    // Reads: every message shape so far (edited, reaction, reply, mention, media, system) in one page.
    assertStatus(200, call(HttpMethod.GET, "/api/conversations/{id}/messages", b, null, groupId));
    assertStatus(200, call(HttpMethod.GET, "/api/conversations/{id}/messages?after=1&limit=2", b, null, groupId));
    assertStatus(400, call(HttpMethod.GET, "/api/conversations/{id}/messages?after=1&before=3", b, null, groupId));
    assertStatus(200, call(HttpMethod.GET, "/api/conversations", a, null));
    assertStatus(200, call(HttpMethod.GET, "/api/conversations?limit=1", b, null));
    assertStatus(400, call(HttpMethod.GET, "/api/conversations?cursor=nonsense", a, null));
    await().atMost(Duration.ofSeconds(10)).alias("the index finds the message").until(() -> {
      Reply found = call(HttpMethod.GET, "/api/search?q=team", a, null);
      assertStatus(200, found);
      return !found.json().getJsonArray("messages").isEmpty();
    });
    assertStatus(400, call(HttpMethod.GET, "/api/search?q=%21%21", a, null));
    assertStatus(404, call(HttpMethod.GET, "/api/search?q=team&conversationId=" + directId, c, null));

    // Shares.
    assertStatus(400, call(HttpMethod.POST, "/api/conversations/{id}/shares", a,
        new JsonObject().put("fromSeq", 3).put("toSeq", 2), groupId));
    Reply share = call(HttpMethod.POST, "/api/conversations/{id}/shares", a,
        new JsonObject().put("fromSeq", 1).put("toSeq", 6).put("expiresInSeconds", 3600), groupId);
    assertStatus(201, share);
    String token = share.json().getJsonObject("share").getString("token");
    assertStatus(200, call(HttpMethod.GET, "/api/conversations/{id}/shares", a, null, groupId));
    assertStatus(200, call(HttpMethod.GET, "/api/shared/{token}", null, null, token));
    assertStatus(404, call(HttpMethod.GET, "/api/shared/{token}", null, null, "nope"));
    fetch(uploads, "/api/shared/{token}/media/{mediaId}", null, Map.of(), 200, token, mediaId);
    fetch(uploads, "/api/shared/{token}/media/{mediaId}", null, Map.of(), 404, token, "m" + "0".repeat(24));
    fetch(uploads, "/api/shared/{token}/media/{mediaId}/thumbnail", null, Map.of(), 200, token, mediaId);
    fetch(uploads, "/s/{token}", null, Map.of(), 200, token);
    assertStatus(403, call(HttpMethod.DELETE, "/api/shares/{token}", b, null, token));
    assertStatus(204, call(HttpMethod.DELETE, "/api/shares/{token}", a, null, token));

    // Retention (after the shares, whose range counts seqs): the retention system message in a page.
    assertStatus(200, call(HttpMethod.PUT, "/api/conversations/{id}/retention", a, new JsonObject().put("days", 30), groupId));
    assertStatus(200, call(HttpMethod.PUT, "/api/conversations/{id}/retention", b, new JsonObject().putNull("days"), directId));
    assertStatus(403, call(HttpMethod.PUT, "/api/conversations/{id}/retention", b, new JsonObject().put("days", 0), groupId));
    assertStatus(400, call(HttpMethod.PUT, "/api/conversations/{id}/retention", a, new JsonObject().put("days", -1), groupId));
    assertStatus(404, call(HttpMethod.PUT, "/api/conversations/{id}/retention", a, new JsonObject().put("days", 7), "cnope"));
    assertStatus(200, call(HttpMethod.GET, "/api/conversations/{id}/messages", b, null, groupId));
    assertStatus(404, call(HttpMethod.DELETE, "/api/shares/{token}", a, null, token));
    fetch(uploads, "/s/{token}", null, Map.of(), 404, token);

    // Exports: the archive by bearer, and by a one-time link.
    fetch(uploads, "/api/conversations/{id}/export", b, Map.of(), 200, groupId);
    fetch(uploads, "/api/conversations/{id}/export", c, Map.of(), 404, directId);
    for (String query : List.of("?fromSeq=2&to=2100-01-01T00:00:00Z", "?fromSeq=0")) {
      Fetched export = uploads.get(expand("/api/conversations/{id}/export", groupId) + query, b);
      check(HttpMethod.GET, "/api/conversations/{id}/export", export.status(), export.header("content-type"), export.body());
    }
    assertStatus(400, call(HttpMethod.POST, "/api/conversations/{id}/export", a, new JsonObject().put("toSeq", 0), groupId));
    Reply link = call(HttpMethod.POST, "/api/conversations/{id}/export", a, new JsonObject().put("fromSeq", 1).put("toSeq", 3),
        groupId);
    assertStatus(201, link);
    fetch(uploads, "/api/exports/{ticket}", null, Map.of(), 200, link.json().getString("ticket"));
    fetch(uploads, "/api/exports/{ticket}", null, Map.of(), 404, link.json().getString("ticket"));

    // Recall, and leaving.
    assertStatus(204, call(HttpMethod.DELETE, "/api/conversations/{id}/messages/{messageId}", b, null, groupId, replyId));
    assertStatus(400, call(HttpMethod.DELETE, "/api/conversations/{id}/messages/{messageId}", b, null, groupId, "x"));
    assertStatus(200, call(HttpMethod.GET, "/api/conversations/{id}/messages", a, null, groupId));
    assertStatus(204, call(HttpMethod.DELETE, "/api/conversations/{id}/members/{userId}", a, null, groupId, carolId));
    assertStatus(404, call(HttpMethod.DELETE, "/api/conversations/{id}/members/{userId}", a, null, groupId, carolId));
    assertStatus(400, call(HttpMethod.DELETE, "/api/conversations/{id}/members/{userId}", a, null, directId, bobId));

    // Web Push subscriptions (carol is in no conversation now: nothing is ever pushed to the endpoint).
    assertStatus(200, call(HttpMethod.GET, "/api/push-subscriptions/key", c, null));
    JsonObject device = new JsonObject().put("endpoint", "https://push.example.com/send/" + suffix).putNull("expirationTime")
        .put("keys", new JsonObject().put("p256dh", p256Point()).put("auth", "AAAAAAAAAAAAAAAAAAAAAA"));
    Reply subscribed = call(HttpMethod.POST, "/api/push-subscriptions", c, device);
    assertStatus(201, subscribed);
    assertStatus(200, call(HttpMethod.POST, "/api/push-subscriptions", c, device));
    assertStatus(400, call(HttpMethod.POST, "/api/push-subscriptions", c, device.copy().put("endpoint", "ftp://x")));
    assertStatus(200, call(HttpMethod.GET, "/api/push-subscriptions", c, null));
    String subscriptionId = subscribed.json().getJsonObject("subscription").getString("id");
    assertStatus(204, call(HttpMethod.DELETE, "/api/push-subscriptions/{id}", c, null, subscriptionId));
    assertStatus(404, call(HttpMethod.DELETE, "/api/push-subscriptions/{id}", c, null, subscriptionId));

    // Incoming webhooks.
    assertStatus(400, call(HttpMethod.POST, "/api/conversations/{id}/webhooks", a, new JsonObject().put("name", ""), groupId));
    assertStatus(403, call(HttpMethod.POST, "/api/conversations/{id}/webhooks", b, new JsonObject().put("name", "CI"), groupId));
    Reply hook = call(HttpMethod.POST, "/api/conversations/{id}/webhooks", a, new JsonObject().put("name", "CI"), groupId);
    assertStatus(201, hook);
    String hookId = hook.json().getJsonObject("webhook").getString("id");
    String secret = hook.json().getJsonObject("webhook").getString("url").replaceAll(".*/api/hooks/", "");
    assertStatus(200, call(HttpMethod.GET, "/api/conversations/{id}/webhooks", b, null, groupId));
    assertStatus(404, call(HttpMethod.GET, "/api/conversations/{id}/webhooks", api.signUp("outsider").token(), null, groupId));
    JsonObject build = new JsonObject().put("text", "*Build* <https://ci.example.com/1|#1> passed").put("username", "CI bot");
    assertStatus(201, call(HttpMethod.POST, "/api/hooks/{secret}", null, build, secret));
    assertStatus(400, call(HttpMethod.POST, "/api/hooks/{secret}", null, new JsonObject().put("text", 42), secret));
    assertStatus(404, call(HttpMethod.POST, "/api/hooks/{secret}", null, build, "unknown"));
    assertStatus(403, call(HttpMethod.DELETE, "/api/conversations/{id}/webhooks/{webhookId}", b, null, groupId, hookId));
    assertStatus(204, call(HttpMethod.DELETE, "/api/conversations/{id}/webhooks/{webhookId}", a, null, groupId, hookId));
    assertStatus(404, call(HttpMethod.DELETE, "/api/conversations/{id}/webhooks/{webhookId}", a, null, groupId, hookId));

    // Bots.
    Reply bot = call(HttpMethod.POST, "/api/bots", a, new JsonObject().put("username", "echo" + suffix));
    assertStatus(201, bot);
    String botId = bot.json().getJsonObject("user").getString("id");
    assertStatus(404, call(HttpMethod.GET, "/api/bots/{id}/webhook", a, null, botId));
    assertStatus(400, call(HttpMethod.PUT, "/api/bots/{id}/webhook", a, new JsonObject().put("url", "http://10.0.0.1/x"), botId));
    assertStatus(200, call(HttpMethod.PUT, "/api/bots/{id}/webhook", a, new JsonObject().put("url", "https://hooks.example.com/parley"),
        botId));
    assertStatus(403, call(HttpMethod.GET, "/api/bots/{id}/webhook", b, null, botId));
    assertStatus(200, call(HttpMethod.GET, "/api/bots/{id}/webhook", a, null, botId));
    assertStatus(200, call(HttpMethod.POST, "/api/bots/{id}/webhook/resume", a, null, botId));
    assertStatus(204, call(HttpMethod.DELETE, "/api/bots/{id}/webhook", a, null, botId));
    assertStatus(404, call(HttpMethod.DELETE, "/api/bots/{id}/webhook", a, null, botId));
    assertStatus(403, call(HttpMethod.DELETE, "/api/bots/{id}", b, null, botId));
    assertStatus(204, call(HttpMethod.DELETE, "/api/bots/{id}", a, null, botId));
    assertStatus(404, call(HttpMethod.DELETE, "/api/bots/{id}", a, null, bobId));

    // Administration, by the configured admin.
    assertStatus(200, call(HttpMethod.GET, "/api/auth/registration", null, null));
    assertStatus(201, call(HttpMethod.POST, "/api/auth/register", null,
        new JsonObject().put("username", ADMIN).put("password", "correct horse")));
    String root = login(ADMIN).getString("accessToken");
    assertStatus(403, call(HttpMethod.GET, "/api/admin/users", b, null));
    assertStatus(200, call(HttpMethod.GET, "/api/admin/users?q=" + "carol" + suffix, root, null));
    assertStatus(400, call(HttpMethod.GET, "/api/admin/users?limit=0", root, null));
    assertStatus(200, call(HttpMethod.POST, "/api/admin/users/{id}/disable", root, null, carolId));
    assertStatus(403, call(HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("username", "carol" + suffix).put("password", "battery staple")));
    assertStatus(200, call(HttpMethod.POST, "/api/admin/users/{id}/enable", root, null, carolId));
    assertStatus(404, call(HttpMethod.POST, "/api/admin/users/{id}/enable", root, null, "unope"));
    assertStatus(409, call(HttpMethod.POST, "/api/admin/users/{id}/disable", root, null, login(ADMIN).getJsonObject("user")
        .getString("id")));
    Reply reset = call(HttpMethod.POST, "/api/admin/users/{id}/password-reset", root, null, carolId);
    assertStatus(201, reset);
    String resetToken = reset.json().getString("url").replaceAll(".*#reset=", "");
    JsonObject newPassword = new JsonObject().put("token", resetToken).put("newPassword", "correct horse");
    assertStatus(204, call(HttpMethod.POST, "/api/auth/password-reset", null, newPassword));
    assertStatus(400, call(HttpMethod.POST, "/api/auth/password-reset", null, newPassword));
    assertStatus(200, call(HttpMethod.PUT, "/api/admin/users/{id}/admin", root, new JsonObject().put("admin", true), carolId));
    assertStatus(200, call(HttpMethod.PUT, "/api/admin/users/{id}/admin", root, new JsonObject().put("admin", false), carolId));
    assertStatus(400, call(HttpMethod.PUT, "/api/admin/users/{id}/admin", root, new JsonObject().put("admin", "yes"), carolId));
    assertStatus(200, call(HttpMethod.GET, "/api/admin/settings", root, null));
    assertStatus(400, call(HttpMethod.PUT, "/api/admin/settings", root, new JsonObject().put("registration", "maybe")));
    assertStatus(200, call(HttpMethod.PUT, "/api/admin/settings", root, new JsonObject().put("registration", "invite")));
    assertStatus(403, call(HttpMethod.POST, "/api/auth/register", null,
        new JsonObject().put("username", "dave" + suffix).put("password", "correct horse")));
    Reply invitation = call(HttpMethod.POST, "/api/admin/invitations", root, new JsonObject().put("maxUses", 2));
    assertStatus(201, invitation);
    assertStatus(400, call(HttpMethod.POST, "/api/admin/invitations", root, new JsonObject().put("maxUses", 0)));
    assertStatus(201, call(HttpMethod.POST, "/api/auth/register", null, new JsonObject().put("username", "dave" + suffix)
        .put("password", "correct horse").put("inviteCode", invitation.json().getString("code"))));
    assertStatus(200, call(HttpMethod.GET, "/api/admin/invitations", root, null));
    String invitationId = invitation.json().getJsonObject("invitation").getString("id");
    assertStatus(204, call(HttpMethod.DELETE, "/api/admin/invitations/{id}", root, null, invitationId));
    assertStatus(404, call(HttpMethod.DELETE, "/api/admin/invitations/{id}", root, null, invitationId));
    assertStatus(200, call(HttpMethod.PUT, "/api/admin/settings", root, new JsonObject().put("registration", "open")));
    Reply helper = call(HttpMethod.POST, "/api/bots", b, new JsonObject().put("username", "helper" + suffix));
    assertStatus(200, call(HttpMethod.GET, "/api/admin/conversations?q=" + "alice" + suffix, root, null));
    assertStatus(400, call(HttpMethod.GET, "/api/admin/conversations?limit=0", root, null));
    assertStatus(200, call(HttpMethod.GET, "/api/admin/bots", root, null));
    assertStatus(204, call(HttpMethod.DELETE, "/api/admin/bots/{id}", root, null, helper.json().getJsonObject("user").getString("id")));
    assertStatus(404, call(HttpMethod.DELETE, "/api/admin/bots/{id}", root, null, "unope"));
    Reply shared = call(HttpMethod.POST, "/api/conversations/{id}/shares", a, new JsonObject().put("fromSeq", 1).put("toSeq", 1), groupId);
    assertStatus(200, call(HttpMethod.GET, "/api/admin/shares", root, null));
    assertStatus(400, call(HttpMethod.GET, "/api/admin/shares?cursor=x", root, null));
    assertStatus(204, call(HttpMethod.DELETE, "/api/admin/shares/{id}", root, null, shared.json().getJsonObject("share").getString("id")));
    assertStatus(404, call(HttpMethod.DELETE, "/api/admin/shares/{id}", root, null, "snope"));
    assertStatus(200, call(HttpMethod.GET, "/api/admin/server", root, null));
    assertStatus(TestNode.onPostgres() ? 409 : 201, call(HttpMethod.POST, "/api/admin/backups", root, null));
    assertStatus(200, call(HttpMethod.GET, "/api/admin/audit?action=user.", root, null));
    assertStatus(400, call(HttpMethod.GET, "/api/admin/audit?action=Nope", root, null));

    // The push streams' handshakes (their open streams are PushTest's), operations, and the body rules.
    assertStatus(401, call(HttpMethod.GET, "/api/events", null, null));
    assertStatus(400, call(HttpMethod.GET, "/api/events?since=x", a, null));
    assertStatus(400, call(HttpMethod.GET, "/api/ws", a, null));
    assertStatus(200, call(HttpMethod.GET, "/health", null, null));
    fetch(uploads, "/metrics", null, Map.of(), 200);
    fetch(uploads, "/api/openapi.json", null, Map.of(), 200);
    Fetched form = uploads.exchange(HttpMethod.POST, "/api/conversations", a,
        Map.of("Content-Type", "application/x-www-form-urlencoded"), Buffer.buffer("type=group"));
    check(HttpMethod.POST, "/api/conversations", form.status(), form.header("content-type"), form.body());
    assertEquals(415, form.status());
    Fetched huge = uploads.exchange(HttpMethod.POST, "/api/conversations", a, Map.of("Content-Type", "application/json"),
        Buffer.buffer(new JsonObject().put("title", "x".repeat(1_100_000)).encode()));
    check(HttpMethod.POST, "/api/conversations", huge.status(), huge.header("content-type"), huge.body());
    assertEquals(413, huge.status());

    Set<String> untouched = new TreeSet<>();
    document.getJsonObject("paths").forEach(entry -> METHODS.stream()
        .filter(((JsonObject) entry.getValue())::containsKey)
        .map(method -> method.toUpperCase() + " " + entry.getKey())
        .filter(operation -> seen.stream().noneMatch(s -> s.startsWith(operation + " ")))
        .forEach(untouched::add));
    assertEquals(Set.of(), untouched, "operations the session never called; seen: " + seen);
  }

  private JsonObject login(String username) {
    Reply login = call(HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("username", username).put("password", "correct horse"));
    assertStatus(200, login);
    return login.json();
  }

  /** A P-256 public key as {@code PushSubscription.toJSON()} gives it: an uncompressed point, base64url. */
  private static String p256Point() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.interfaces.ECPublicKey key = (java.security.interfaces.ECPublicKey) generator.generateKeyPair().getPublic();
    byte[] point = new byte[65];
    point[0] = 4;
    byte[] x = key.getW().getAffineX().toByteArray();
    byte[] y = key.getW().getAffineY().toByteArray();
    System.arraycopy(x, Math.max(0, x.length - 32), point, 1 + Math.max(0, 32 - x.length), Math.min(32, x.length));
    System.arraycopy(y, Math.max(0, y.length - 32), point, 33 + Math.max(0, 32 - y.length), Math.min(32, y.length));
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(point);
  }

  private static void assertStatus(int expected, Reply reply) {
    assertEquals(expected, reply.status(), reply.raw());
  }

  /**
   * A JSON call on {@code template} (its query, if any, after {@code ?}) with {@code args} in its
   * {@code {params}}: the answer must be one the document gives for its status, and a body the
   * server took must be one the document allows.
   */
  private Reply call(HttpMethod method, String template, String token, JsonObject body, Object... args) {
    String[] pathAndQuery = template.split("\\?", 2);
    String path = expand(pathAndQuery[0], args) + (pathAndQuery.length > 1 ? "?" + pathAndQuery[1] : "");
    Reply reply = api.call(method, path, token, body);
    JsonObject operation = operation(method, pathAndQuery[0]);
    if (body != null && reply.status() < 300) {
      JsonObject schema = operation.getJsonObject("requestBody").getJsonObject("content")
          .getJsonObject("application/json").getJsonObject("schema");
      assertValid(schema, body, method + " " + pathAndQuery[0] + " request body " + body);
    }
    check(method, pathAndQuery[0], reply.status(), reply.headers().get("content-type"),
        reply.raw() == null ? new byte[0] : reply.raw().getBytes(StandardCharsets.UTF_8));
    return reply;
  }

  /** A GET whose body may be bytes (media, pages, metrics): its status and content type must be documented. */
  private Fetched fetch(Uploads uploads, String template, String token, Map<String, String> headers, int status, Object... args) {
    Fetched fetched = uploads.get(expand(template, args), token, headers);
    assertEquals(status, fetched.status(), template + ": " + new String(fetched.body(), StandardCharsets.UTF_8));
    check(HttpMethod.GET, template, fetched.status(), fetched.header("content-type"), fetched.body());
    return fetched;
  }

  /** The answer must be documented for its status; a JSON body must match its schema, an empty one no content. */
  private void check(HttpMethod method, String template, int status, String contentType, byte[] body) {
    String where = method + " " + template + " " + status;
    seen.add(where);
    JsonObject response = operation(method, template).getJsonObject("responses").getJsonObject(String.valueOf(status));
    if (response == null) {
      fail(where + " is not in docs/openapi.json: " + new String(body, StandardCharsets.UTF_8));
    }
    JsonObject content = resolve(response).getJsonObject("content");
    if (content == null) {
      assertEquals(0, body.length, where + ": the document says no body");
      return;
    }
    assertNotNull(contentType, where + ": no Content-Type");
    String type = contentType.split(";")[0].trim();
    JsonObject media = content.getJsonObject(type, content.getJsonObject("*/*"));
    assertNotNull(media, where + ": " + type + " is not among " + content.fieldNames());
    if (type.equals("application/json")) {
      assertValid(media.getJsonObject("schema"), new JsonObject(Buffer.buffer(body)), where);
    }
  }

  private static JsonObject operation(HttpMethod method, String template) {
    JsonObject item = marked.getJsonObject("paths").getJsonObject(template);
    assertNotNull(item, template + " is not a path of docs/openapi.json");
    JsonObject operation = item.getJsonObject(method.name().toLowerCase());
    assertNotNull(operation, method + " " + template + " is not in docs/openapi.json");
    return operation;
  }

  /** Follows a local {@code $ref} (to components/responses, components/parameters) once. */
  private static JsonObject resolve(JsonObject maybeRef) {
    String ref = maybeRef.getString("$ref");
    if (ref == null) {
      return maybeRef;
    }
    JsonObject target = marked;
    for (String step : ref.substring(2).split("/")) {
      target = target.getJsonObject(step.replace("~1", "/").replace("~0", "~"));
      assertNotNull(target, ref + " does not resolve");
    }
    return target;
  }

  private static JsonObject ref(String schema) {
    return marked.getJsonObject("components").getJsonObject("schemas").getJsonObject(schema);
  }

  private static OutputUnit validate(JsonObject schema, Object instance) {
    return schemas.validator(JsonSchema.of(schema), options).validate(instance);
  }

  private static void assertValid(JsonObject schema, Object instance, String where) {
    OutputUnit result = validate(schema, instance);
    if (!result.getValid()) {
      Map<String, String> errors = new TreeMap<>();
      result.getErrors().forEach(e -> errors.put(e.getInstanceLocation() + " " + e.getKeywordLocation(), e.getError()));
      fail(where + " does not match docs/openapi.json:\n" + String.join("\n",
          errors.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()) + "\n" + instance);
    }
  }

  private static String expand(String template, Object... args) {
    Matcher names = Pattern.compile("\\{\\w+}").matcher(template);
    StringBuilder path = new StringBuilder();
    int i = 0;
    while (names.find()) {
      names.appendReplacement(path, Matcher.quoteReplacement(
          URLEncoder.encode(String.valueOf(args[i++]), StandardCharsets.UTF_8)));
    }
    names.appendTail(path);
    assertEquals(args.length, i, template + ": arguments");
    return path.toString();
  }
}
