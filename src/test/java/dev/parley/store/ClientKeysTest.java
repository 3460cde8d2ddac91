package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Idempotency keys moving from memory to keys.db, on the shipped schemas in real SQLite files. */
@ExtendWith(VertxExtension.class)
class ClientKeysTest {
  Vertx vertx;
  Context context;
  SqliteDatabase database;
  SqlConnection conn;
  ClientKeys keys;

  @BeforeEach
  void open(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    context = vertx.getOrCreateContext();
    database = new SqliteDatabase(vertx, dir, 2);
    database.open().await();
    conn = database.connectWriter().await();
    conn.query("INSERT INTO users (id, username, display_name, created_at) VALUES ('u1', 'ann', 'Ann', 'now'),"
        + " ('u2', 'ben', 'Ben', 'now')").execute().await();
    conn.query("INSERT INTO conversations (id, type, created_at) VALUES ('c1', 'direct', 'now')").execute().await();
    keys = started();
  }

  @AfterEach
  void close() {
    conn.close().await();
    database.close().await();
  }

  /** Runs on one Vert.x context, as the store verticle does. */
  private <T> T onContext(Supplier<Future<T>> action) {
    return Future.<T>future(p -> context.runOnContext(v -> action.get().onComplete(p))).await();
  }

  /** A store that starts on this data: it loads the mark and the keys past it. */
  private ClientKeys started() {
    ClientKeys loaded = new ClientKeys(vertx, database.dialect(), database.keys());
    onContext(() -> loaded.load(conn));
    return loaded;
  }

  /** Stores messages from+1..to, alternately from u1 and u2, with client ids k{id}. */
  private void store(long from, long to) {
    conn.preparedQuery("WITH RECURSIVE n(i) AS (SELECT ? + 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
            + " INSERT INTO messages (id, conversation_id, seq, event_id, sender_id, type, text, client_id, created_at)"
            + " SELECT i, 'c1', i, i, CASE WHEN i % 2 = 0 THEN 'u2' ELSE 'u1' END, 'text', 'm' || i, 'k' || i, 'now' FROM n")
        .execute(Tuple.of(from, to)).await();
  }

  /** Stores messages as the store does: each key held from the moment its row is built. */
  private void storeAndHold(long from, long to) {
    store(from, to);
    onContext(() -> {
      for (long id = from + 1; id <= to; id++) {
        keys.add(id % 2 == 0 ? "u2" : "u1", "k" + id, id);
      }
      return Future.succeededFuture();
    });
  }

  private long keysDb(String sql) {
    return database.keys().query(sql).execute().await().iterator().next().getLong(0);
  }

  @Test
  void aBacklogLargerThanOneMoveGoesInSeveralAndEveryKeyIsAlwaysInOnePlace() {
    long count = ClientKeys.MAX_MOVE + 1_000;
    storeAndHold(0, count);
    keys.committed(count);

    onContext(keys::move);
    assertEquals(ClientKeys.MAX_MOVE, keysDb("SELECT COUNT(*) FROM client_keys"), "one move takes the oldest, no more");
    assertEquals(ClientKeys.MAX_MOVE, keysDb("SELECT up_to FROM moved"));
    assertEquals(1_000, keys.waiting());
    assertNull(keys.recent("u2", "k" + ClientKeys.MAX_MOVE), "moved keys leave memory");
    assertEquals(ClientKeys.MAX_MOVE + 1L, keys.recent("u1", "k" + (ClientKeys.MAX_MOVE + 1)));
    assertEquals(java.util.List.of(7L), onContext(() -> keys.older(java.util.List.of("u1", "k7"))));

    onContext(keys::move);
    assertEquals(count, keysDb("SELECT COUNT(*) FROM client_keys"));
    assertEquals(0, keys.waiting());
    assertEquals(count, keys.mark());
  }

  @Test
  void keysOfMessagesNotYetCommittedStayInMemory() {
    storeAndHold(0, 10);
    keys.committed(6);
    onContext(keys::move);
    assertEquals(6, keysDb("SELECT COUNT(*) FROM client_keys"));
    assertEquals(4, keys.waiting());
    assertEquals(8L, keys.recent("u2", "k8"));
  }

  @Test
  void atStartTheKeysPastTheMarkAreReadBackFromTheMessages() {
    storeAndHold(0, 3_000);
    keys.committed(3_000);
    onContext(keys::move);
    store(3_000, 3_003);

    ClientKeys restarted = started();
    assertEquals(3, restarted.waiting(), "only the messages past the mark");
    assertEquals(3_000, restarted.mark());
    assertEquals(3_002L, restarted.recent("u2", "k3002"));
    assertNull(restarted.recent("u1", "k1"), "older keys are in keys.db");
  }

  @Test
  void keysOfMessagesThatAreGoneAreForgottenWhenParleyDbIsOlderThanKeysDb() {
    storeAndHold(0, 100);
    keys.committed(100);
    onContext(keys::move);
    conn.query("DELETE FROM messages WHERE id > 60").execute().await();  // parley.db restored from an older copy

    ClientKeys restarted = started();
    assertEquals(60, restarted.mark());
    assertEquals(60, keysDb("SELECT MAX(message_id) FROM client_keys"));
    assertEquals(60, keysDb("SELECT up_to FROM moved"));
    assertEquals(java.util.List.of(), onContext(() -> restarted.older(java.util.List.of("u1", "k61"))),
        "message 61's id will be handed out again, to another message");
  }

  @Test
  void aMissingKeysDbIsRebuiltChunkByChunkAtStart() {
    long count = ClientKeys.CATCH_UP_CHUNK + 500;
    store(0, count);

    ClientKeys restarted = started();
    assertEquals(ClientKeys.CATCH_UP_CHUNK, keysDb("SELECT COUNT(*) FROM client_keys"), "copied, not held");
    assertEquals(ClientKeys.CATCH_UP_CHUNK, restarted.mark());
    assertEquals(500, restarted.waiting());
    assertEquals(count, restarted.recent(count % 2 == 0 ? "u2" : "u1", "k" + count));
  }
}
