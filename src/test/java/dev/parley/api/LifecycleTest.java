package dev.parley.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.NodeTestBase;
import dev.parley.support.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Edits and reactions over real HTTP: who may, when, and what every read of the message shows. */
class LifecycleTest extends NodeTestBase {
  @BeforeAll
  static void startNode() {
    node = TestNode.start();
  }

  private String messagePath(String conversationId, long messageId) {
    return "/api/conversations/" + conversationId + "/messages/" + messageId;
  }

  private Reply edit(Account who, String conversationId, long messageId, String text) {
    return api.patch(messagePath(conversationId, messageId), who.token(), new JsonObject().put("text", text));
  }

  private String reactionPath(String conversationId, long messageId, String emoji) {
    return messagePath(conversationId, messageId) + "/reactions/" + URLEncoder.encode(emoji, StandardCharsets.UTF_8);
  }

  private JsonObject inHistory(Account viewer, String conversationId, long messageId) {
    return api.get("/api/conversations/" + conversationId + "/messages?limit=200", viewer.token()).json()
        .getJsonArray("messages").stream().map(m -> (JsonObject) m)
        .filter(m -> m.getLong("id") == messageId).findFirst().orElseThrow();
  }

  @Test
  void theSenderEditsWithinTheWindowAndNobodyElseDoes() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    JsonObject sent = api.send(alice, id, "helo wrld");
    long messageId = sent.getLong("id");

    Reply edited = edit(alice, id, messageId, "hello world");
    assertEquals(200, edited.status());
    JsonObject message = edited.json().getJsonObject("message");
    assertEquals("hello world", message.getString("text"));
    assertTrue(message.getBoolean("edited"));
    assertNotNull(message.getString("editedAt"));
    assertEquals(messageId, message.getLong("id"), "an edit keeps id and seq");
    assertEquals(sent.getLong("seq"), message.getLong("seq"));
    assertEquals(message, inHistory(bob, id, messageId), "history returns the new text");
    assertEquals(message, edit(alice, id, messageId, "hello world").json().getJsonObject("message"),
        "the same edit again changes nothing");
    long untouched = api.send(alice, id, "already right").getLong("id");
    assertTrue(edit(alice, id, untouched, "already right").json().getJsonObject("message").getBoolean("edited"),
        "an edit that keeps the text is still an edit");

    Reply byOther = edit(bob, id, messageId, "not mine");
    assertEquals(403, byOther.status());
    assertEquals("forbidden", byOther.errorCode());
    assertEquals(404, edit(api.signUp("eve"), id, messageId, "outsider").status());
    assertEquals(404, edit(alice, id, 987_654_321L, "nothing there").status());
    assertEquals("text", edit(alice, id, messageId, "   ").errorField());
    assertEquals("text", edit(alice, id, messageId, "x".repeat(8001)).errorField());
    assertEquals("messageId", edit(alice, id, -1, "x").errorField());

