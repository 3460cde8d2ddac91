package dev.parley.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.auth.Passwords;
import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A send retried with its clientId is stored once, however late the retry: while its key is still
 * in the store's memory, once it has moved to keys.db, across restarts, and in a database written
 * before keys.db existed.
 */
@ExtendWith(VertxExtension.class)
class IdempotencyTest {
  private static Reply send(Api api, Account from, String conversationId, String clientId, String text) {
    return api.post("/api/conversations/" + conversationId + "/messages", from.token(),
        new JsonObject().put("clientId", clientId).put("type", "text").put("text", text));
  }

  private static long query(Path dataDir, String file, String sql) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(file) + "?open_mode=1");
         Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Waits until keys.db holds {@code keys} keys whose clientId starts with {@code prefix}. */
  private static void awaitMoved(Path dataDir, String prefix, long keys) throws Exception {
    String count = "SELECT COUNT(*) FROM client_keys WHERE client_id LIKE '" + prefix + "%'";
    long moved = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).alias("the keys move to keys.db")
        .until(() -> query(dataDir, "keys.db", count), n -> n >= keys);
    assertEquals(keys, moved, "the keys have moved to keys.db");
  }

  private static TestNode restart(TestNode node, long clientKeysLingerMs) {
    node.node().stop().await();
    return TestNode.startIn(node.dataDir(), c -> {
      c.getJsonObject("http").put("port", node.port());
      c.getJsonObject("store").put("clientKeysLingerMs", clientKeysLingerMs);
    });
  }

  @Test
  void aRetryLongAfterTheSendFindsItsMessageInKeysDb(Vertx vertx) throws Exception {
    TestNode node = TestNode.start(c -> c.getJsonObject("store").put("clientKeysLingerMs", 50));
    try (Api api = new Api(vertx, node.port())) {
      Account alice = api.signUp("alice");
      String id = api.direct(alice, api.signUp("bob"));
      String elsewhere = api.direct(alice, api.signUp("carol"));
      JsonObject stored = send(api, alice, id, "late-1", "hello").json().getJsonObject("message");
      awaitMoved(node.dataDir(), "late-", 1);

      Reply retry = send(api, alice, id, "late-1", "hello");
      assertEquals(200, retry.status());
      assertEquals(stored, retry.json().getJsonObject("message"));
      assertEquals(409, send(api, alice, elsewhere, "late-1", "hello").status(), "a clientId belongs to one message");
      assertEquals(201, send(api, alice, id, "late-2", "new").status());
      assertEquals(2, api.get("/api/conversations/" + id + "/messages", alice.token()).json().getJsonArray("messages").size());
    } finally {
      node.close();
    }
  }

  @Test
  void keysStillInMemoryWhenTheNodeStopsAreReadBackAtTheNextStart(Vertx vertx) throws Exception {
    TestNode node = TestNode.start(c -> c.getJsonObject("store").put("clientKeysLingerMs", 3_600_000));
    List<JsonObject> stored = new ArrayList<>();
    String id;
    Account alice;
    try (Api api = new Api(vertx, node.port())) {
      alice = api.signUp("alice");
      id = api.direct(alice, api.signUp("bob"));
      for (int i = 0; i < 5; i++) {
        stored.add(send(api, alice, id, "kept-" + i, "before " + i).json().getJsonObject("message"));
      }
    }
    assertEquals(0, query(node.dataDir(), "keys.db", "SELECT COUNT(*) FROM client_keys"), "nothing has moved yet");

    node = restart(node, 3_600_000);
    try (Api api = new Api(vertx, node.port())) {
      Account again = api.login(alice.username(), "correct horse");
      for (int i = 0; i < 5; i++) {
        Reply retry = send(api, again, id, "kept-" + i, "before " + i);
        assertEquals(200, retry.status(), "found among the messages past the mark");
        assertEquals(stored.get(i), retry.json().getJsonObject("message"));
      }
    }

    node = restart(node, 50);
    try (Api api = new Api(vertx, node.port())) {
      awaitMoved(node.dataDir(), "kept-", 5);
      Account again = api.login(alice.username(), "correct horse");
      assertEquals(200, send(api, again, id, "kept-3", "before 3").status(), "found in keys.db");
      JsonArray history = api.get("/api/conversations/" + id + "/messages", again.token()).json().getJsonArray("messages");
      assertEquals(5, history.size(), "five sends, five messages, after eleven tries");
    } finally {
      node.close();
    }
  }

  /**
   * A data folder written by Parley before client_keys (schema V5): messages with a unique
   * (sender, clientId) constraint and reactions that refer to them. V6 rebuilds messages.
   */
  @Test
  void aDatabaseFromBeforeClientKeysKeepsItsMessagesReactionsAndIdempotency(Vertx vertx) throws Exception {
    Path dataDir = TestNode.tempDir();
    String url = "jdbc:sqlite:" + dataDir.resolve("parley.db");
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("5").load().migrate();
    String hash = new Passwords(vertx, 1024, 1, 1, 1, 64).hash("correct horse").await();
    String now = Instant.now().toString();
    try (Connection db = DriverManager.getConnection(url); Statement sql = db.createStatement()) {
      sql.executeUpdate("INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES"
          + " ('u-ann', 'ann', 'Ann', '" + hash + "', '" + now + "'), ('u-ben', 'ben', 'Ben', '" + hash + "', '" + now + "')");
      sql.executeUpdate("INSERT INTO conversations (id, type, direct_key, activity_id, created_at)"
          + " VALUES ('c-1', 'direct', 'u-ann:u-ben', 1, '" + now + "')");
      sql.executeUpdate("INSERT INTO members (conversation_id, user_id, role, joined_at) VALUES"
          + " ('c-1', 'u-ann', 'member', '" + now + "'), ('c-1', 'u-ben', 'member', '" + now + "')");
      for (int seq = 1; seq <= 3; seq++) {
        sql.executeUpdate("INSERT INTO messages (id, conversation_id, seq, event_id, sender_id, type, text, mentions,"
            + " client_id, created_at) VALUES (" + (seq + 1) + ", 'c-1', " + seq + ", " + (seq + 1) + ", 'u-ann', 'text',"
            + " 'old " + seq + "', '[]', 'old-" + seq + "', '" + now + "')");
      }
      sql.executeUpdate("INSERT INTO reactions (message_id, emoji, user_id, reacted_at) VALUES (2, '👍', 'u-ben', '" + now + "')");
      sql.executeUpdate("UPDATE messages SET reactions = '[{\"emoji\":\"👍\",\"count\":1,\"userIds\":[\"u-ben\"]}]' WHERE id = 2");
    }

    TestNode node = TestNode.startIn(dataDir, c -> { });
    try (Api api = new Api(vertx, node.port())) {
      Account ann = api.login("ann", "correct horse");
      Account ben = api.login("ben", "correct horse");
      JsonArray history = api.get("/api/conversations/c-1/messages", ann.token()).json().getJsonArray("messages");
      assertEquals(List.of("old 1", "old 2", "old 3"), history.stream().map(m -> ((JsonObject) m).getString("text")).toList());
      assertEquals(1, history.getJsonObject(0).getJsonArray("reactions").getJsonObject(0).getInteger("count"));

      Reply retry = send(api, ann, "c-1", "old-2", "old 2");
      assertEquals(200, retry.status(), "a key stored before V6 is found (held in memory, then in keys.db)");
      assertEquals(3, retry.json().getJsonObject("message").getLong("id"));
      assertEquals(4, send(api, ann, "c-1", "new-1", "new").json().getJsonObject("message").getLong("seq"));

      String thumbsUp = "/api/conversations/c-1/messages/2/reactions/" + URLEncoder.encode("👍", StandardCharsets.UTF_8);
      assertEquals(204, api.delete(thumbsUp, ben.token()).status(), "the reaction rows came through the rebuild");
      assertTrue(api.get("/api/conversations/c-1/messages", ann.token()).json().getJsonArray("messages").getJsonObject(0)
          .getJsonArray("reactions").isEmpty());
      assertEquals(204, api.put(thumbsUp, ben.token(), null).status(), "and reactions refer to the new table");
      awaitMoved(dataDir, "old-", 3);
      assertEquals(200, send(api, ann, "c-1", "old-1", "old 1").status(), "found in keys.db");
    } finally {
      node.close();
    }
    assertEquals(0, query(dataDir, "parley.db", "SELECT COUNT(*) FROM pragma_foreign_key_check"), "no broken foreign key");
  }
}
