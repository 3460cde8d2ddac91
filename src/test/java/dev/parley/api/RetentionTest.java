package dev.parley.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.shared.MediaFiles;
import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.NodeTestBase;
import dev.parley.support.Samples;
import dev.parley.support.TestNode;
import dev.parley.support.Uploads;
import dev.parley.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Message retention: a server default of 30 days, conversations' own settings, and the sweep (every
 * second here, three messages per write job) that deletes what expired with its reactions, search
 * entries and the media nothing else uses. Messages are made old by moving their creation time back
 * in the database, as if they had been sent a month ago.
 */
class RetentionTest extends NodeTestBase {
  /** A month and a day: past the server's default of 30 days. */
  private static final int MONTH_AGO = 31 * 86_400;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(c -> {
      c.put("retention", new JsonObject().put("defaultDays", 30).put("sweepIntervalSeconds", 1).put("batchSize", 3));
      c.getJsonObject("media").put("cleanup", new JsonObject().put("unreferencedMaxAgeSeconds", 3600).put("intervalSeconds", 1));
    });
  }

  @Test
  @Timeout(60)
  void exactlyTheExpiredMessagesGoWithTheirReactionsAndSearchEntries() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    String word = "quokka" + UUID.randomUUID().toString().replaceAll("[^a-f]", "");
    List<JsonObject> sent = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      sent.add(api.send(i % 2 == 0 ? bob : alice, direct, "old " + word + " " + i));
    }
    for (int i = 6; i <= 8; i++) {
      sent.add(api.send(alice, direct, "new " + word + " " + i));
    }
    assertEquals(204, react(bob, direct, sent.get(1), "👍").status());
    assertEquals(204, react(bob, direct, sent.get(6), "🎉").status());
    await().atMost(Duration.ofSeconds(20)).alias("every message is searchable")
        .until(() -> search(alice, word).size() == 8);
    for (JsonObject message : sent.subList(0, 5)) {
      node.backdateMessage(message.getLong("id"), MONTH_AGO);
    }

    await().atMost(Duration.ofSeconds(20)).alias("the five old messages are gone")
        .until(() -> seqs(alice, direct).equals(List.of(6L, 7L, 8L)));
    awaitFullSweep();
    List<JsonObject> left = history(alice, direct);
    assertEquals(List.of(6L, 7L, 8L), seqs(alice, direct), "nothing newer goes, even after more sweeps");
    assertEquals(List.of(sent.get(5).getLong("id"), sent.get(6).getLong("id"), sent.get(7).getLong("id")),
        left.stream().map(m -> m.getLong("id")).toList(), "the newer messages keep their ids and seqs");
    assertEquals("🎉", left.get(1).getJsonArray("reactions").getJsonObject(0).getString("emoji"));
    assertEquals(0, reactionRows(sent.get(1).getLong("id")), "the expired message's reactions are deleted");
    assertEquals(1, reactionRows(sent.get(6).getLong("id")));
    assertEquals(List.of(8L, 7L, 6L), search(alice, word).stream().map(m -> ((JsonObject) m).getLong("seq")).toList(),
        "search finds only what is left");

    assertEquals(9L, api.send(bob, direct, "after the sweep").getLong("seq"), "seq numbering carries on");
    JsonObject conversation = api.get("/api/conversations/" + direct, alice.token()).json().getJsonObject("conversation");
    assertEquals(9L, conversation.getLong("lastSeq"));
    assertEquals(30, conversation.getInteger("retentionDays"));
    assertTrue(conversation.getBoolean("retentionDefault"));
    try (WsClient resumed = api.webSocket(bob, 0L)) {
      assertEquals(List.of(6L, 7L, 8L, 9L), resumed.collect("message", 500).stream()
          .map(f -> f.getJsonObject("data").getLong("seq")).sorted().toList(),
          "a resume from the very start replays what is left");
    }
  }

  @Test
  @Timeout(60)
  void mediaOnlyAnExpiredMessageUsedIsDeletedAndMediaStillInUseStays() throws Exception {
    Uploads uploads = new Uploads(api);
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    JsonObject onlyOld = image(uploads, alice);
    JsonObject alsoNewer = image(uploads, alice);
    JsonObject avatar = image(uploads, alice);
    assertEquals(200, api.patch("/api/me", alice.token(),
        new JsonObject().put("avatarMediaId", avatar.getString("id"))).status());
    List<JsonObject> old = List.of(sendImage(alice, direct, onlyOld), sendImage(alice, direct, alsoNewer),
        sendImage(alice, direct, avatar));
    JsonObject newer = sendImage(bob, direct, alsoNewer);
    JsonObject expiredShare = share(alice, direct, 1, 3);
    JsonObject newerShare = share(alice, direct, 1, newer.getLong("seq"));
    for (JsonObject item : List.of(onlyOld, alsoNewer, avatar)) {
      node.backdateMedia(item.getString("id"), MONTH_AGO);
    }
    for (JsonObject message : old) {
      node.backdateMessage(message.getLong("id"), MONTH_AGO);
    }
    MediaFiles files = new MediaFiles(node.node().config().media().dir());
    assertTrue(Files.exists(files.thumbnail(onlyOld.getString("id"))));

    // Its uploader may read it as long as it exists.
    await().atMost(Duration.ofSeconds(20)).alias("the item only an expired message used is gone")
        .until(() -> uploads.get(onlyOld.getString("url"), alice.token()).status() == 404);
    assertEquals(404, uploads.get(onlyOld.getString("url"), bob.token()).status());
    assertFalse(Files.exists(files.original(onlyOld.getString("id"))), "its file is deleted");
    assertFalse(Files.exists(files.thumbnail(onlyOld.getString("id"))), "and its thumbnail");
    for (JsonObject kept : List.of(alsoNewer, avatar)) {
      assertEquals(200, uploads.get(kept.getString("url"), bob.token()).status(), kept.encode());
      assertEquals(200, uploads.get(kept.getString("thumbnailUrl"), bob.token()).status());
      assertTrue(Files.exists(files.original(kept.getString("id"))));
    }
    assertEquals(List.of(newer.getLong("seq")), seqs(bob, direct));

    JsonObject shown = api.get("/api/shared/" + expiredShare.getString("token"), null).json();
    assertEquals(new JsonArray(), shown.getJsonArray("messages"), "a share of an expired range shows nothing");
    JsonArray rest = api.get("/api/shared/" + newerShare.getString("token"), null).json().getJsonArray("messages");
    assertEquals(1, rest.size(), "a share shows only what is left of its range");
    assertEquals(newer.getLong("id"), rest.getJsonObject(0).getLong("id"));
    assertEquals(200, uploads.get("/api/shared/" + newerShare.getString("token") + "/media/" + alsoNewer.getString("id"),
        null).status(), "the share still serves the item a newer message carries");
  }

  @Test
  void ownersAndAdminsOfAGroupSetItsRetentionWithOneSystemMessagePerChange() {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    Account carol = api.signUp("carol");
    Account dave = api.signUp("dave");
    String group = api.group(alice, "Team", bob, carol);
    JsonObject before = conversation(alice, group);
    assertEquals(30, before.getInteger("retentionDays"), "the server's default");
    assertTrue(before.getBoolean("retentionDefault"));

    assertEquals(403, setDays(bob, group, 7).status(), "a plain member");
    assertEquals(404, setDays(dave, group, 7).status(), "an outsider");
    assertEquals(404, setDays(alice, "cnope", 7).status());
    for (Object bad : new Object[] {-1, 36_501, "7", 1.5, true, new JsonArray().add(7)}) {
      Reply refused = api.put(retentionPath(group), alice.token(), new JsonObject().put("days", bad));
      assertEquals(400, refused.status(), String.valueOf(bad));
      assertEquals("days", refused.errorField());
    }
    assertEquals("days", api.put(retentionPath(group), alice.token(), new JsonObject()).errorField(), "days is required");
    assertEquals(before.getLong("lastSeq"), conversation(alice, group).getLong("lastSeq"), "no refusal wrote anything");
    assertTrue(conversation(alice, group).getBoolean("retentionDefault"));

    Reply week = setDays(alice, group, 7);
    assertEquals(200, week.status(), week.raw());
    assertEquals(7, week.json().getJsonObject("conversation").getInteger("retentionDays"));
    assertFalse(week.json().getJsonObject("conversation").getBoolean("retentionDefault"));
    JsonObject announced = history(bob, group).get(history(bob, group).size() - 1);
    assertEquals("system", announced.getString("type"));
    assertEquals(new JsonObject().put("action", "retention").put("userId", alice.id()).put("by", alice.id())
        .put("retentionDays", 7).put("retentionDefault", false), announced.getJsonObject("system"));
    long afterChange = conversation(alice, group).getLong("lastSeq");
    assertEquals(200, setDays(alice, group, 7).status());
    assertEquals(afterChange, conversation(alice, group).getLong("lastSeq"), "the same setting again adds no system message");

    assertEquals(204, api.patch("/api/conversations/" + group + "/members/" + carol.id(), alice.token(),
        new JsonObject().put("role", "admin")).status());
    Reply serverDefault = api.put(retentionPath(group), carol.token(), new JsonObject().putNull("days"));
    assertEquals(200, serverDefault.status(), "an admin may");
    assertEquals(30, serverDefault.json().getJsonObject("conversation").getInteger("retentionDays"));
    assertTrue(serverDefault.json().getJsonObject("conversation").getBoolean("retentionDefault"));
    assertEquals(0, setDays(alice, group, 0).json().getJsonObject("conversation").getInteger("retentionDays"), "0: forever");
    assertEquals(afterChange + 2, conversation(bob, group).getLong("lastSeq"), "one system message per change");

    String direct = api.direct(alice, bob);
    assertEquals(200, setDays(bob, direct, 90).status(), "either member of a direct conversation");
    assertEquals(90, conversation(alice, direct).getInteger("retentionDays"));
  }

  @Test
  @Timeout(60)
  void aConversationKeptForeverKeepsEverythingUnderTheServersDefault() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    List<JsonObject> sent = List.of(api.send(alice, direct, "one"), api.send(bob, direct, "two"),
        api.send(alice, direct, "three"));
    assertEquals(200, setDays(alice, direct, 0).status());
    for (JsonObject message : sent) {
      node.backdateMessage(message.getLong("id"), MONTH_AGO + 3_600);
    }
    // The change came after the messages: sent a month ago too.
    node.backdateMessage(history(alice, direct).get(3).getLong("id"), MONTH_AGO);

    awaitFullSweep();
    assertEquals(List.of(1L, 2L, 3L, 4L), seqs(alice, direct), "kept forever, whatever the server's default");

    assertEquals(200, api.put(retentionPath(direct), bob.token(), new JsonObject().putNull("days")).status());
    await().atMost(Duration.ofSeconds(20)).alias("back on the server's default, the old messages go")
        .until(() -> seqs(alice, direct).equals(List.of(5L)));
  }

  @Test
  @Timeout(90)
  void seqAndEventIdsCarryOnAfterARestartWhenEveryMessageExpired() throws Exception {
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    JsonObject first = api.send(alice, direct, "first");
    JsonObject second = api.send(bob, direct, "second");
    assertEquals(204, react(bob, direct, first, "👍").status());
    node.backdateMessage(first.getLong("id"), MONTH_AGO);
    node.backdateMessage(second.getLong("id"), MONTH_AGO);
    await().atMost(Duration.ofSeconds(20)).alias("every message of the conversation is gone")
        .until(() -> seqs(alice, direct).isEmpty());
    // The probes' messages are the newest the server handed out, and they are gone too.
    long newestBefore = awaitFullSweep();

    node = node.restart();
    api.close();
    api = new Api(api.vertx, node.port());
    JsonObject after = api.send(alice, direct, "after the restart");
    assertEquals(3L, after.getLong("seq"), "the seq carries on from the deleted messages");
    assertTrue(after.getLong("id") > newestBefore, after.getLong("id") + " must be past " + newestBefore);
    assertEquals(3L, conversation(bob, direct).getLong("lastSeq"));
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static String retentionPath(String conversationId) {
    return "/api/conversations/" + conversationId + "/retention";
  }

  private Reply setDays(Account who, String conversationId, int days) {
    return api.put(retentionPath(conversationId), who.token(), new JsonObject().put("days", days));
  }

  private JsonObject conversation(Account who, String conversationId) {
    return api.get("/api/conversations/" + conversationId, who.token()).json().getJsonObject("conversation");
  }

  private List<JsonObject> history(Account who, String conversationId) {
    JsonArray messages = api.get("/api/conversations/" + conversationId + "/messages?limit=200", who.token()).json()
        .getJsonArray("messages");
    List<JsonObject> list = new ArrayList<>();
    messages.forEach(m -> list.add((JsonObject) m));
    return list;
  }

  private List<Long> seqs(Account who, String conversationId) {
    return history(who, conversationId).stream().map(m -> m.getLong("seq")).toList();
  }

  private JsonArray search(Account who, String word) {
    return api.get("/api/search?q=" + word, who.token()).json().getJsonArray("messages");
  }

  private Reply react(Account who, String conversationId, JsonObject message, String emoji) {
    return api.put("/api/conversations/" + conversationId + "/messages/" + message.getLong("id") + "/reactions/"
        + URLEncoder.encode(emoji, StandardCharsets.UTF_8), who.token(), null);
  }

  private JsonObject share(Account who, String conversationId, long fromSeq, long toSeq) {
    Reply created = api.post("/api/conversations/" + conversationId + "/shares", who.token(),
        new JsonObject().put("fromSeq", fromSeq).put("toSeq", toSeq));
    assertEquals(201, created.status(), created.raw());
    return created.json().getJsonObject("share");
  }

  private static JsonObject image(Uploads uploads, Account owner) {
    Uploads.Fetched reply = uploads.upload(owner.token(), "cat.png", "image/png", Samples.png(Samples.halves(64, 32)));
    assertEquals(201, reply.status());
    return reply.json().getJsonObject("media");
  }

  private JsonObject sendImage(Account from, String conversationId, JsonObject media) {
    Reply sent = api.post("/api/conversations/" + conversationId + "/messages", from.token(), new JsonObject()
        .put("clientId", "m-" + UUID.randomUUID()).put("type", "image").put("mediaId", media.getString("id")));
    assertEquals(201, sent.status(), sent.raw());
    return sent.json().getJsonObject("message");
  }

  private static long reactionRows(long messageId) throws Exception {
    try (Connection db = node.database();
         PreparedStatement count = db.prepareStatement("SELECT COUNT(*) FROM reactions WHERE message_id = ?")) {
      count.setLong(1, messageId);
      try (ResultSet rows = count.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /**
   * Waits until a whole sweep has run after this call, so whatever it would delete is gone: a probe
   * conversation made now is in no sweep that started before, so its expired message goes in a
   * later one; a second probe, made once the first is gone, goes in a sweep that started after
   * that one ended. Returns the id of the second probe's message.
   */
  private long awaitFullSweep() throws Exception {
    long id = 0;
    for (int i = 0; i < 2; i++) {
      Account a = api.signUp("probe");
      Account b = api.signUp("probe");
      String probe = api.direct(a, b);
      id = api.send(a, probe, "probe").getLong("id");
      node.backdateMessage(id, MONTH_AGO);
      await().atMost(Duration.ofSeconds(20)).alias("the probe message is swept").until(() -> seqs(a, probe).isEmpty());
    }
    return id;
  }

}
