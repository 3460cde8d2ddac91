package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.DeliveryAudit;
import dev.parley.support.NodeProcess;
import dev.parley.support.OverlappingGroups;
import dev.parley.support.Receiver;
import dev.parley.support.TestNode;
import dev.parley.support.Traffic;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Push nodes go away under load, and receivers resume on another node: node 1 holds the store
 * (in this JVM), nodes 2 and 3 are push nodes in processes of their own. Senders post about 250
 * messages a second, with edits, reactions and recalls, through nodes 1 and 3 while ten receivers
 * (WebSocket and SSE) hold their streams on node 2. Node 2 is then killed with SIGKILL, or stopped
 * with SIGTERM, or every push node is restarted in turn; the receivers reconnect with their last
 * event id wherever a node answers. Each must end with every durable event of its conversations,
 * once, in id order: the replay covers what was missed while away, and nothing published between
 * the replay and the moment the new node's route reaches the store is lost.
 */
@Tag("cluster")
@ExtendWith(VertxExtension.class)
class DeliveryFailoverTest {
  private static final int GROUPS = 5;
  private static final int RECEIVERS = 10;

  private static TestNode store;
  private static NodeProcess push2;
  private static NodeProcess push3;

  /** The push nodes a reconnecting client may reach now (the load balancer's healthy backends). */
  private final AtomicReference<List<Integer>> live = new AtomicReference<>();
  private final AtomicInteger turn = new AtomicInteger();

  @BeforeAll
  static void startCluster() {
    int storeCluster = TestNode.freePort();
    int cluster2 = TestNode.freePort();
    int cluster3 = TestNode.freePort();
    List<Integer> seeds = List.of(storeCluster, cluster2, cluster3);
    store = TestNode.clustered(TestNode.tempDir(), storeCluster, seeds, "store", "api");
    push2 = NodeProcess.start(cluster2, seeds, "api,push");
    push3 = NodeProcess.start(cluster3, seeds, "api,push");
  }

  @AfterAll
  static void stopCluster() {
    if (push2 != null) {
      push2.close();
    }
    if (push3 != null) {
      push3.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void receiversOfAPushNodeKilledUnderLoadResumeOnAnotherWithoutLosingAnEvent(Vertx vertx) {
    ensureRunning();
    live.set(List.of(push2.httpPort));
    runAndAudit(vertx, 1500, () -> {
      Receiver.pause(2_000);
      push2.kill();
      live.set(List.of(push3.httpPort));
    });
  }

  @Test
  void receiversOfAPushNodeStoppedGracefullyResumeOnAnotherWithoutLosingAnEvent(Vertx vertx) {
    ensureRunning();
    live.set(List.of(push2.httpPort));
    runAndAudit(vertx, 1500, () -> {
      Receiver.pause(2_000);
      live.set(List.of(push3.httpPort));
      push2.stop();
    });
  }

  @Test
  void aRollingRestartOfEveryPushNodeLosesNoEvent(Vertx vertx) {
    ensureRunning();
    live.set(List.of(push2.httpPort, push3.httpPort));
    runAndAudit(vertx, 4000, () -> {
      for (NodeProcess node : List.of(push2, push3)) {
        Receiver.pause(1_000);
        NodeProcess other = node == push2 ? push3 : push2;
        live.set(List.of(other.httpPort));
        node.stop();
        node.restart();
        live.set(List.of(push2.httpPort, push3.httpPort));
      }
    });
  }

  private static void ensureRunning() {
    for (NodeProcess node : List.of(push2, push3)) {
      if (!node.alive()) {
        node.restart();
      }
    }
  }

  /** The next port a client reaches: round robin over the live push nodes. */
  private int nextPushPort() {
    List<Integer> ports = live.get();
    return ports.get(Math.floorMod(turn.getAndIncrement(), ports.size()));
  }

  /**
   * Signs up senders and receivers, opens the streams, runs {@code messages} messages in all
   * (about 250 a second) while {@code disruption} runs beside them, and audits every stream.
   */
  private void runAndAudit(Vertx vertx, int messages, Runnable disruption) {
    Api api = new Api(vertx, store.port());
    // REST through the store's node and node 3 in turn (node 3 only while it is up).
    AtomicInteger restTurn = new AtomicInteger();
    IntSupplier restPort = () -> restTurn.getAndIncrement() % 2 == 0 || !push3.alive() ? store.port() : push3.httpPort;
    Traffic traffic = new Traffic(vertx, restPort);
    DeliveryAudit audit = new DeliveryAudit(traffic);
    try (OverlappingGroups cast = OverlappingGroups.create(vertx, api, GROUPS, RECEIVERS, "failover", this::nextPushPort)) {
      CompletableFuture<Void> load = CompletableFuture.runAsync(() -> traffic.run(cast.plan(), messages / GROUPS, 50));
      disruption.run();
      load.join();

      audit.awaitQuiet(cast.streams, 30_000);
      cast.streams.forEach((receiver, groups) -> audit.check(receiver, groups, api));
      int reconnects = cast.reconnects();
      System.out.println("delivery failover: " + audit.summary() + ", " + reconnects + " reconnects, "
          + traffic.retries() + " sends retried");
      assertTrue(reconnects >= RECEIVERS, "every receiver had to move: " + reconnects + " reconnects");
      assertTrue(audit.clean(), audit.summary() + "\n" + audit.report());
    } finally {
      traffic.close();
      api.close();
    }
  }
}
