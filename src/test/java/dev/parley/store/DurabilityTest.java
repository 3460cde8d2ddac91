package dev.parley.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("slow")
@ExtendWith(VertxExtension.class)
class DurabilityTest {
  @Test
  void aRestartOnTheSameDataDirectoryKeepsHistoryTokensAndCounters(Vertx vertx) {
    TestNode node = TestNode.start();
    Account alice;
    Account bob;
    String id;
    long lastId;
    try (Api api = new Api(vertx, node.port())) {
      alice = api.signUp("alice");
      bob = api.signUp("bob");
      id = api.direct(alice, bob);
      for (int i = 1; i <= 10; i++) {
        api.send(i % 2 == 0 ? alice : bob, id, "before restart " + i);
      }
      lastId = api.send(alice, id, "last words").getLong("id");
      api.direct(alice, api.signUp("carol"));
    }

    node = node.restart();
    try (Api api = new Api(vertx, node.port())) {
      JsonArray history = api.get("/api/conversations/" + id + "/messages", bob.token()).json().getJsonArray("messages");
      assertEquals(11, history.size(), "the access token signed before the restart still works: the key is kept in data/");
      assertEquals("last words", history.getJsonObject(10).getString("text"));
      JsonObject next = api.send(bob, id, "after restart");
      assertEquals(12, next.getLong("seq"), "seq continues without a gap");
      assertTrue(next.getLong("id") > lastId, "ids keep increasing");
      assertEquals(200, api.post("/api/auth/refresh", null, new JsonObject().put("refreshToken", alice.refreshToken())).status());
      String newest = api.direct(alice, api.signUp("dave"));
      assertEquals(newest, api.get("/api/conversations", alice.token()).json().getJsonArray("conversations").getJsonObject(0)
          .getString("id"), "activity ordering continues past the restart too");
    } finally {
      node.close();
    }
  }

  @Test
  void aLostSearchIndexIsRebuiltFromTheMessages(Vertx vertx) throws Exception {
    TestNode node = TestNode.start();
    Account alice;
    try (Api api = new Api(vertx, node.port())) {
      alice = api.signUp("alice");
      String id = api.direct(alice, api.signUp("bob"));
      for (int i = 0; i < 30; i++) {
        api.send(alice, id, "findable number " + i);
      }
      api.send(alice, id, "gone soon");
    }
    node.node().stop().await();
    for (String file : new String[] {"search.db", "search.db-wal", "search.db-shm"}) {
      java.nio.file.Files.deleteIfExists(node.dataDir().resolve(file));
    }
    node = TestNode.startIn(node.dataDir(), c -> { });
    try (Api api = new Api(vertx, node.port())) {
      Account again = api.login(alice.username(), "correct horse");
      int found = await().atMost(Duration.ofMillis(2_500)).pollInterval(Duration.ofMillis(50))
          .alias("every message is searchable again")
          .until(() -> api.get("/api/search?q=findable&limit=200", again.token()).json().getJsonArray("messages").size(), n -> n >= 30);
      assertEquals(30, found, "every message is searchable again");
    } finally {
      node.close();
    }
  }

  @Test
  void messagesStoredWhileTheSearchIndexIsLockedBecomeSearchableOnceItIsFree(Vertx vertx) throws Exception {
    TestNode node = TestNode.start();
    try (Api api = new Api(vertx, node.port())) {
      Account alice = api.signUp("alice");
      String id = api.direct(alice, api.signUp("bob"));
      api.send(alice, id, "warm index");
      awaitFound(api, alice, "warm", 1);
      // Another process holds search.db's write lock past the index writer's busy timeout (5 s).
      try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + node.dataDir().resolve("search.db"));
           java.sql.Statement lock = other.createStatement()) {
        lock.execute("BEGIN EXCLUSIVE");
        for (int i = 0; i < 5; i++) {
          api.send(alice, id, "quokka number " + i);
        }
        Thread.sleep(6_500);
        assertEquals(200, api.get("/api/search?q=quokka", alice.token()).status(), "search answers meanwhile");
        lock.execute("ROLLBACK");
      }
      awaitFound(api, alice, "quokka", 5);
      api.send(alice, id, "quokka after");
      awaitFound(api, alice, "quokka", 6);
    } finally {
      node.close();
    }
  }

  /** Waits until {@code q} finds {@code expected} messages; the index retries every 2 s. */
  private static void awaitFound(Api api, Account viewer, String q, int expected) throws InterruptedException {
    int found = await().atMost(Duration.ofMillis(7_500)).pollInterval(Duration.ofMillis(50))
        .alias("the index catches up with " + q)
        .until(() -> api.get("/api/search?q=" + q, viewer.token()).json().getJsonArray("messages").size(), n -> n >= expected);
    assertEquals(expected, found, "the index caught up with " + q);
  }

  @Test
  void everyAcknowledgedMessageSurvivesAShutdownUnderLoad(Vertx vertx) {
    TestNode node = TestNode.start();
    Account alice;
    String id;
    List<Long> acknowledged = new ArrayList<>();
    try (Api api = new Api(vertx, node.port())) {
      alice = api.signUp("alice");
      id = api.direct(alice, api.signUp("bob"));
      List<Future<Integer>> sends = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        JsonObject body = new JsonObject().put("clientId", "load-" + i).put("type", "text").put("text", "m" + i);
        sends.add(api.onContext(() -> api.http().request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/conversations/" + id + "/messages")
                .putHeader("Authorization", "Bearer " + alice.token()).putHeader("Content-Type", "application/json"))
            .compose(req -> req.send(body.encode()))
            .compose(res -> res.body().map(buf -> {
              if (res.statusCode() == 201) {
                synchronized (acknowledged) {
                  acknowledged.add(new JsonObject(buf.toString()).getJsonObject("message").getLong("seq"));
                }
              }
              return res.statusCode();
            }))
            .otherwise(-1)));
      }
      // Stop while the sends are in flight: whatever was acknowledged must be there afterwards.
      node.node().stop().await();
      Future.join(sends).otherwiseEmpty().await();
    }
    node = TestNode.startIn(node.dataDir(), c -> { });
    try (Api api = new Api(vertx, node.port())) {
      Account again = api.login(alice.username(), "correct horse");
      JsonArray stored = api.get("/api/conversations/" + id + "/messages?limit=200", again.token()).json().getJsonArray("messages");
      List<Long> seqs = stored.stream().map(m -> ((JsonObject) m).getLong("seq")).toList();
      for (Long seq : acknowledged) {
        assertTrue(seqs.contains(seq), "acknowledged seq " + seq + " was lost");
      }
      for (int i = 0; i < seqs.size(); i++) {
        assertEquals(i + 1, seqs.get(i), "no gap");
      }
    } finally {
      node.close();
    }
  }
}
