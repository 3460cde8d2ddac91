package dev.parley.bench;

import dev.parley.support.NodeStartup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The server under test: {@code target/parley.jar} in its own JVM, so its memory is its own. */
final class ServerProcess implements AutoCloseable {
  final int port;
  final Process process;
  final Path dataDir;
  /** The PostgreSQL database it keeps its data in ({@code PARLEY_DATABASE_URL}), or null for SQLite in {@link #dataDir}. */
  final String databaseUrl;
  private final String nodeId;

  private ServerProcess(int port, Process process, Path dataDir, String nodeId, String databaseUrl) {
    this.port = port;
    this.process = process;
    this.dataDir = dataDir;
    this.nodeId = nodeId;
    this.databaseUrl = databaseUrl;
  }

  /** True for the bare {@link Relay}, which is not Parley. */
  boolean isRelay() {
    return dataDir.getFileName().toString().startsWith("parley-relay");
  }

  /** The node id it was started with ({@code PARLEY_NODE_ID}), or null. */
  String nodeId() {
    return nodeId;
  }

  /**
   * Starts a node. Password hashing is made cheap (argon2id with 1 MiB, 1 pass) because the
   * benchmark signs up thousands of users and hashing is not what it measures.
   */
  static ServerProcess start(int port, String heap) throws IOException, InterruptedException {
    return start(port, heap, java.util.Map.of());
  }

  /** Starts one node of a cluster on 127.0.0.1: Hazelcast on {@code clusterPort}, seeds {@code members}. */
  static ServerProcess clustered(int port, String heap, String nodeId, String roles, int clusterPort, String members)
      throws IOException, InterruptedException {
    return clustered(port, heap, nodeId, roles, clusterPort, members, java.util.Map.of());
  }

  /** {@link #clustered(int, String, String, String, int, String)} with more {@code PARLEY_*} settings. */
  static ServerProcess clustered(int port, String heap, String nodeId, String roles, int clusterPort, String members,
                                 java.util.Map<String, String> more) throws IOException, InterruptedException {
    java.util.Map<String, String> env = new java.util.HashMap<>(more);
    env.putAll(java.util.Map.of("PARLEY_CLUSTER", "true", "PARLEY_CLUSTER_HOST", "127.0.0.1",
        "PARLEY_CLUSTER_PORT", String.valueOf(clusterPort), "PARLEY_CLUSTER_MEMBERS", members,
        "PARLEY_NODE_ID", nodeId, "PARLEY_ROLES", roles));
    return start(port, heap, env);
  }

  /** SIGKILL, the way a machine dies: nothing runs on the way out. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * {@code -Dbench.store=postgresql}: the node keeps its data in a new database of a PostgreSQL
   * server started for the benchmark on this machine, with its durable defaults (fsync on,
   * {@code synchronous_commit} on): the same promise as SQLite's {@code synchronous=FULL}.
   */
  static final boolean POSTGRESQL = "postgresql".equals(System.getProperty("bench.store"));

  static ServerProcess start(int port, String heap, java.util.Map<String, String> env) throws IOException, InterruptedException {
    // -Dbench.jar=<path> runs another build (an earlier one, for a same-hour comparison).
    Path jar = Path.of(System.getProperty("bench.jar", "target/parley.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException("build first: mvn -q package -DskipTests");
    }
    if (POSTGRESQL && !env.containsKey("PARLEY_DATABASE_URL")) {
      env = new java.util.HashMap<>(env);
      env.put("PARLEY_DATABASE_URL", dev.parley.support.PostgresServer.durable().newDatabase());
    }
    Path dataDir = Files.createTempDirectory("parley-bench");
    String conf = "{\"auth\":{\"argon2\":{\"memoryKiB\":1024,\"iterations\":1,\"parallelism\":1},"
        + "\"rateLimit\":{\"attemptsPerMinute\":0}},\"http\":{\"host\":\"127.0.0.1\"},"
        + "\"push\":{\"writeQueueMaxBytes\":4194304},"
        // The benchmark measures what the server can carry; limits per user would cap its senders.
        + "\"limits\":{\"messagesPerMinute\":0,\"changesPerMinute\":0,\"typingPerMinute\":0}"
        + System.getProperty("bench.serverConf", "") + "}";
    return launch(port, heap, List.of("-jar", jar.toAbsolutePath().toString(), "-conf", conf), dataDir, env);
  }

  /**
   * Starts the bare {@link Relay} instead of Parley, with the same JVM settings, from the
   * benchmark's own class path (exec:java puts it in the context class loader).
   */
  static ServerProcess relay(int port, String heap) throws IOException, InterruptedException {
    String classPath = System.getProperty("java.class.path");
    if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader loader) {
      StringBuilder urls = new StringBuilder();
      for (java.net.URL url : loader.getURLs()) {
        urls.append(urls.length() == 0 ? "" : java.io.File.pathSeparator).append(Path.of(java.net.URI.create(url.toString())));
      }
      classPath = urls.toString();
    }
    return launch(port, heap, List.of("-cp", classPath, Relay.class.getName()), Files.createTempDirectory("parley-relay"),
        java.util.Map.of());
  }

  private static ServerProcess launch(int port, String heap, List<String> main, Path dataDir, java.util.Map<String, String> env)
      throws IOException, InterruptedException {
    String extra = System.getProperty("bench.serverJvm", "").trim();
    List<String> command = new java.util.ArrayList<>(List.of("java", "-Xms" + heap, "-Xmx" + heap));
    if (!extra.contains("GC")) {
      command.add("-XX:+UseG1GC");
    }
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(main);
    ProcessBuilder builder = new ProcessBuilder(Pinning.server(command))
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("server.log").toFile());
    builder.environment().put("PARLEY_HTTP_PORT", String.valueOf(port));
    builder.environment().put("PARLEY_DATA_DIR", dataDir.toString());
    builder.environment().put("PARLEY_LOG_LEVEL", "WARN");
    builder.environment().putAll(env);
    Process process = builder.start();
    ServerProcess server = new ServerProcess(port, process, dataDir, env.get("PARLEY_NODE_ID"), env.get("PARLEY_DATABASE_URL"));
    server.awaitHealthy();
    return server;
  }

  /** Waits until the node has started every role: its /health no longer says STARTING. */
  private void awaitHealthy() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!NodeStartup.starting(port)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("server did not start; see " + dataDir.resolve("server.log"));
  }

  /** CPU time the server process has used, user + system, in seconds (Linux, 100 ticks/s). */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  /**
   * The server's {@code write}-family system calls so far ({@code syscw} of {@code /proc/<pid>/io}):
   * socket writes, and the database's.
   */
  long writeCalls() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "io"))) {
      if (line.startsWith("syscw:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  /** Resident memory of the server process in bytes (Linux). */
  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return -1;
  }

  /** Heap in use after a full GC, through jcmd (ships with the JDK). */
  long heapAfterGcBytes() throws IOException, InterruptedException {
    run("jcmd", String.valueOf(process.pid()), "GC.run");
    String info = run("jcmd", String.valueOf(process.pid()), "GC.heap_info");
    java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
    return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
  }

  /** The server's largest heap users (for -Dbench.histogram=true). */
  String histogram(int lines) throws IOException, InterruptedException {
    String[] all = run("jcmd", String.valueOf(process.pid()), "GC.class_histogram").split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(all, 0, Math.min(all.length, lines)));
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