    long old = api.send(alice, id, "written yesterday").getLong("id");
    node.backdateMessage(old, 25 * 3600);
    Reply late = edit(alice, id, old, "too late");
    assertEquals(403, late.status());
    assertTrue(late.json().getJsonObject("error").getString("message").contains("24 hours"));
    assertEquals("written yesterday", inHistory(alice, id, old).getString("text"));
  }

  @Test
  void recalledAndSystemMessagesCannotBeEdited() {
    Account owner = api.signUp("owner");
    Account bob = api.signUp("bob");
    String id = api.group(owner, "Edits", bob);
    long messageId = api.send(owner, id, "soon gone").getLong("id");
    assertEquals(204, api.delete(messagePath(id, messageId), owner.token()).status());
    Reply recalled = edit(owner, id, messageId, "back again");
    assertEquals(409, recalled.status());
    assertEquals("conflict", recalled.errorCode());
    assertFalse(inHistory(bob, id, messageId).containsKey("text"));

    long created = api.get("/api/conversations/" + id + "/messages?after=0&limit=1", owner.token()).json()
        .getJsonArray("messages").getJsonObject(0).getLong("id");
    assertEquals(400, edit(owner, id, created, "a new beginning").status(), "system messages stay as they are");
  }

  @Test
  void anEditReindexesTheTextAndRecomputesMentions() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account carol = api.signUp("carol");
    String id = api.group(alice, "Search", bob, carol);
    JsonObject sent = api.post("/api/conversations/" + id + "/messages", alice.token(), new JsonObject()
        .put("clientId", "mention-1").put("type", "text").put("text", "@" + bob.username() + " and @" + carol.username()
            + " see the zeppelin")
        .put("mentions", new JsonArray().add(bob.id()).add(carol.id()))).json().getJsonObject("message");
    long messageId = sent.getLong("id");
    awaitSearch(bob, "zeppelin", 1);

    JsonObject edited = edit(alice, id, messageId, "@" + carol.username() + " see the dirigible").json().getJsonObject("message");
    assertEquals(new JsonArray().add(carol.id()), edited.getJsonArray("mentions"), "bob's @name is gone, so is his mention");
    awaitSearch(bob, "dirigible", 1);
    assertEquals(0, search(bob, "zeppelin").size(), "the old text's words no longer find it");
    assertEquals("@" + carol.username() + " see the dirigible", search(bob, "dirigible").getJsonObject(0).getString("text"));

    JsonObject given = api.patch(messagePath(id, messageId), alice.token(), new JsonObject().put("text", "see the airship")
        .put("mentions", new JsonArray().add(bob.id()))).json().getJsonObject("message");
    assertEquals(new JsonArray().add(bob.id()), given.getJsonArray("mentions"), "mentions given with the edit replace them");
    assertEquals("mentions", api.patch(messagePath(id, messageId), alice.token(), new JsonObject().put("text", "x")
        .put("mentions", new JsonArray().add(api.signUp("stranger").id()))).errorField());
  }

  @Test
  void reactionsAreIdempotentCountedAndShownOnEveryRead() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    long messageId = api.send(alice, id, "react to the pelican").getLong("id");
    String thumbs = reactionPath(id, messageId, "👍");

    assertEquals(204, api.put(thumbs, bob.token(), null).status());
    assertEquals(204, api.put(thumbs, bob.token(), null).status(), "the same reaction again changes nothing");
    assertEquals(204, api.put(thumbs, alice.token(), null).status());
    assertEquals(204, api.put(reactionPath(id, messageId, "❤️"), bob.token(), null).status());
    JsonArray reactions = inHistory(alice, id, messageId).getJsonArray("reactions");
    assertEquals(new JsonArray()
        .add(new JsonObject().put("emoji", "👍").put("count", 2).put("userIds", new JsonArray().add(bob.id()).add(alice.id())))
        .add(new JsonObject().put("emoji", "❤️").put("count", 1).put("userIds", new JsonArray().add(bob.id()))), reactions);
    JsonObject conversation = api.get("/api/conversations/" + id, bob.token()).json().getJsonObject("conversation");
    assertEquals(reactions, conversation.getJsonObject("lastMessage").getJsonArray("reactions"));
    awaitSearch(bob, "pelican", 1);
    assertEquals(reactions, search(bob, "pelican").getJsonObject(0).getJsonArray("reactions"));

    assertEquals(204, api.delete(thumbs, bob.token()).status());
    assertEquals(204, api.delete(thumbs, bob.token()).status(), "removing what is not there is fine too");
    assertEquals(204, api.delete(reactionPath(id, messageId, "❤️"), bob.token()).status());
    assertEquals(new JsonArray().add(new JsonObject().put("emoji", "👍").put("count", 1).put("userIds", new JsonArray().add(alice.id()))),
        inHistory(bob, id, messageId).getJsonArray("reactions"));
  }

  @Test
  void onlyOneEmojiAtATimeAndABoundedNumberPerMessage() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String id = api.direct(alice, bob);
    long messageId = api.send(alice, id, "pick one").getLong("id");
    for (String bad : List.of("a", "1", "👍👍", "👍 ", ":+1:", "\u200d", "🇫", "x".repeat(40))) {
      Reply refused = api.put(reactionPath(id, messageId, bad), bob.token(), null);
      assertEquals(400, refused.status(), bad);
      assertEquals("emoji", refused.errorField());
    }
    for (String good : List.of("👍🏽", "👩‍💻", "🇫🇷", "1️⃣", "🏴\uDB40\uDC67\uDB40\uDC62\uDB40\uDC65\uDB40\uDC6E\uDB40\uDC67\uDB40\uDC7F",
        "🧑🏻‍❤️‍💋‍🧑🏼", "©")) {
      assertEquals(204, api.put(reactionPath(id, messageId, good), bob.token(), null).status(), good);
    }
    int[] more = {0x1F600, 0x1F601, 0x1F602, 0x1F603, 0x1F604, 0x1F605, 0x1F606, 0x1F607, 0x1F608, 0x1F609, 0x1F60A,
        0x1F60B, 0x1F60C};
    for (int cp : more) {
      assertEquals(204, api.put(reactionPath(id, messageId, Character.toString(cp)), alice.token(), null).status());
    }
    assertEquals(20, inHistory(alice, id, messageId).getJsonArray("reactions").size());
    assertEquals(409, api.put(reactionPath(id, messageId, "🎉"), alice.token(), null).status(), "a 21st emoji");
    assertEquals(204, api.put(reactionPath(id, messageId, "👍🏽"), alice.token(), null).status(), "one already there is fine");

    assertEquals(404, api.put(reactionPath(id, 987_654_321L, "👍"), bob.token(), null).status());
    assertEquals(404, api.put(reactionPath(id, messageId, "👍"), api.signUp("eve").token(), null).status());
    api.delete(messagePath(id, messageId), alice.token());
    assertEquals(new JsonArray(), inHistory(bob, id, messageId).getJsonArray("reactions"), "a recall takes the reactions");
    assertEquals(409, api.put(reactionPath(id, messageId, "👍"), bob.token(), null).status());
  }

  private JsonArray search(Account viewer, String q) {
    return api.get("/api/search?q=" + q, viewer.token()).json().getJsonArray("messages");
  }

  /** The index is written beside the message writer: a change is searchable a moment later. */
  private void awaitSearch(Account viewer, String q, int expected) {
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).alias("the search index catches up with " + q)
        .until(() -> search(viewer, q).size() >= expected);
  }

}
