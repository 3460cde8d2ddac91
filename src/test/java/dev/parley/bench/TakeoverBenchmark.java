package dev.parley.bench;

import dev.parley.support.Api;
import dev.parley.support.Api.Account;
import dev.parley.support.Api.Reply;
import dev.parley.support.PostgresServer;
import dev.parley.support.Traffic;
import dev.parley.support.Traffic.Sender;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How long writes stop when the active store dies ({@code -Dbench.mode=takeover}): two store
 * nodes on one PostgreSQL database (fsync on) and a front node with api and push, each a process
 * of its own; background senders post about 200 messages a second through the front, and four
 * probe senders each post one message after another, each retried with its clientId until it is
 * stored. Five times, the active store is killed with SIGKILL and a fresh store node is started
 * to stand by. Two figures per kill: <em>writes back</em>, from the kill to the storing of the
 * first probe message sent after it (the takeover as a client sees it), and <em>longest wait</em>, the
 * longest time one probe message took from its first try to its acknowledgement across the kill
 * (a request in flight to the dead store waits out {@code bus.requestTimeoutMs} before its 503).
 * At the end every acknowledged message must be in the history once. Options: {@code -Dbench.kills=5}.
 */
final class TakeoverBenchmark {
  private static final int KILLS = Integer.getInteger("bench.kills", 5);
  private static final String SECRET = "a-secret-every-store-node-shares-0123456789";

  private TakeoverBenchmark() {
  }

