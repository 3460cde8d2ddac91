package dev.parley.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.NodeProcess;
import dev.parley.support.PostgresServer;
import dev.parley.support.StoreLoss;
import dev.parley.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two store nodes on one PostgreSQL database (processes of their own, so that one can be killed
 * the way a machine dies) and a front node with api, push and bridge in this JVM, on a real
 * Hazelcast cluster on loopback. One store holds the writer fence; the other waits. Senders post
 * with retries through the front while WebSocket and SSE receivers hold their streams there; the
 * active store is then killed, or cut from its database. The other must take over within 10 s,
 * with nothing acknowledged lost or doubled, seq gap-free, and every stream getting every message
 * exactly once without reconnecting.
 */
@Tag("cluster")
@ExtendWith(VertxExtension.class)
class StoreTakeoverTest {
  private static final String SECRET = "a-secret-every-store-node-shares-0123456789";

  private static String database;
  private static final Map<String, NodeProcess> stores = new LinkedHashMap<>();
  private static TestNode front;

  @BeforeAll
  static void startCluster() {
    database = PostgresServer.get().newDatabase();
    int clusterA = TestNode.freePort();
    int clusterB = TestNode.freePort();
    int clusterFront = TestNode.freePort();
    List<Integer> seeds = List.of(clusterA, clusterB, clusterFront);
    stores.put("store-a", NodeProcess.start(clusterA, seeds, "api,store", storeEnv("store-a")));
    stores.put("store-b", NodeProcess.start(clusterB, seeds, "api,store", storeEnv("store-b")));
    front = TestNode.clustered(TestNode.tempDir(), clusterFront, seeds,
        c -> c.getJsonObject("auth").put("jwtSecret", SECRET), "api", "push", "bridge");
  }

  private static Map<String, String> storeEnv(String nodeId) {
    return Map.of("PARLEY_NODE_ID", nodeId, "PARLEY_DATABASE_URL", database, "PARLEY_JWT_SECRET", SECRET,
        "PARLEY_LOG_LEVEL", "INFO");
  }

  @AfterAll
  static void stopCluster() {
    if (front != null) {
      front.close();
    }
    stores.values().forEach(NodeProcess::close);
  }

  @Test
  void killingTheActiveStoreUnderLoadLosesNothingAndTheStandbyTakesOver(Vertx vertx) {
    runAndAudit(vertx, active -> {
      stores.get(active).kill();
    });
  }

  @Test
  void aStoreCutFromItsDatabaseStopsWritingAndTheClusterGoesOn(Vertx vertx) {
    runAndAudit(vertx, active -> {
      PostgresServer.get().execute(PostgresServer.name(database), "SELECT pg_terminate_backend(pid)"
          + " FROM pg_stat_activity WHERE application_name = 'parley-store-writer' AND datname = current_database()");
      awaitLog(stores.get(active), "lost its database connection");
    });
  }

  /** The scenario of {@link StoreLoss}, the fence checked after: exactly one store holds it. */
  private void runAndAudit(Vertx vertx, java.util.function.Consumer<String> disruption) {
    stores.values().forEach(node -> {
      if (!node.alive()) {
        node.restart();
      }
    });
    long pauseMs = StoreLoss.run(vertx, front.port(), 10_000, disruption);
    assertTrue(pauseMs < 10_000, "writes resumed after " + pauseMs + " ms");
    assertEquals(1, fenceHolders(), "exactly one store holds the writer fence");
  }

  private static int fenceHolders() {
    try (Connection conn = PostgresServer.get().connect(PostgresServer.name(database));
         Statement statement = conn.createStatement();
         ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")) {
      rows.next();
      return rows.getInt(1);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static void awaitLog(NodeProcess node, String line) {
    try {
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).alias("the store logs '" + line + "'")
          .until(() -> node.log().contains(line));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + ":\n" + node.log(), e);
    }
  }
}
