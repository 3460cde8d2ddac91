package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.DeliveryAudit;
import dev.parley.support.NodeProcess;
import dev.parley.support.PostgresServer;
import dev.parley.support.Receiver;
import dev.parley.support.Receiver.Transport;
import dev.parley.support.TestNode;
import dev.parley.support.Traffic;
import dev.parley.support.Traffic.Sender;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
  private static final int GROUPS = 3;
  private static final int RECEIVERS = 6;

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

  /**
   * Signs up senders and receivers, opens the streams on the front, sends about 150 messages a
   * second for six seconds, and runs {@code disruption} (given the active store's node id) a
   * second and a half in. Then audits every stream, the history and the fence.
   */
  private void runAndAudit(Vertx vertx, java.util.function.Consumer<String> disruption) {
    stores.values().forEach(node -> {
      if (!node.alive()) {
        node.restart();
      }
    });
    Api api = new Api(vertx, front.port());
    String active = activeStore(api, 15_000);
    List<Account> senders = new ArrayList<>();
    List<List<Account>> members = new ArrayList<>();
    for (int g = 0; g < GROUPS; g++) {
      senders.add(api.signUp("sender"));
      members.add(new ArrayList<>());
    }
    Map<Account, Set<Integer>> groupsOf = new LinkedHashMap<>();
    for (int r = 0; r < RECEIVERS; r++) {
      Account receiver = api.signUp("receiver");
      int first = r % GROUPS;
      int second = (first + 1) % GROUPS;
      members.get(first).add(receiver);
      members.get(second).add(receiver);
      groupsOf.put(receiver, Set.of(first, second));
    }
    List<String> groupIds = new ArrayList<>();
    long cursor = 0;
    for (int g = 0; g < GROUPS; g++) {
      groupIds.add(api.group(senders.get(g), "takeover " + g, members.get(g).toArray(Account[]::new)));
      cursor = Math.max(cursor, api.send(senders.get(g), groupIds.get(g), "before the load").getLong("id"));
    }
    Traffic traffic = new Traffic(vertx, front::port).messagesOnly();
    DeliveryAudit audit = new DeliveryAudit(traffic);
    Map<Receiver, Set<String>> streams = new LinkedHashMap<>();
    try {
      int r = 0;
      for (Map.Entry<Account, Set<Integer>> entry : groupsOf.entrySet()) {
        Transport transport = r++ % 2 == 0 ? Transport.WEBSOCKET : Transport.SSE;
        streams.put(Receiver.open(vertx, entry.getKey(), transport, cursor, front::port),
            Set.copyOf(entry.getValue().stream().map(groupIds::get).toList()));
      }
      List<Sender> plan = new ArrayList<>();
      for (int g = 0; g < GROUPS; g++) {
        plan.add(new Sender(senders.get(g), groupIds.get(g), false));
      }
      CompletableFuture<Void> load = CompletableFuture.runAsync(() -> traffic.run(plan, 300, 50));
      Receiver.pause(1_500);
      long cut = System.nanoTime();
      disruption.accept(active);
      String successor = activeStore(api, 10_000);
      long takeoverMs = (System.nanoTime() - cut) / 1_000_000;
      load.join();

      audit.awaitQuiet(streams, 30_000);
      streams.forEach((receiver, groups) -> audit.check(receiver, groups, api));
      int reconnects = streams.keySet().stream().mapToInt(Receiver::connections).sum() - streams.size();
      System.out.println("store takeover: " + active + " → " + successor + " in " + takeoverMs + " ms, "
          + audit.summary() + ", " + reconnects + " reconnects, " + traffic.retries() + " sends retried");
      assertTrue(takeoverMs < 10_000, "writes resumed after " + takeoverMs + " ms");
      assertTrue(audit.clean(), audit.summary() + "\n" + audit.report());
      assertEquals(0, reconnects, "no stream had to reconnect");
      for (int g = 0; g < GROUPS; g++) {
        assertHistoryWhole(api, senders.get(g), groupIds.get(g), traffic.created(groupIds.get(g)));
      }
      assertEquals(1, fenceHolders(), "exactly one store holds the writer fence");
    } finally {
      streams.keySet().forEach(Receiver::close);
      traffic.close();
      api.close();
    }
  }

  /**
   * The conversation's history: seq 1, 2, 3… without a gap, every acknowledged message once, no
   * clientId twice (a retried send stored again would be).
   */
  private static void assertHistoryWhole(Api api, Account member, String conversationId, List<Long> acknowledged) {
    List<JsonObject> messages = new ArrayList<>();
    Long after = 0L;
    while (after != null) {
      JsonObject page = api.get("/api/conversations/" + conversationId + "/messages?after=" + after + "&limit=100",
          member.token()).json();
      JsonArray batch = page.getJsonArray("messages");
      batch.forEach(m -> messages.add((JsonObject) m));
      after = page.getBoolean("hasMore") ? messages.get(messages.size() - 1).getLong("seq") : null;
    }
    Set<Long> ids = new HashSet<>();
    Set<String> clientIds = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.get(i);
      assertEquals(i + 1, m.getLong("seq"), "seq is gap-free in " + conversationId);
      ids.add(m.getLong("id"));
      String clientId = m.getString("clientId");
      assertTrue(clientId == null || clientIds.add(clientId), "clientId " + clientId + " stored twice");
    }
    assertTrue(ids.containsAll(acknowledged), "every acknowledged message is in the history");
    assertEquals(new HashSet<>(acknowledged).size(), acknowledged.size(), "no message was acknowledged twice");
  }

  /** Waits until a store answers on the front's /health, and names it. */
  private static String activeStore(Api api, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    String last = "";
    while (System.nanoTime() < deadline) {
      Reply health = api.get("/health", null);
      JsonObject store = health.json().getJsonObject("checks").getJsonObject("store");
      if (health.status() == 200) {
        return store.getString("node");
      }
      last = store.encode();
      Receiver.pause(50);
    }
    throw new AssertionError("no store took over within " + millis + " ms; last health: " + last);
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
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (node.log().contains(line)) {
        return;
      }
      Receiver.pause(50);
    }
    throw new AssertionError("the store never logged '" + line + "':\n" + node.log());
  }
}
