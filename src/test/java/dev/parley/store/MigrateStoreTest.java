package dev.parley.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ParleyConfig;
import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.PostgresServer;
import dev.parley.support.Samples;
import dev.parley.support.TestNode;
import dev.parley.support.Uploads;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * From one node to a cluster: a SQLite store written by this version (unicode, an edit, reactions,
 * a recall, a picture, a share, a bot) is copied into an empty PostgreSQL database with
 * {@code migrate-store}, and a node on PostgreSQL then shows everything as the SQLite node did:
 * the same history, search, share, media; the same passwords and tokens; a retried send is still
 * recognised, and new messages carry on the seq and the ids.
 */
@ExtendWith(VertxExtension.class)
class MigrateStoreTest {
  @Test
  void aSqliteStoreMovesIntoPostgresqlWithEverythingItHeld(Vertx vertx) throws Exception {
    PostgresServer postgres = PostgresServer.get();
    String url = postgres.newDatabase();
    TestNode sqlite = TestNode.start(c -> c.getJsonObject("store").putNull("database"));
    Path dataDir = sqlite.dataDir();
    Api api = new Api(vertx, sqlite.port());
    Account alice = api.signUp("alice");
    Account bob = api.signUp("bob");
    String direct = api.direct(alice, bob);
    api.send(alice, direct, "héllo wörld 👋 日本語 <b>not bold</b>");
    long edited = api.send(bob, direct, "a typo hre").getLong("id");
    assertEquals(200, api.patch("/api/conversations/" + direct + "/messages/" + edited, bob.token(),
        new JsonObject().put("text", "a typo here")).status());
    assertEquals(204, api.put("/api/conversations/" + direct + "/messages/" + edited + "/reactions/%F0%9F%91%8D",
        alice.token(), null).status());
    assertEquals(204, api.put("/api/conversations/" + direct + "/messages/" + edited + "/reactions/%F0%9F%91%8D",
        bob.token(), null).status());
    long recalled = api.send(alice, direct, "oops").getLong("id");
    assertEquals(204, api.delete("/api/conversations/" + direct + "/messages/" + recalled, alice.token()).status());
    String group = api.group(alice, "Équipe 🚀", bob);
    Uploads uploads = new Uploads(api);
    String mediaId = uploads.upload(alice.token(), "cat.png", "image/png", Samples.png(Samples.halves(64, 32)))
        .json().getJsonObject("media").getString("id");
    Reply picture = api.post("/api/conversations/" + group + "/messages", alice.token(), new JsonObject()
        .put("clientId", "picture-1").put("type", "image").put("mediaId", mediaId).put("text", "our cat"));
    assertEquals(201, picture.status(), picture.raw());
    JsonObject share = api.post("/api/conversations/" + group + "/shares", alice.token(),
        new JsonObject().put("fromSeq", 1).put("toSeq", 2)).json().getJsonObject("share");
    Reply bot = api.post("/api/bots", alice.token(), new JsonObject().put("username", "echo-bot").put("displayName", "Echo"));
    assertEquals(201, bot.status(), bot.raw());

    // SQLite's search index lags the messages by store.searchLingerMs: wait until it has them.
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).alias("the search index has the messages")
        .until(() -> !api.get("/api/search?q=wor", alice.token()).json().getJsonArray("messages").isEmpty());
    Map<String, JsonObject> before = views(api, alice, direct, group, share.getString("token"));
    assertEquals(1, before.get("search").getJsonArray("messages").size(), "the search finds the unicode message");
    api.close();
    sqlite.close();

    MigrateStore.Copied copied = MigrateStore.copy(dataDir.resolve("parley.db"), ParleyConfig.Postgres.from(url, null));
    assertEquals(3L, copied.rows().get("users"), "alice, bob and the bot");
    assertEquals(2L, copied.rows().get("reactions"));

    String secret = Files.readString(dataDir.resolve("jwt-secret")).strip();
    TestNode moved = TestNode.start(c -> {
      c.getJsonObject("store").put("database", url);
      c.getJsonObject("auth").put("jwtSecret", secret);
      c.getJsonObject("media").put("dir", dataDir.resolve("media").toString());
    });
    Api after = new Api(vertx, moved.port());
    try {
      Map<String, JsonObject> now = views(after, alice, direct, group, share.getString("token"));
      before.forEach((view, json) -> assertEquals(json, now.get(view), view + " reads the same, with the old access token"));
      assertEquals(3, after.get("/api/shared/" + share.getString("token"), null).json().getInteger("views"),
          "the share's view count came along (two views, and this one)");
      Account again = after.login(alice.username(), "correct horse");
      assertEquals(alice.id(), again.id(), "the password hash came along");
      assertEquals(200, new Uploads(after).get("/api/media/" + mediaId, bob.token()).status(), "media records too");
      assertEquals(200, after.get("/api/me", bot.json().getString("token")).status(), "the bot's token too");
      Reply retried = after.post("/api/conversations/" + group + "/messages", alice.token(), new JsonObject()
          .put("clientId", "picture-1").put("type", "image").put("mediaId", mediaId).put("text", "our cat"));
      assertEquals(200, retried.status(), "a send retried after the move is recognised: " + retried.raw());
      JsonObject next = after.send(bob, direct, "after the move");
      assertEquals(4, next.getLong("seq"), "seq carries on");
      assertTrue(next.getLong("id") > recalled, "ids carry on");

      IllegalStateException refused = assertThrows(IllegalStateException.class,
          () -> MigrateStore.copy(dataDir.resolve("parley.db"), ParleyConfig.Postgres.from(url, null)));
      assertTrue(refused.getMessage().contains("not empty"), refused.getMessage());
      assertEquals(4, after.get("/api/conversations/" + direct + "/messages", bob.token()).json()
          .getJsonArray("messages").size(), "a refused copy changes nothing");
    } finally {
      after.close();
      moved.close();
    }
  }

  /** What alice sees: both histories, her conversations, a search and the public share. */
  private static Map<String, JsonObject> views(Api api, Account alice, String direct, String group, String shareToken) {
    JsonObject conversations = api.get("/api/conversations", alice.token()).json();
    // Presence is live state, not stored data.
    conversations.getJsonArray("conversations").forEach(c -> ((JsonObject) c).getJsonArray("members")
        .forEach(m -> ((JsonObject) m).remove("online")));
    return Map.of(
        "direct", api.get("/api/conversations/" + direct + "/messages", alice.token()).json(),
        "group", api.get("/api/conversations/" + group + "/messages", alice.token()).json(),
        "conversations", conversations,
        "search", api.get("/api/search?q=wor", alice.token()).json(),
        // Each view counts: compared apart, below.
        "share", withoutViews(api.get("/api/shared/" + shareToken, null).json()));
  }

  private static JsonObject withoutViews(JsonObject share) {
    share.remove("views");
    return share;
  }
}
