package dev.parley.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Parley's benchmark: starts {@code target/parley.jar} as its own process on loopback and drives
 * it with simulated WebSocket clients from this JVM (both share the machine's cores, so the
 * figures include the clients' cost). It measures
 * <ol>
 *   <li>direct 1:1 messages stored and delivered per second, with send-to-delivery latency;</li>
 *   <li>group fan-out deliveries per second (groups × members);</li>
 *   <li>server memory per idle authenticated WebSocket connection.</li>
 * </ol>
 * Options: {@code -Dbench.seconds=10 -Dbench.lightPairs=20 -Dbench.pairs=200 -Dbench.groups=20
 * -Dbench.members=50 -Dbench.idle=5000 -Dbench.window=2}. {@code -Dbench.mode=receipts} runs the
 * direct light and group scenarios twice instead, plain and receipts-heavy (every receiver sends a
 * {@code delivered} frame for every message, a third of them a {@code read} frame too), and prints
 * both side by side; {@code -Dbench.mode=cluster} runs {@link ClusterBenchmark}.
 * {@code -Dbench.store=postgresql} keeps the server's data in PostgreSQL instead of SQLite;
 * {@code -Dbench.mode=takeover} runs {@link TakeoverBenchmark}. {@code -Dbench.retentionSweep=true}
 * runs the scenarios while message retention deletes old messages ({@link RetentionLoad}).
 */
public final class Benchmark {
  private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
  private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 15);
  private static final int PAIRS = Integer.getInteger("bench.pairs", 200);
  private static final int LIGHT_PAIRS = Integer.getInteger("bench.lightPairs", 20);
  private static final int GROUPS = Integer.getInteger("bench.groups", 20);
  private static final int MEMBERS = Integer.getInteger("bench.members", 50);
  private static final int IDLE = Integer.getInteger("bench.idle", 5000);
  private static final int WINDOW = Integer.getInteger("bench.window", 2);
  /** {@code -Dbench.server=relay}: the clients run against {@link Relay}, which stores nothing. */
  private static final boolean RELAY = "relay".equals(System.getProperty("bench.server"));

  private final Vertx vertx;
  private final HttpClient http;
  private final WebSocketClient ws;
  /** The nodes' HTTP ports: REST calls go to the first, WebSocket clients are spread over all. */
  private final List<Integer> ports;
  private final AtomicLong names = new AtomicLong();

  Benchmark(Vertx vertx, List<Integer> ports) {
    this.vertx = vertx;
    this.ports = ports;
    int port = ports.get(0);
    // Pooled connections are let go after 20 s idle, before the server closes them (60 s): a
    // request never goes out on a connection the server is closing.
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAliveTimeout(20), new PoolOptions().setHttp1MaxSize(64));
    this.ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000));
  }

  public static void main(String[] args) throws Exception {
    if ("cluster".equals(System.getProperty("bench.mode"))) {
      ClusterBenchmark.main(args);
      return;
    }
    if ("takeover".equals(System.getProperty("bench.mode"))) {
      TakeoverBenchmark.main(args);
      return;
    }
    if ("media".equals(System.getProperty("bench.mode"))) {
      MediaBenchmark.main(args);
      return;
    }
    if ("storage".equals(System.getProperty("bench.mode"))) {
      StorageCeiling.main(args);
      return;
    }
    if ("flood".equals(System.getProperty("bench.mode"))) {
      floodMix();
      return;
    }
    if ("receipts".equals(System.getProperty("bench.mode"))) {
      receiptsMix();
      return;
    }
    if (Pinning.ON) {
      pinned();
      return;
    }
    System.out.println("Parley benchmark — " + machine());
    System.out.printf("settings: %d s measured after %d s warm-up, %d and %d pairs, %d groups x %d members, %d idle, window %d%n",
        SECONDS, WARMUP_SECONDS, LIGHT_PAIRS, PAIRS, GROUPS, MEMBERS, IDLE, WINDOW);
    if (RetentionLoad.ON) {
      System.setProperty("bench.serverConf", System.getProperty("bench.serverConf", "") + RetentionLoad.serverConf());
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    if (RELAY) {
      System.out.println("server: the bare relay (dev.parley.bench.Relay: no storage, no event bus), not Parley");
    } else {
      System.out.println("store: " + (ServerProcess.POSTGRESQL
          ? "PostgreSQL on this machine (-Dbench.store=postgresql; fsync and synchronous_commit on), sharing its cores"
          : "SQLite (synchronous=FULL) in the server's data folder"));
    }
    try (ServerProcess server = RELAY ? ServerProcess.relay(port, "1g") : ServerProcess.start(port, "1g")) {
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
      Benchmark bench = new Benchmark(vertx, List.of(port));
      try {
        int expiring = RetentionLoad.ON ? bench.prefillExpiring(server) : 0;
        if (LIGHT_PAIRS > 0) {
          bench.direct(server, LIGHT_PAIRS, "direct light ");
        }
        bench.direct(server, PAIRS, "direct heavy ");
        bench.fanout(server);
        bench.idle(server);
        if (RetentionLoad.ON) {
          System.out.printf("retention sweep: %,.0f of the %,d expiring messages deleted during the run"
              + " (parley_retention_deleted_total)%n", bench.metric("parley_retention_deleted_total"), expiring);
        }
      } finally {
        vertx.close().await();
      }
    }
  }

  /**
   * {@code -Dbench.pin=true}: the server on core 0 ({@code taskset}), this JVM and its clients on
   * core 1, and in one run: Parley, the bare relay, and storage alone (core 0 too). Besides
   * throughput and latency it reports the server's CPU time per message and per delivery, which
   * is what pinning makes comparable: the server cannot borrow the clients' core.
   */
  private static void pinned() throws Exception {
    String machine = machine();
    Pinning.pinSelf(Pinning.CLIENT_CORE);
    System.out.println("Parley benchmark, pinned: server on core " + Pinning.SERVER_CORE + ", clients on core "
        + Pinning.CLIENT_CORE + " — " + machine);
    System.out.printf("settings: %d s measured after %d s warm-up, %d and %d pairs, %d groups x %d members, %d idle, window %d%n",
        SECONDS, WARMUP_SECONDS, LIGHT_PAIRS, PAIRS, GROUPS, MEMBERS, IDLE, WINDOW);
    List<String> rows = new ArrayList<>();
    // A profiled run is about Parley: the relay and storage alone are left out.
    boolean parleyOnly = Profiling.ON || Boolean.getBoolean("bench.parleyOnly");
    for (boolean relay : parleyOnly ? new boolean[] {false} : new boolean[] {false, true}) {
      String name = relay ? "bare relay" : "Parley (" + (ServerProcess.POSTGRESQL ? "PostgreSQL" : "SQLite") + ")";
      System.out.println();
      System.out.println("== " + name);
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      try (ServerProcess server = relay ? ServerProcess.relay(port, "1g") : ServerProcess.start(port, "1g")) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        Benchmark bench = new Benchmark(vertx, List.of(port));
        try {
          // -Dbench.lightPairs=0, -Dbench.pairs=0 or -Dbench.groups=0 leaves that scenario out.
          Result none = new Result("", 0, 0, 0, 0);
          Result light = LIGHT_PAIRS > 0 ? bench.direct(server, LIGHT_PAIRS, "direct light ") : none;
          Result heavy = PAIRS > 0 ? bench.direct(server, PAIRS, "direct heavy ") : none;
          Result groups = GROUPS > 0 ? bench.fanout(server) : none;
          double idle = IDLE > 0 ? bench.idle(server) : 0;
          rows.add(String.format("| %s | %,.0f /s, p99 %.0f ms, %.0f µs | %,.0f /s, p99 %.0f ms, %.0f µs | %,.0f /s, p99 %.0f ms,"
                  + " %.1f µs | %.1f KiB |", name, light.rate(), light.p99(), light.cpuMicros(), heavy.rate(), heavy.p99(),
              heavy.cpuMicros(), groups.rate(), groups.p99(), groups.cpuMicros(), idle));
        } finally {
          vertx.close().await();
        }
      }
    }
    if (!parleyOnly) {
      System.out.println();
      System.out.println("== storage alone (this JVM moved to core " + Pinning.SERVER_CORE + ")");
      Pinning.pinSelf(Pinning.SERVER_CORE);
      try {
        StorageCeiling.main(new String[0]);
      } finally {
        Pinning.pinSelf(Pinning.CLIENT_CORE);
      }
    }
    System.out.println();
    System.out.println("Pinned, the server's CPU time per message (direct) and per delivery (group):");
    System.out.println("| server, one core | direct light | direct heavy | group fan-out deliveries | idle heap per connection |");
    System.out.println("|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  /**
   * One user floods while others chat ({@code -Dbench.mode=flood}): 20 pairs send at a fixed
   * total of {@code bench.rate} (160) messages/s, 4 a second per sender, under the shipped 300 a minute; then the same with one more user sending as
   * fast as the server answers (50 frames in flight, the next one on every ack or error). With
   * the shipped per-user limits the flood is refused at the store, and the others' p99 should
   * not move; the third run turns the limits off for contrast. Fresh servers, same hour.
   */
  private static void floodMix() throws Exception {
    int rate = Integer.getInteger("bench.rate", 160);
    int pairs = Integer.getInteger("bench.lightPairs", 20);
    System.out.println("Parley benchmark, one user flooding while others chat — " + machine());
    System.out.printf("settings: %d s measured after %d s warm-up, %d pairs at %d messages/s in all, 1 flooder with 50 in flight%n",
        SECONDS, WARMUP_SECONDS, pairs, rate);
    String conf = System.getProperty("bench.serverConf", "");
    String shipped = ",\"limits\":{\"messagesPerMinute\":300,\"changesPerMinute\":300,\"typingPerMinute\":120}";
    List<String> rows = new ArrayList<>();
    for (String[] run : new String[][] {{"limits on, no flood", shipped, "false"}, {"limits on, one flooder", shipped, "true"},
        {"limits off, one flooder", "", "true"}}) {
      System.setProperty("bench.serverConf", conf + run[1]);
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      try (ServerProcess server = ServerProcess.start(port, "1g")) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
          Benchmark bench = new Benchmark(vertx, List.of(port));
          Flooder flooder = Boolean.parseBoolean(run[2]) ? bench.flood() : null;
          Result result = bench.direct(server, pairs, run[0], rate);
          String flood = flooder == null ? "" : flooder.stop();
          rows.add(String.format("| %s | %,.0f /s | %.1f ms | %.1f ms | %s |", run[0], result.rate(), result.p50(),
              result.p99(), flood));
        } finally {
          vertx.close().await();
        }
      }
    }
    System.setProperty("bench.serverConf", conf);
    System.out.println();
    System.out.println("| run | the others' messages | p50 | p99 | the flooder |");
    System.out.println("|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  /** A user sending into a direct conversation as fast as the server answers, until stopped. */
  private final class Flooder {
    final AtomicLong acked = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final long started = System.nanoTime();
    WebSocket socket;
    String conversationId;
    volatile boolean stopped;
    long counter;

    void send() {
      if (!stopped) {
        socket.writeTextMessage("{\"type\":\"send\",\"clientId\":\"flood-" + (counter++) + "\",\"conversationId\":\""
            + conversationId + "\",\"msgType\":\"text\",\"text\":\"flood\"}");
      }
    }

    String stop() {
      stopped = true;
      double seconds = (System.nanoTime() - started) / 1e9;
      return String.format("%,.0f sends/s tried, %,.0f/s stored, %,.0f/s refused (429)", (acked.get() + refused.get()) / seconds,
          acked.get() / seconds, refused.get() / seconds);
    }
  }

  /** Starts a {@link Flooder} with a peer of its own. */
  private Flooder flood() {
    List<User> two = signUp("flooder", 2);
    Flooder flooder = new Flooder();
    flooder.conversationId = direct(two.get(0), two.get(1)).await();
    flooder.socket = onContext(() -> ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(ports.get(0))
        .setURI("/api/ws?access_token=" + two.get(0).token()))).await();
    flooder.socket.textMessageHandler(text -> {
      if (text.startsWith("{\"type\":\"ack\"")) {
        flooder.acked.incrementAndGet();
        flooder.send();
      } else if (text.startsWith("{\"type\":\"error\"")) {
        flooder.refused.incrementAndGet();
        flooder.send();
      }
    });
    vertx.runOnContext(v -> {
      for (int i = 0; i < 50; i++) {
        flooder.send();
      }
    });
    return flooder;
  }

  /** The plain mix against the receipts-heavy mix, on one server, one after the other. */
  private static void receiptsMix() throws Exception {
    System.out.println("Parley benchmark, receipts mix — " + machine());
    System.out.printf("settings: %d s measured after %d s warm-up, %d pairs, %d groups x %d members, window %d%n",
        SECONDS, WARMUP_SECONDS, LIGHT_PAIRS, GROUPS, MEMBERS, WINDOW);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<Result> results = new ArrayList<>();
    try (ServerProcess server = ServerProcess.start(port, "1g")) {
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
      Benchmark bench = new Benchmark(vertx, List.of(port));
      try {
        results.add(bench.direct(server, LIGHT_PAIRS, "direct light ", 0, false));
        results.add(bench.direct(server, LIGHT_PAIRS, "direct light ", 0, true));
        results.add(bench.fanout(server, false));
        results.add(bench.fanout(server, true));
      } finally {
        vertx.close().await();
      }
    }
    System.out.println();
    System.out.println("| scenario | mix | rate | p50 | p99 |");
    System.out.println("|---|---|---|---|---|");
    for (Result r : results) {
      System.out.printf("| %s | %s | %,.0f /s | %.1f ms | %.1f ms |%n", r.label().replace(" (receipts)", ""),
          r.label().endsWith("(receipts)") ? "receipts" : "plain", r.rate(), r.p50(), r.p99());
    }
  }

  static String machine() throws Exception {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("unknown CPU");
    String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + mem + ", Java "
        + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
  }

  // ---- scenarios -------------------------------------------------------------------------

  /** One scenario's outcome, for side-by-side tables. */
  record Result(String label, double rate, double p50, double p99, double cpuMicros) {
  }

  Result direct(ServerProcess server, int pairs, String label) throws Exception {
    return direct(server, pairs, label, 0, false);
  }

  Result direct(ServerProcess server, int pairs, String label, int ratePerSecond) throws Exception {
    return direct(server, pairs, label, ratePerSecond, false);
  }

  /**
   * Direct messages between {@code pairs} pairs of users. With {@code ratePerSecond} > 0 every
   * sender sends at a fixed pace (the same offered load whatever the latency: for comparisons);
   * otherwise each keeps {@code bench.window} messages in flight (as fast as the server goes).
   * With {@code receipts} every receiver acknowledges each message with a {@code delivered} frame
   * and a third of them with a {@code read} frame too.
   */
  Result direct(ServerProcess server, int pairs, String label, int ratePerSecond, boolean receipts) throws Exception {
    List<User> users = signUp("pair", pairs * 2);
    List<Future<String>> created = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      created.add(direct(users.get(2 * i), users.get(2 * i + 1)));
    }
    List<String> conversations = Future.all(created).await().list();
    Run run = new Run();
    run.receipts = receipts;
    List<Connection> connections = connectAll(users, run);
    long periodMs = ratePerSecond > 0 ? Math.max(1, Math.round(2_000.0 * pairs / ratePerSecond)) : 0;
    for (int i = 0; i < pairs; i++) {
      connections.get(2 * i).startSending(conversations.get(i), run, periodMs);
      connections.get(2 * i + 1).startSending(conversations.get(i), run, periodMs);
    }
    Map<String, Double> before = storeFigures();
    run.measure(server, label + (receipts ? " receipts" : ""));
    String store = storeSummary(before, storeFigures());
    Map<String, List<DeliveryLedger.Inbox>> members = new java.util.HashMap<>();
    for (int i = 0; i < pairs; i++) {
      members.put(conversations.get(i), List.of(connections.get(2 * i).inbox, connections.get(2 * i + 1).inbox));
    }
    String check = run.check(members);
    String load = periodMs > 0 ? "each sender every " + periodMs + " ms" : connections.size() * WINDOW + " in flight";
    System.out.printf("%s: %,.0f messages/s %s (%d connections, %s); latency %s%n",
        receipts ? label.stripTrailing() + " (receipts)" : label, run.rate(),
        server.isRelay() ? "relayed, none stored" : "stored and delivered",
        connections.size(), load, run.latency.summary());
    System.out.println("               " + store + "; " + run.cpu());
    System.out.println("               " + check);
    closeAll(connections);
    return new Result(label.trim() + (receipts ? " (receipts)" : ""), run.rate(), run.latency.percentileMillis(0.50),
        run.latency.percentileMillis(0.99), run.serverMicrosEach());
  }

  Result fanout(ServerProcess server) throws Exception {
    return fanout(server, false);
  }

  /** Group fan-out; {@code receipts} as in {@link #direct(ServerProcess, int, String, int, boolean)}. */
  Result fanout(ServerProcess server, boolean receipts) throws Exception {
    List<User> users = signUp("member", GROUPS * MEMBERS);
    List<Future<String>> created = new ArrayList<>();
    for (int g = 0; g < GROUPS; g++) {
      created.add(group(users.subList(g * MEMBERS, (g + 1) * MEMBERS)));
    }
    List<String> groups = Future.all(created).await().list();
    Run run = new Run();
    run.countAll = true;
    run.receipts = receipts;
    List<Connection> connections = connectAll(users, run);
    for (int g = 0; g < GROUPS; g++) {
      connections.get(g * MEMBERS).startSending(groups.get(g), run, 0);
    }
    Map<String, Double> before = storeFigures();
    run.measure(server, "group fan-out" + (receipts ? " receipts" : ""));
    String store = storeSummary(before, storeFigures());
    Map<String, List<DeliveryLedger.Inbox>> members = new java.util.HashMap<>();
    for (int g = 0; g < GROUPS; g++) {
      members.put(groups.get(g), connections.subList(g * MEMBERS, (g + 1) * MEMBERS).stream().map(c -> c.inbox).toList());
    }
    String check = run.check(members);
    System.out.printf("group fan-out%s: %,.0f deliveries/s (%d groups x %d members, %,.0f messages/s); latency %s%n",
        receipts ? " (receipts)" : "", run.rate(), GROUPS, MEMBERS, run.rate() / MEMBERS, run.latency.summary());
    System.out.println("               " + store + "; " + run.cpu());
    System.out.println("               " + check);
    closeAll(connections);
    return new Result("group fan-out" + (receipts ? " (receipts)" : ""), run.rate(), run.latency.percentileMillis(0.50),
        run.latency.percentileMillis(0.99), run.serverMicrosEach());
  }

  /**
   * {@code -Dbench.retentionSweep=true}: stores {@code bench.retentionMessages} messages in 20
   * direct conversations of their own, then lets them expire one after another over the run
   * ({@link RetentionLoad}); returns how many.
   */
  int prefillExpiring(ServerProcess server) throws Exception {
    int pairs = 20;
    List<User> users = signUp("old", pairs * 2);
    List<Future<String>> created = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      created.add(direct(users.get(2 * i), users.get(2 * i + 1)));
    }
    List<String> conversations = Future.all(created).await().list();
    Run run = new Run();
    List<Connection> connections = connectAll(users, run);
    long started = System.nanoTime();
    for (int i = 0; i < pairs; i++) {
      connections.get(2 * i).startSending(conversations.get(i), run, 0);
    }
    while (run.acked.get() < RetentionLoad.MESSAGES) {
      Thread.sleep(100);
    }
    run.stopped = true;
    Thread.sleep(500);
    closeAll(connections);
    double storing = (System.nanoTime() - started) / 1e9;
    int spread = RetentionLoad.spreadSeconds(WARMUP_SECONDS, SECONDS);
    int expiring = RetentionLoad.expireOverTime(server, conversations, spread);
    System.out.printf("retention sweep: %,d messages stored in %.0f s, expiring one after another over the next %d s"
        + " (about %,d a second); the server keeps messages a day and sweeps every second%n",
        expiring, storing, spread, expiring / spread);
    return expiring;
  }

  /** Idle connections; returns the server's heap per connection in KiB. */
  double idle(ServerProcess server) throws Exception {
    List<User> users = signUp("idle", IDLE);
    Thread.sleep(2000);
    long heapBefore = server.heapAfterGcBytes();
    long rssBefore = server.rssBytes();
    Run run = new Run();
    List<Connection> connections = connectAll(users, run);
    Thread.sleep(3000);
    long heapAfter = server.heapAfterGcBytes();
    long rssAfter = server.rssBytes();
    System.out.printf("idle memory  : %d authenticated WebSocket connections: heap %+,.1f KiB/connection,"
            + " RSS %+,.1f KiB/connection (heap %,d → %,d KiB)%n",
        connections.size(), (heapAfter - heapBefore) / 1024.0 / connections.size(),
        (rssAfter - rssBefore) / 1024.0 / connections.size(), heapBefore / 1024, heapAfter / 1024);
    if (Boolean.getBoolean("bench.histogram")) {
      System.out.println(server.histogram(400));
    }
    closeAll(connections);
    return (heapAfter - heapBefore) / 1024.0 / connections.size();
  }

  // ---- plumbing ---------------------------------------------------------------------------

  private record User(String id, String token) {
  }

  /** Counts and latencies of one scenario; only the measured interval counts. */
  private static final class Run {
    final Histogram latency = new Histogram();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    final DeliveryLedger ledger = new DeliveryLedger();
    volatile boolean measuring;
    volatile boolean stopped;
    boolean countAll;
    /** Receivers acknowledge every message: {@code delivered}, and every third connection {@code read} too. */
    boolean receipts;
    long measuredNanos;

    double serverCpuSeconds;
    double clientCpuSeconds;
    long serverWriteCalls;

    /** Warm-up, then the measured interval (profiled with {@code -Dbench.profile}). */
    void measure(ServerProcess server, String scenario) throws Exception {
      Thread.sleep(WARMUP_SECONDS * 1000L);
      Profiling.start(server);
      delivered.set(0);
      latency.clear();
      double serverCpu = server.cpuSeconds();
      double clientCpu = clientCpuSeconds();
      long writeCalls = server.writeCalls();
      measuring = true;
      long start = System.nanoTime();
      Thread.sleep(SECONDS * 1000L);
      measuring = false;
      measuredNanos = System.nanoTime() - start;
      serverCpuSeconds = server.cpuSeconds() - serverCpu;
      serverWriteCalls = server.writeCalls() - writeCalls;
      clientCpuSeconds = clientCpuSeconds() - clientCpu;
      Path profile = Profiling.stop(server, (server.isRelay() ? "relay-" : "") + scenario);
      if (profile != null) {
        System.out.println("               profile: " + profile);
      }
      stopped = true;
      Thread.sleep(500);
    }

    /** After the senders stopped: lets the last events arrive, then checks every delivery. */
    String check(Map<String, List<DeliveryLedger.Inbox>> members) throws InterruptedException {
      ledger.awaitQuiet(1_000, 15_000);
      return ledger.report(members);
    }

    double rate() {
      return delivered.get() / (measuredNanos / 1e9);
    }

    /** Where the cores went: server and client CPU as a share of one core. */
    String cpu() {
      double seconds = measuredNanos / 1e9;
      String each = countAll ? "delivery" : "message";
      return String.format("CPU: server %.0f%%, benchmark clients %.0f%% of one core (%s); server %.1f µs and %.2f write"
              + " calls per %s",
          serverCpuSeconds / seconds * 100, clientCpuSeconds / seconds * 100,
          Pinning.ON ? "each pinned to its own core" : Runtime.getRuntime().availableProcessors() + " cores in all",
          serverMicrosEach(), delivered.get() == 0 ? 0.0 : (double) serverWriteCalls / delivered.get(), each);
    }

    /** The server's CPU time per counted message (direct) or delivery (group), in microseconds. */
    double serverMicrosEach() {
      return delivered.get() == 0 ? 0 : serverCpuSeconds * 1e6 / delivered.get();
    }

    private static double clientCpuSeconds() {
      return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime() / 1e9;
    }
  }

  /** One WebSocket of one user: sends with a window of unacknowledged messages, times deliveries. */
  private final class Connection {
    final User user;
    final WebSocket socket;
    final String prefix;
    /** In a receipts mix, one connection in three also reports {@code read}. */
    final boolean reader;
    final DeliveryLedger.Inbox inbox;
    long counter;
    String conversationId;
    boolean paced;

    Connection(User user, WebSocket socket, Run run, boolean reader) {
      this.user = user;
      this.socket = socket;
      this.prefix = user.id() + "-";
      this.reader = reader;
      this.inbox = run.ledger.inbox();
      socket.textMessageHandler(text -> onFrame(text, run));
    }

    /** Completed by the server's {@code ready} frame. */
    final io.vertx.core.Promise<Void> live = io.vertx.core.Promise.promise();

    /** Starts sending: every {@code periodMs} if positive, else a window refilled on each ack. */
    void startSending(String conversationId, Run run, long periodMs) {
      this.conversationId = conversationId;
      this.paced = periodMs > 0;
      vertx.runOnContext(v -> {
        if (paced) {
          // Spread the senders' first ticks over the period, so the load is smooth.
          vertx.setTimer(1 + (long) (Math.random() * periodMs), t -> vertx.setPeriodic(periodMs, tick -> {
            if (run.stopped) {
              vertx.cancelTimer(tick);
            } else {
              sendNext(run);
            }
          }));
          return;
        }
        for (int i = 0; i < WINDOW; i++) {
          sendNext(run);
        }
      });
    }

    private void sendNext(Run run) {
      if (run.stopped) {
        return;
      }
      String clientId = prefix + (counter++);
      run.sentAt.put(clientId, System.nanoTime());
      socket.writeTextMessage("{\"type\":\"send\",\"clientId\":\"" + clientId + "\",\"conversationId\":\"" + conversationId
          + "\",\"msgType\":\"text\",\"text\":\"benchmark message " + counter + "\"}");
    }

    private void onFrame(String text, Run run) {
      if (text.startsWith("{\"type\":\"ready\"")) {
        live.tryComplete();
        return;
      }
      if (text.startsWith("{\"type\":\"ack\"")) {
        run.acked.incrementAndGet();
        run.ledger.acked(conversationId, number(text, "\"seq\":"));
        if (!paced) {
          sendNext(run);
        }
        return;
      }
      if (!text.startsWith("{\"type\":\"message\"")) {
        return;
      }
      inbox.received(field(text, "\"conversationId\":\""), number(text, "\"seq\":"));
      String clientId = field(text, "\"clientId\":\"");
      if (clientId == null) {
        return;
      }
      if (run.receipts && !run.stopped && !clientId.startsWith(prefix)) {
        acknowledge(text);
      }
      if (!run.countAll && clientId.startsWith(prefix)) {
        return;
      }
      Long sent = run.countAll ? run.sentAt.get(clientId) : run.sentAt.remove(clientId);
      if (run.measuring) {
        run.delivered.incrementAndGet();
        if (sent != null) {
          run.latency.record((System.nanoTime() - sent) / 1000);
        }
      }
    }

    /** Sends {@code delivered} for a received message, and {@code read} from one connection in three. */
    private void acknowledge(String messageEvent) {
      String conversationId = field(messageEvent, "\"conversationId\":\"");
      String tail = "\",\"conversationId\":\"" + conversationId + "\",\"seq\":" + number(messageEvent, "\"seq\":") + "}";
      socket.writeTextMessage("{\"type\":\"delivered" + tail);
      if (reader) {
        socket.writeTextMessage("{\"type\":\"read" + tail);
      }
    }
  }

  /** One figure from /metrics (summed over its labels); 0 when it is not there. */
  double metric(String name) {
    String text = onContext(() -> http.request(HttpMethod.GET, "/metrics").compose(req -> req.send())
        .compose(res -> res.body())).await().toString();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** The store's own counters from /metrics: write batches, their sizes and commit times. */
  private Map<String, Double> storeFigures() {
    String text = onContext(() -> http.request(HttpMethod.GET, "/metrics").compose(req -> req.send())
        .compose(res -> res.body())).await().toString();
    Map<String, Double> figures = new java.util.HashMap<>();
    for (String line : text.split("\n")) {
      for (String name : List.of("parley_store_batch_size_sum", "parley_store_batch_size_count",
          "parley_store_commit_seconds_sum", "parley_store_commit_seconds_count")) {
        if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
          figures.merge(name, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
        }
      }
    }
    return figures;
  }

  private static String storeSummary(Map<String, Double> before, Map<String, Double> after) {
    Function<String, Double> delta = key -> after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
    double batches = delta.apply("parley_store_batch_size_count");
    if (batches == 0) {
      return "store: no write batches seen (metrics off, or the relay)";
    }
    return String.format("store: %,.0f write batches, %.1f jobs per batch, %.2f ms per batch (run + commit)",
        batches, delta.apply("parley_store_batch_size_sum") / batches,
        delta.apply("parley_store_commit_seconds_sum") / delta.apply("parley_store_commit_seconds_count") * 1000);
  }

  /** The whole number after {@code key} in a frame's text. */
  private static long number(String text, String key) {
    int at = text.indexOf(key) + key.length();
    int end = at;
    while (end < text.length() && Character.isDigit(text.charAt(end))) {
      end++;
    }
    return Long.parseLong(text.substring(at, end));
  }

  private static String field(String text, String key) {
    int at = text.indexOf(key);
    if (at < 0) {
      return null;
    }
    int start = at + key.length();
    return text.substring(start, text.indexOf('"', start));
  }

  private List<User> signUp(String prefix, int count) {
    return inBatches(count, 32, i -> {
      String username = prefix + "-" + names.incrementAndGet();
      JsonObject credentials = new JsonObject().put("username", username).put("password", "benchmark-password");
      return post("/api/auth/register", null, credentials)
          .compose(v -> post("/api/auth/login", null, credentials))
          .map(login -> new User(login.getJsonObject("user").getString("id"), login.getString("accessToken")));
    });
  }

  private Future<String> direct(User a, User b) {
    return post("/api/conversations", a.token(), new JsonObject().put("type", "direct").put("userId", b.id()))
        .map(reply -> reply.getJsonObject("conversation").getString("id"));
  }

  private Future<String> group(List<User> members) {
    JsonArray ids = new JsonArray();
    members.subList(1, members.size()).forEach(m -> ids.add(m.id()));
    return post("/api/conversations", members.get(0).token(),
        new JsonObject().put("type", "group").put("title", "bench").put("memberIds", ids))
        .map(reply -> reply.getJsonObject("conversation").getString("id"));
  }

  /** Connects every user, user {@code i} to node {@code i mod n}: the two users of a pair are on different nodes. */
  private List<Connection> connectAll(List<User> users, Run run) {
    // Each connection counts once the server says it is live (ready): before that a connection
    // without a cursor is promised nothing, and the delivery check would blame the server.
    return inBatches(users.size(), 100, i -> onContext(() -> ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
            .setPort(ports.get(i % ports.size())).setURI("/api/ws?access_token=" + users.get(i).token()))
        .map(socket -> new Connection(users.get(i), socket, run, i % 3 == 0))
        .compose(connection -> connection.live.future().map(connection))));
  }

  private void closeAll(List<Connection> connections) {
    Future.join(connections.stream().map(c -> c.socket.close()).toList()).otherwiseEmpty().await();
  }

  private Future<JsonObject> post(String path, String token, JsonObject body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
        .putHeader("Content-Type", "application/json");
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    return onContext(() -> http.request(options).compose(req -> req.send(body.encode()))
        .compose(res -> res.body().compose(buf -> res.statusCode() < 300
            ? Future.succeededFuture(new JsonObject(buf.toString()))
            : Future.failedFuture(path + " answered " + res.statusCode() + ": " + buf))));
  }

  /** Starts an exchange on a Vert.x context, so its handlers are in place before any answer arrives. */
  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> exchange) {
    io.vertx.core.Promise<T> done = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> exchange.get().onComplete(done));
    return done.future();
  }

  /** Runs {@code count} operations, {@code parallel} at a time, and returns their results in order. */
  private static <T> List<T> inBatches(int count, int parallel, Function<Integer, Future<T>> operation) {
    List<T> results = new ArrayList<>(count);
    for (int start = 0; start < count; start += parallel) {
      List<Future<T>> batch = new ArrayList<>();
      for (int i = start; i < Math.min(count, start + parallel); i++) {
        batch.add(operation.apply(i));
      }
      results.addAll(Future.all(batch).await().list());
    }
    return results;
  }
}
