package dev.parley.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Parley node in a process of its own ({@code dev.parley.Main} on the test class path), joined
 * to a Hazelcast cluster on 127.0.0.1, so that a test can kill it the way a machine dies
 * ({@link #kill()}: SIGKILL, nothing runs on the way out) or stop it the way an operator does
 * ({@link #stop()}: SIGTERM, the graceful shutdown). Its log is {@code node.log} in its data folder.
 */
public final class NodeProcess implements AutoCloseable {
  public final int httpPort;
  public final int clusterPort;
  private final Path dataDir;
  private final List<String> command;
  private final List<Integer> seeds;
  private final String roles;
  private final Map<String, String> env;
  private Process process;

  private NodeProcess(Path dataDir, int httpPort, int clusterPort, List<Integer> seeds, String roles,
                      Map<String, String> env) {
    this.env = env;
    this.dataDir = dataDir;
    this.httpPort = httpPort;
    this.clusterPort = clusterPort;
    this.seeds = seeds;
    this.roles = roles;
    String conf = "{\"auth\":{\"argon2\":{\"memoryKiB\":1024,\"iterations\":1,\"parallelism\":1},"
        + "\"rateLimit\":{\"attemptsPerMinute\":0}},\"http\":{\"host\":\"127.0.0.1\",\"instances\":1},"
        + "\"bus\":{\"requestTimeoutMs\":2000},\"metrics\":{\"enabled\":false},"
        + "\"limits\":{\"messagesPerMinute\":0,\"changesPerMinute\":0,\"typingPerMinute\":0}}";
    this.command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.parley.Main", "-conf", conf);
  }

  /** Starts a node running {@code roles} (comma-separated) and waits until its HTTP port answers. */
  public static NodeProcess start(int clusterPort, List<Integer> seeds, String roles) {
    return start(clusterPort, seeds, roles, Map.of());
  }

  /** {@link #start(int, List, String)} with more {@code PARLEY_*} settings in its environment. */
  public static NodeProcess start(int clusterPort, List<Integer> seeds, String roles, Map<String, String> env) {
    NodeProcess node = new NodeProcess(TestNode.tempDir(), TestNode.freePort(), clusterPort, seeds, roles, env);
    node.launch();
    return node;
  }

  private void launch() {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("node.log").toFile()));
    builder.environment().put("PARLEY_HTTP_PORT", String.valueOf(httpPort));
    builder.environment().put("PARLEY_DATA_DIR", dataDir.toString());
    builder.environment().put("PARLEY_ROLES", roles);
    builder.environment().put("PARLEY_CLUSTER", "true");
    builder.environment().put("PARLEY_CLUSTER_HOST", "127.0.0.1");
    builder.environment().put("PARLEY_CLUSTER_PORT", String.valueOf(clusterPort));
    builder.environment().put("PARLEY_CLUSTER_MEMBERS",
        seeds.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    builder.environment().put("PARLEY_LOG_LEVEL", "WARN");
    builder.environment().putAll(env);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await().atMost(Duration.ofSeconds(60)).alias("the node on port " + httpPort + " starts; see " + dataDir.resolve("node.log"))
        .until(() -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("node exited with " + process.exitValue() + "; see " + dataDir.resolve("node.log"));
          }
          return !NodeStartup.starting(httpPort);
        });
  }

  /** SIGKILL: the process ends at once, its sockets and its cluster membership with it. */
  public void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /** SIGTERM: the node's graceful shutdown (stop accepting, close connections, leave the cluster). */
  public void stop() {
    process.destroy();
    awaitExit();
  }

  /** Starts the node again on the same ports and data folder. */
  public void restart() {
    launch();
  }

  /** This node's log so far (its {@code node.log}). */
  public String log() {
    try {
      return java.nio.file.Files.readString(dataDir.resolve("node.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (alive()) {
      kill();
    }
  }
}