  static void main(String[] args) throws Exception {
    System.out.println("Parley takeover benchmark — " + Benchmark.machine());
    String database = PostgresServer.durable().newDatabase();
    Map<String, String> storeEnv = Map.of("PARLEY_DATABASE_URL", database, "PARLEY_JWT_SECRET", SECRET);
    int clusterFront = freePort();
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i <= KILLS + 1; i++) {
      clusterPorts.add(freePort());
    }
    String members = "127.0.0.1:" + clusterFront + ",127.0.0.1:" + clusterPorts.get(0) + ",127.0.0.1:" + clusterPorts.get(1);
    List<ServerProcess> stores = new ArrayList<>();
    stores.add(ServerProcess.clustered(freePort(), "512m", "store-0", "api,store", clusterPorts.get(0), members, storeEnv));
    stores.add(ServerProcess.clustered(freePort(), "512m", "store-1", "api,store", clusterPorts.get(1), members, storeEnv));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try (ServerProcess front = ServerProcess.clustered(freePort(), "1g", "front", "api,push", clusterFront, members,
        Map.of("PARLEY_JWT_SECRET", SECRET))) {
      Api api = new Api(vertx, front.port);
      awaitStore(api);
      List<Sender> plan = new ArrayList<>();
      for (int g = 0; g < 10; g++) {
        Account sender = api.signUp("sender");
        plan.add(new Sender(sender, api.group(sender, "load " + g, api.signUp("member")), false));
      }
      Traffic traffic = new Traffic(vertx, () -> front.port).messagesOnly();
      CompletableFuture<Void> load = CompletableFuture.runAsync(() -> traffic.run(plan, 20 * 12 * (KILLS + 1), 20));
      List<Probe> probes = new ArrayList<>();
      List<Thread> probing = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        Account prober = api.signUp("probe");
        Probe probe = new Probe(api, prober, api.group(prober, "probe " + p));
        probes.add(probe);
        probing.add(new Thread(probe, "probe-" + p));
        probing.get(p).start();
        Thread.sleep(7);
      }
      Thread.sleep(5_000);
      List<Long> takeovers = new ArrayList<>();
      List<Long> waits = new ArrayList<>();
      for (int kill = 0; kill < KILLS; kill++) {
        String active = health(api).getJsonObject("checks").getJsonObject("store").getString("node");
        ServerProcess victim = stores.stream().filter(s -> s.nodeId().equals(active)).findFirst().orElseThrow();
        long killedAt = System.nanoTime();
        victim.kill();
        long resumed = Long.MAX_VALUE;
        for (Probe probe : probes) {
          resumed = Math.min(resumed, probe.firstStoredAfter(killedAt, 30_000));
        }
        takeovers.add((resumed - killedAt) / 1_000_000);
        Thread.sleep(6_000);
        long longest = 0;
        for (Probe probe : probes) {
          longest = Math.max(longest, probe.longestWaitAround(killedAt));
        }
        waits.add(longest / 1_000_000);
        String successor = health(api).getJsonObject("checks").getJsonObject("store").getString("node");
        System.out.printf("kill %d: %s killed, %s took over; writes back after %,d ms, longest wait of one send %,d ms%n",
            kill + 1, active, successor, takeovers.get(kill), waits.get(kill));
        stores.remove(victim);
        stores.add(ServerProcess.clustered(freePort(), "512m", "store-" + (kill + 2), "api,store",
            clusterPorts.get(kill + 2), members, storeEnv));
        Thread.sleep(2_000);
      }
      for (Probe probe : probes) {
        probe.stop();
      }
      for (Thread thread : probing) {
        thread.join();
      }
      load.join();
      System.out.printf("writes back after a kill (%d kills): median %,d ms, worst %,d ms; all: %s ms%n", KILLS,
          median(takeovers), Collections.max(takeovers), takeovers);
      System.out.printf("longest wait of one send across a kill: median %,d ms, worst %,d ms; all: %s ms%n",
          median(waits), Collections.max(waits), waits);
      int acknowledged = 0;
      int retries = 0;
      for (Probe probe : probes) {
        checkHistory(api, probe.prober, probe.conversationId, probe.acknowledged);
        acknowledged += probe.acknowledged.size();
        retries += probe.retries;
      }
      System.out.printf("probes: %d messages acknowledged, each in the history once, seq without a gap; %d sends retried;"
          + " load: %d sends retried%n", acknowledged, retries, traffic.retries());
      traffic.close();
      api.close();
    } finally {
      for (ServerProcess store : stores) {
        store.close();
      }
      vertx.close().await();
    }
  }

  /** Every acknowledged probe message in the history exactly once, seq without a gap; the history's size. */
  private static int checkHistory(Api api, Account member, String conversationId, List<Long> acknowledged) {
    List<JsonObject> messages = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonObject page = api.get("/api/conversations/" + conversationId + "/messages?after=" + after + "&limit=100",
          member.token()).json();
      page.getJsonArray("messages").forEach(m -> messages.add((JsonObject) m));
      if (!page.getBoolean("hasMore")) {
        break;
      }
      after = messages.get(messages.size() - 1).getLong("seq");
    }
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).getLong("seq") != i + 1) {
        throw new IllegalStateException("seq gap at " + (i + 1));
      }
      ids.add(messages.get(i).getLong("id"));
    }
    if (!ids.containsAll(acknowledged) || new HashSet<>(acknowledged).size() != acknowledged.size()) {
      throw new IllegalStateException("an acknowledged probe message is missing or doubled");
    }
    return messages.size() - 1; // the system message of the group's creation
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static JsonObject health(Api api) {
    return api.get("/health", null).json();
  }

  private static void awaitStore(Api api) throws InterruptedException {
    for (int i = 0; i < 300 && api.get("/health", null).status() != 200; i++) {
      Thread.sleep(100);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** One message after another, each retried with its clientId until it is stored; when each was stored. */
  private static final class Probe implements Runnable {
    private final Api api;
    final Account prober;
    final String conversationId;
    final List<Long> acknowledged = new CopyOnWriteArrayList<>();
    private final List<Long> storedAt = new CopyOnWriteArrayList<>();
    /** When each stored message was first tried, in the order of {@link #storedAt}. */
    private final List<Long> triedAt = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;
    int retries;

    Probe(Api api, Account prober, String conversationId) {
      this.api = api;
      this.prober = prober;
      this.conversationId = conversationId;
    }

    @Override
    public void run() {
      for (int n = 0; !stopped; n++) {
        long firstTry = System.nanoTime();
        JsonObject body = new JsonObject().put("clientId", "probe-" + n).put("type", "text").put("text", "probe " + n);
        while (true) {
          Reply reply;
          try {
            reply = api.post("/api/conversations/" + conversationId + "/messages", prober.token(), body);
          } catch (RuntimeException lost) {
            reply = null;
          }
          if (reply != null && (reply.status() == 201 || reply.status() == 200)) {
            triedAt.add(firstTry);
            storedAt.add(System.nanoTime());
            acknowledged.add(reply.json().getJsonObject("message").getLong("id"));
            break;
          }
          retries++;
          pause(20);
        }
        pause(20);
      }
    }

    /**
     * When the first message first tried after {@code since} (nanoTime) was stored: an answer
     * that was on its way when the store died does not count.
     */
    long firstStoredAfter(long since, long timeoutMs) {
      long deadline = System.nanoTime() + timeoutMs * 1_000_000;
      while (System.nanoTime() < deadline) {
        for (int i = 0; i < storedAt.size() && i < triedAt.size(); i++) {
          if (triedAt.get(i) > since) {
            return storedAt.get(i);
          }
        }
        pause(5);
      }
      throw new IllegalStateException("writes did not resume within " + timeoutMs + " ms");
    }

    /** The longest first-try-to-stored time of a message stored after {@code since}. */
    long longestWaitAround(long since) {
      long longest = 0;
      for (int i = 0; i < storedAt.size() && i < triedAt.size(); i++) {
        if (storedAt.get(i) > since) {
          longest = Math.max(longest, storedAt.get(i) - triedAt.get(i));
        }
      }
      return longest;
    }

    void stop() {
      stopped = true;
    }

    private static void pause(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
