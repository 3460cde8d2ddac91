package dev.parley.cluster;

import dev.parley.support.NodeProcess;
import dev.parley.support.StoreLoss;
import dev.parley.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cluster's one SQLite store is killed under load (SIGKILL: events it committed may not have
 * been published) and started again on the same disk. Open WebSocket and SSE streams on the
 * front node must get every message exactly once without reconnecting: when the store is back,
 * every connection fetches what followed its last event, and the store's first event to each
 * user names the database's newest event as the one before it.
 */
@Tag("cluster")
@ExtendWith(VertxExtension.class)
class StoreRestartDeliveryTest {
  private static NodeProcess store;
  private static TestNode front;

  @BeforeAll
  static void startCluster() {
    int clusterStore = TestNode.freePort();
    int clusterFront = TestNode.freePort();
    List<Integer> seeds = List.of(clusterStore, clusterFront);
    store = NodeProcess.start(clusterStore, seeds, "api,store");
    front = TestNode.clustered(TestNode.tempDir(), clusterFront, seeds, c -> c.getJsonObject("store").putNull("database"),
        "api", "push", "bridge");
  }

  @AfterAll
  static void stopCluster() {
    if (front != null) {
      front.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void streamsMissNothingWhenTheSqliteStoreIsKilledAndRestarted(Vertx vertx) {
    StoreLoss.run(vertx, front.port(), 60_000, active -> {
      store.kill();
      store.restart();
    });
  }
}
