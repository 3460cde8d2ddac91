package dev.parley.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MessageTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  private Reply send(Account from, String conversationId, JsonObject body) {
    return api.post("/api/conversations/" + conversationId + "/messages", from.token(), body);
  }

  private static JsonObject text(String clientId, String text) {
    return new JsonObject().put("clientId", clientId).put("type", "text").put("text", text);
  }

  private long lastSeq(Account viewer, String conversationId) {
    return api.get("/api/conversations/" + conversationId, viewer.token()).json().getJsonObject("conversation").getLong("lastSeq");
  }

  @Test
  void theSameClientIdTwiceStoresOneMessage() {
    Account a = api.signUp("sender");
    Account b = api.signUp("receiver");
    String id = api.direct(a, b);
    Reply first = send(a, id, text("once-1", "hello"));
    assertEquals(201, first.status());
    JsonObject message = first.json().getJsonObject("message");
    assertEquals(1, message.getLong("seq"));
    assertEquals("hello", message.getString("text"));
    assertEquals(a.id(), message.getString("senderId"));
    assertFalse(message.getBoolean("edited"));
    assertFalse(message.getBoolean("recalled"));
    assertEquals(new JsonArray(), message.getJsonArray("reactions"));

    Reply retry = send(a, id, text("once-1", "hello"));
    assertEquals(200, retry.status());
    assertEquals(message, retry.json().getJsonObject("message"));
    assertEquals(1, lastSeq(a, id));

    String elsewhere = api.direct(a, api.signUp("third"));
    assertEquals(409, send(a, elsewhere, text("once-1", "hello")).status(), "a clientId belongs to one message");
    assertEquals(201, send(b, id, text("once-1", "hello")).status(), "clientIds are per sender");
  }

  @Test
  void badSendsAreRefusedAndChangeNothing() {
    Account a = api.signUp("strict");
    Account b = api.signUp("strict");
    Account outsider = api.signUp("outsider");
    String id = api.direct(a, b);
    String other = api.direct(a, outsider);
    long foreign = api.send(a, other, "elsewhere").getLong("id");

    assertEquals("clientId", send(a, id, new JsonObject().put("type", "text").put("text", "x")).errorField());
    assertEquals("clientId", send(a, id, text("has space", "x")).errorField());
    assertEquals("type", send(a, id, text("b1", "x").put("type", "sticker")).errorField());
    assertEquals("text", send(a, id, text("b2", "   ")).errorField());
    assertEquals("text", send(a, id, text("b3", "x".repeat(8001))).errorField());
    assertEquals("mediaId", send(a, id, text("b4", "x").put("mediaId", "m1")).errorField());
    assertEquals("mediaId", send(a, id, new JsonObject().put("clientId", "b5").put("type", "image")).errorField());
    assertEquals("mediaId", send(a, id, new JsonObject().put("clientId", "b6").put("type", "image").put("mediaId", "m-none")).errorField());
    assertEquals("replyTo", send(a, id, text("b7", "x").put("replyTo", foreign)).errorField());
    assertEquals("replyTo", send(a, id, text("b8", "x").put("replyTo", 99_999_999)).errorField());
    assertEquals("replyTo", send(a, id, text("b9", "x").put("replyTo", "one")).errorField());
    assertEquals("mentions", send(a, id, text("b10", "x").put("mentions", new JsonArray().add(outsider.id()))).errorField());
    assertEquals("mentions", send(a, id, text("b11", "x").put("mentions", "all")).errorField());
    assertEquals(400, api.post("/api/conversations/" + id + "/messages", a.token(), "[1,2]").status());
    assertEquals(0, lastSeq(a, id));

    assertEquals(201, send(a, id, text("b12", "x".repeat(8000))).status(), "8,000 characters is the limit, not past it");
    JsonObject reply = send(a, id, text("b13", "@b hi").put("replyTo", 0L + api.get("/api/conversations/" + id + "/messages", a.token())
        .json().getJsonArray("messages").getJsonObject(0).getLong("id")).put("mentions", new JsonArray().add(b.id()))).json().getJsonObject("message");
    assertEquals(new JsonArray().add(b.id()), reply.getJsonArray("mentions"));
    assertTrue(reply.containsKey("replyTo"));
  }

  @Test
  void fiftyConcurrentSendsGetSeqOneToFiftyWithoutGapsOrDuplicates() {
    Account a = api.signUp("burst");
    Account b = api.signUp("burst");
    String id = api.direct(a, b);
    List<Future<JsonObject>> sends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Account from = i % 2 == 0 ? a : b;
      JsonObject body = text("burst-" + i, "message " + i);
      sends.add(api.onContext(() -> api.http().request(new RequestOptions().setMethod(HttpMethod.POST)
              .setURI("/api/conversations/" + id + "/messages").putHeader("Authorization", "Bearer " + from.token())
              .putHeader("Content-Type", "application/json"))
          .compose(req -> req.send(body.encode()))
          .compose(res -> res.body().map(buf -> new JsonObject(buf.toString()).getJsonObject("message")))));
    }
    Future.all(sends).await();
    List<Long> seqs = sends.stream().map(f -> f.result().getLong("seq")).sorted().toList();
    assertEquals(LongStream.rangeClosed(1, 50).boxed().toList(), seqs);

    JsonArray stored = api.get("/api/conversations/" + id + "/messages?limit=200", a.token()).json().getJsonArray("messages");
    assertEquals(50, stored.size());
    long previousId = 0;
    for (int i = 0; i < 50; i++) {
      JsonObject m = stored.getJsonObject(i);
      assertEquals(i + 1, m.getLong("seq"));
      assertTrue(m.getLong("id") > previousId, "ids increase with seq");
      previousId = m.getLong("id");
    }
  }

  @Test
  void historyPagesBackwardAndForward() {
    Account a = api.signUp("pager");
    Account b = api.signUp("pager");
    String id = api.direct(a, b);
    for (int i = 1; i <= 7; i++) {
      api.send(i % 2 == 0 ? b : a, id, "m" + i);
    }
    String base = "/api/conversations/" + id + "/messages";
    JsonObject newest = api.get(base + "?limit=3", a.token()).json();
    assertEquals(List.of(5L, 6L, 7L), seqs(newest));
    assertTrue(newest.getBoolean("hasMore"));
    JsonObject older = api.get(base + "?limit=3&before=5", a.token()).json();
    assertEquals(List.of(2L, 3L, 4L), seqs(older));
    assertTrue(older.getBoolean("hasMore"));
    JsonObject oldest = api.get(base + "?limit=3&before=2", a.token()).json();
    assertEquals(List.of(1L), seqs(oldest));
    assertFalse(oldest.getBoolean("hasMore"));
    JsonObject after = api.get(base + "?limit=3&after=5", a.token()).json();
    assertEquals(List.of(6L, 7L), seqs(after));
    assertFalse(after.getBoolean("hasMore"));
    assertEquals(List.of(1L, 2L, 3L), seqs(api.get(base + "?limit=3&after=0", a.token()).json()));

    assertEquals("limit", api.get(base + "?limit=0", a.token()).errorField());
    assertEquals("before", api.get(base + "?before=-1", a.token()).errorField());
    assertEquals(400, api.get(base + "?before=3&after=1", a.token()).status());
  }

  private static List<Long> seqs(JsonObject page) {
    return page.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getLong("seq")).toList();
  }

  @Test
  void recallFollowsTheWindowAndTheRoles() throws Exception {
    Account owner = api.signUp("mod");
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.group(owner, "Recalls", alice, bob);
    String base = "/api/conversations/" + id + "/messages/";
    long fresh = api.send(alice, id, "oops").getLong("id");
    awaitIndexed(bob, "oops", 1);
    long old = api.send(alice, id, "from long ago").getLong("id");
    long another = api.send(alice, id, "moderate me").getLong("id");
    node.backdateMessage(old, 180);

    assertEquals(403, api.delete(base + fresh, bob.token()).status(), "a member cannot recall another's message");
    assertEquals(204, api.delete(base + fresh, alice.token()).status());
    assertEquals(204, api.delete(base + fresh, alice.token()).status(), "recalling again changes nothing");
    assertEquals(403, api.delete(base + fresh, bob.token()).status(), "and is still not anyone's to do");
    assertEquals(403, api.delete(base + old, alice.token()).status(), "past the 2-minute window");
    assertEquals(204, api.delete(base + old, owner.token()).status(), "the owner recalls any time");
    assertEquals(204, api.delete(base + another, owner.token()).status());
    assertEquals(404, api.delete(base + 987_654_321, alice.token()).status());
    assertEquals(400, api.delete(base + 1 + "x", alice.token()).status());
    long systemId = api.get("/api/conversations/" + id + "/messages?limit=1&after=0", owner.token()).json()
        .getJsonArray("messages").getJsonObject(0).getLong("id");
    assertEquals(400, api.delete(base + systemId, owner.token()).status(), "system messages stay");

    JsonArray messages = api.get("/api/conversations/" + id + "/messages", bob.token()).json().getJsonArray("messages");
    JsonObject recalled = messages.stream().map(m -> (JsonObject) m).filter(m -> m.getLong("id") == fresh).findFirst().orElseThrow();
    assertTrue(recalled.getBoolean("recalled"));
    assertNull(recalled.getString("text"));
    assertEquals(2, recalled.getLong("seq"), "a recalled message keeps its seq");
    assertEquals(0, api.get("/api/search?q=oops", bob.token()).json().getJsonArray("messages").size(), "and leaves the index");
  }


  @Test
  void theReadPointerOnlyMovesForwardAndUnreadFollowsIt() {
    Account a = api.signUp("reader");
    Account b = api.signUp("writer");
    String id = api.direct(a, b);
    for (int i = 0; i < 5; i++) {
      api.send(b, id, "news " + i);
    }
    String base = "/api/conversations/" + id;
    assertEquals(5, conversationOf(a, id).getInteger("unread"));
    assertEquals(204, api.post(base + "/read", a.token(), new JsonObject().put("seq", 3)).status());
    assertEquals(3, conversationOf(a, id).getInteger("lastReadSeq"));
    assertEquals(2, conversationOf(a, id).getInteger("unread"));
    assertEquals(204, api.post(base + "/read", a.token(), new JsonObject().put("seq", 1)).status());
    assertEquals(3, conversationOf(a, id).getInteger("lastReadSeq"), "never backwards");
    assertEquals(204, api.post(base + "/read", a.token(), new JsonObject().put("seq", 500)).status());
    assertEquals(5, conversationOf(a, id).getInteger("lastReadSeq"), "clamped to the last seq");
    assertEquals(0, conversationOf(a, id).getInteger("unread"));
    assertEquals("seq", api.post(base + "/read", a.token(), new JsonObject().put("seq", -1)).errorField());
    assertEquals("seq", api.post(base + "/read", a.token(), new JsonObject().put("seq", 1.5)).errorField());
    assertEquals(204, api.post(base + "/typing", a.token(), null).status());
  }

  private JsonObject conversationOf(Account viewer, String id) {
    return api.get("/api/conversations/" + id, viewer.token()).json().getJsonObject("conversation");
  }

  @Test
  void searchFindsWordsOnlyInTheCallersConversations() {
    Account a = api.signUp("seeker");
    Account b = api.signUp("seeker");
    Account c = api.signUp("seeker");
    String ab = api.direct(a, b);
    String bc = api.direct(b, c);
    api.send(a, ab, "The quarterly report is ready");
    api.send(b, ab, "Great, send the Report over");
    api.send(b, bc, "secret report for c only");
    awaitIndexed(b, "report", 3);

    JsonArray found = api.get("/api/search?q=repor", a.token()).json().getJsonArray("messages");
    assertEquals(2, found.size());
    assertEquals("Great, send the Report over", found.getJsonObject(0).getString("text"), "newest first");
    assertEquals(1, api.get("/api/search?q=quarterly%20report", a.token()).json().getJsonArray("messages").size());
    assertEquals(3, api.get("/api/search?q=report", b.token()).json().getJsonArray("messages").size());
    assertEquals(1, api.get("/api/search?q=report&conversationId=" + bc, b.token()).json().getJsonArray("messages").size());
    JsonObject page = api.get("/api/search?q=report&limit=2", b.token()).json();
    assertEquals(2, page.getJsonArray("messages").size());
    assertEquals(1, api.get("/api/search?q=report&limit=2&cursor=" + page.getString("nextCursor"), b.token()).json()
        .getJsonArray("messages").size());

    assertEquals(200, api.get("/api/search?q=%22report%22%20OR%20NEAR(", a.token()).status(), "FTS syntax in q is just words");
    assertEquals(3, api.get("/api/search?q=R%C3%89PORT", b.token()).json().getJsonArray("messages").size(),
        "case and accents do not matter");
    Reply tsquery = api.get("/api/search?q=report%20%26%20!x%3A*%20%7C%20'", b.token());
    assertEquals(200, tsquery.status(), "tsquery syntax in q is just words: " + tsquery.raw());
    assertEquals(0, tsquery.json().getJsonArray("messages").size(), "every word is required, x too");
    assertEquals("q", api.get("/api/search?q=", a.token()).errorField());
    assertEquals("q", api.get("/api/search?q=%21%21%21", a.token()).errorField());
  }

  /** The index is written beside the message writer: a new message is searchable a moment later. */
  private void awaitIndexed(Account viewer, String q, int expected) {
    await().atMost(Duration.ofMillis(2_500)).pollInterval(Duration.ofMillis(50)).alias("the search index catches up with " + q)
        .until(() -> api.get("/api/search?q=" + q, viewer.token()).json().getJsonArray("messages").size() >= expected);
  }

  @Test
  void sizeLimitsUnknownPathsAndWrongMethodsAnswerInJson() {
    Account a = api.signUp("limits");
    Account b = api.signUp("limits");
    String id = api.direct(a, b);
    Reply tooLarge = send(a, id, text("big", "x".repeat(1_100_000)));
    assertEquals(413, tooLarge.status());
    assertEquals("too_large", tooLarge.errorCode());
    assertEquals(0, lastSeq(a, id));

    Reply form = api.call(HttpMethod.POST, "/api/conversations/" + id + "/messages", a.token(), null);
    assertEquals(400, form.status(), "no body at all");
    io.vertx.core.buffer.Buffer formBody = io.vertx.core.buffer.Buffer.buffer("clientId=x&type=text");
    Reply asForm = api.onContext(() -> api.http().request(new RequestOptions().setMethod(HttpMethod.POST)
            .setURI("/api/conversations/" + id + "/messages")
            .putHeader("Authorization", "Bearer " + a.token()).putHeader("Content-Type", "application/x-www-form-urlencoded"))
        .compose(req -> req.send(formBody))
        .compose(res -> res.body().map(buf -> new Reply(res.statusCode(), java.util.Map.of(), buf.toString())))).await();
    assertEquals(415, asForm.status());
    assertEquals("unsupported_media_type", asForm.errorCode());

    Reply unknown = api.get("/api/nothing-here", a.token());
    assertEquals(404, unknown.status());
    assertEquals("not_found", unknown.errorCode());
    Reply wrongMethod = api.put("/api/conversations/" + id + "/messages", a.token(), new JsonObject());
    assertEquals(405, wrongMethod.status());
    assertEquals("method_not_allowed", wrongMethod.errorCode());
  }
}
