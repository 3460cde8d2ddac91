package dev.parley.support;

import dev.parley.Node;
import dev.parley.auth.SigningKeys;
import dev.parley.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A real Parley node for a test: every role, a real SQLite file in a temp folder, a free port,
 * and cheap password hashing (the real cost only slows tests down). Run with
 * {@code -Dparley.test.store=postgresql} (the pom's second test run), each node keeps its data in
 * a new database of the tests' own PostgreSQL server instead ({@link PostgresServer}).
 */
public final class TestNode implements AutoCloseable {
  private static final Set<Integer> GIVEN_PORTS = ConcurrentHashMap.newKeySet();
  private final Path dataDir;
  private final JsonObject config;
  private Node node;

  private TestNode(Path dataDir, JsonObject config) {
    this.dataDir = dataDir;
    this.config = config;
  }

  public static TestNode start() {
    return start(c -> { });
  }

  /** Starts a node; {@code tweak} may change the configuration first. */
  public static TestNode start(Consumer<JsonObject> tweak) {
    try {
      return startIn(Files.createTempDirectory("parley-test"), tweak);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TestNode startIn(Path dataDir, Consumer<JsonObject> tweak) {
    JsonObject config = ConfigLoader.classpathDefaults();
    config.getJsonObject("http").put("port", freePort()).put("host", "127.0.0.1");
    config.getJsonObject("store").put("dataDir", dataDir.toString());
    config.getJsonObject("auth").put("argon2", new JsonObject().put("memoryKiB", 1024).put("iterations", 1).put("parallelism", 1));
    // Tests sign many users up from one address and send fast; RateLimitTest turns the limits back on.
    config.getJsonObject("auth").put("rateLimit", new JsonObject().put("attemptsPerMinute", 0));
    config.put("limits", new JsonObject().put("messagesPerMinute", 0).put("changesPerMinute", 0).put("typingPerMinute", 0)
        .put("uploadsPerMinute", 0).put("sharesPerMinute", 0));
    config.getJsonObject("metrics").put("enabled", false);
    if (onPostgres()) {
      config.getJsonObject("store").put("database", PostgresServer.get().newDatabase());
    }
    tweak.accept(config);
    TestNode test = new TestNode(dataDir, SigningKeys.resolve(ConfigLoader.resolve(config)));
    test.node = new Node(test.config);
    try {
      test.node.start().await();
    } catch (RuntimeException e) {
      test.node.stop().await();
      throw e;
    }
    return test;
  }

  /**
   * A clustered node on 127.0.0.1 (TCP-IP, never multicast) with Hazelcast on {@code clusterPort},
   * joining through {@code seedPorts}, running {@code roles}. Bus requests time out after 2 s so
   * that a lost store shows quickly.
   */
  public static TestNode clustered(Path dataDir, int clusterPort, List<Integer> seedPorts, String... roles) {
    return clustered(dataDir, clusterPort, seedPorts, c -> { }, roles);
  }

  /** {@link #clustered(Path, int, List, String...)} with a further change to the configuration. */
  public static TestNode clustered(Path dataDir, int clusterPort, List<Integer> seedPorts, Consumer<JsonObject> tweak,
                                   String... roles) {
    return startIn(dataDir, c -> {
      tweak.accept(c);
      c.getJsonObject("node").put("roles", new JsonArray(List.of(roles)));
      c.getJsonObject("bus").put("requestTimeoutMs", 2000);
      c.getJsonObject("http").put("instances", 1);
      c.put("cluster", new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", clusterPort)
          .put("members", new JsonArray(seedPorts.stream().map(p -> "127.0.0.1:" + p).toList())));
    });
  }

  /** True in the test run whose stores keep their data in PostgreSQL. */
  public static boolean onPostgres() {
    return "postgresql".equals(System.getProperty("parley.test.store"));
  }

  public static Path tempDir() {
    try {
      return Files.createTempDirectory("parley-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops this node and starts a new one on the same data directory and port. */
  public TestNode restart() {
    node.stop().await();
    return startIn(dataDir, c -> {
      c.getJsonObject("http").put("port", port());
      c.getJsonObject("store").put("dataDir", dataDir.toString())
          .put("database", config.getJsonObject("store").getString("database"));
      c.getJsonObject("auth").mergeIn(config.getJsonObject("auth"));
      if (config.containsKey("webPush")) {
        c.put("webPush", config.getJsonObject("webPush").copy());
      }
      if (config.containsKey("outgoingWebhooks")) {
        c.put("outgoingWebhooks", config.getJsonObject("outgoingWebhooks").copy());
      }
      for (String section : List.of("retention", "media")) {
        if (config.containsKey(section)) {
          c.put(section, config.getJsonObject(section).copy());
        }
      }
    });
  }

  /** A JDBC connection to this node's database (its SQLite file, or its PostgreSQL database), for a test's own look. */
  public Connection database() throws SQLException {
    String url = config.getJsonObject("store").getString("database");
    return url != null
        ? PostgresServer.get().connect(PostgresServer.name(url))
        : DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("parley.db") + "?busy_timeout=5000");
  }

  /** Moves a message's creation time {@code seconds} into the past, straight in the database. */
  public void backdateMessage(long messageId, int seconds) throws SQLException {
    try (Connection db = database();
         PreparedStatement update = db.prepareStatement("UPDATE messages SET created_at = ? WHERE id = ?")) {
      update.setString(1, Instant.now().minusSeconds(seconds).toString());
      update.setLong(2, messageId);
      if (update.executeUpdate() != 1) {
        throw new IllegalStateException("no message " + messageId);
      }
    }
  }

  /** Moves a media item's upload time {@code seconds} into the past, straight in the database. */
  public void backdateMedia(String mediaId, int seconds) throws SQLException {
    try (Connection db = database();
         PreparedStatement update = db.prepareStatement("UPDATE media SET created_at = ? WHERE id = ?")) {
      update.setString(1, Instant.now().minusSeconds(seconds).toString());
      update.setString(2, mediaId);
      if (update.executeUpdate() != 1) {
        throw new IllegalStateException("no media " + mediaId);
      }
    }
  }

  public int port() {
    return config.getJsonObject("http").getInteger("port");
  }

  public Path dataDir() {
    return dataDir;
  }

  public JsonObject config() {
    return config;
  }

  public Node node() {
    return node;
  }

  @Override
  public void close() {
    if (node != null) {
      node.stop().await();
    }
  }

  /**
   * A port free now, below Linux's ephemeral range (32768–60999), and never the same one twice in
   * a run. The kernel gives ports of that range to outgoing connections too, so a port found free
   * there could be taken by one (a Hazelcast member's, say) before the test bound it; below it,
   * only a listener can take it.
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
      if (!GIVEN_PORTS.add(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port)) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
