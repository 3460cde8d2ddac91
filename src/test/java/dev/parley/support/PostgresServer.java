package dev.parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL server for the tests, started from the installed binaries
 * ({@code initdb} and {@code pg_ctl} of Debian's {@code postgresql} package) in a temp folder on a
 * free port, once per test JVM, and stopped when the JVM exits. PostgreSQL refuses to run as
 * root, so when the tests run as root it runs as the {@code postgres} user. Each caller gets a
 * database of its own ({@link #newDatabase}).
 *
 * <p>Without PostgreSQL installed the tests that need it are skipped, saying so; in CI (the
 * environment variable {@code CI} is set, as {@code .ci/run} does) they fail instead.
 */
public final class PostgresServer {
  private static PostgresServer shared;
  private static PostgresServer durable;
  private static String unavailable;
  private final AtomicInteger databases = new AtomicInteger();
  private final Path dir;
  private final Path bin;
  private final int port;
  private final boolean asRoot;

  private PostgresServer(Path dir, Path bin, int port, boolean asRoot) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
    this.asRoot = asRoot;
  }

  /** The server of this test run, started on first use; skips (or in CI fails) the test without PostgreSQL. */
  public static synchronized PostgresServer get() {
    if (shared == null && unavailable == null) {
      try {
        shared = start(false);
      } catch (RuntimeException e) {
        unavailable = e.getMessage();
      }
    }
    if (shared == null) {
      String message = "PostgreSQL is not available, so the PostgreSQL tests cannot run: " + unavailable
          + " (install Debian's postgresql package; .ci/run does)";
      if (System.getenv("CI") != null) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message);
    }
    return shared;
  }

  /**
   * A server with PostgreSQL's durable defaults (fsync on, full page writes), for the benchmark:
   * its figures must be those of a database that keeps what it acknowledged.
   */
  public static synchronized PostgresServer durable() {
    if (durable == null) {
      durable = start(true);
    }
    return durable;
  }

  private static PostgresServer start(boolean durableWrites) {
    Path bin = binaries();
    try {
      boolean asRoot = "root".equals(System.getProperty("user.name"));
      Path dir = Files.createTempDirectory("parley-pg");
      int port = TestNode.freePort();
      if (asRoot) {
        run(List.of("chown", "postgres:postgres", dir.toString()), false);
      }
      PostgresServer server = new PostgresServer(dir, bin, port, asRoot);
      server.pg(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
          "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"));
      // fsync off for tests: a test kills Parley, never PostgreSQL, so nothing needs its data on disk.
      server.pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
          "-l", dir.resolve("postgres.log").toString(), "-o",
          "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=300"
              + (durableWrites ? "" : " -c fsync=off -c full_page_writes=off"),
          "start"));
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The newest installed PostgreSQL's bin folder. */
  private static Path binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("no /usr/lib/postgresql");
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
          .orElseThrow(() -> new IllegalStateException("no initdb and pg_ctl under /usr/lib/postgresql/*/bin"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void pg(List<String> command) {
    List<String> full = new ArrayList<>();
    if (asRoot) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    run(full, true);
  }

  private static void run(List<String> command, boolean quietLog) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }

  /** A new empty database; its {@code postgresql://} URL. */
  public String newDatabase() {
    String name = "parley_" + databases.incrementAndGet();
    execute("postgres", "CREATE DATABASE " + name);
    return url(name);
  }

  public String url(String database) {
    return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
  }

  /** The database's name in a URL this server gave out. */
  public static String name(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  /** Runs SQL as the superuser in {@code database}. */
  public void execute(String database, String sql) {
    try (Connection conn = connect(database); Statement statement = conn.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** A pgjdbc connection as the superuser, for a test's own look at the data. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", null);
  }

  private void stop() {
    try {
      pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "stop"));
    } catch (RuntimeException ignored) {
      // the JVM is exiting anyway
    }
  }
}
