package dev.parley.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The storage's yardstick ({@code -Dbench.mode=storage}): Parley's schema (its migrations, as
 * shipped) written straight through sqlite-jdbc on one thread, with nothing else on the machine:
 * no network, no JSON, no event bus, statements prepared once per batch. Rows look like the main
 * benchmark's direct messages ({@code pairs} direct conversations, both users sending, client ids
 * {@code <sender>-<n>}), committed in batches of the sizes the server forms under the two direct
 * loads, with {@code synchronous=FULL} as shipped. It prints rows per second, wall and CPU time
 * per row: the most a single SQLite writer of this schema can store here. The second run of each
 * pair drops the {@code (sender_id, client_id)} unique index, to show what idempotent sends cost.
 */
final class StorageCeiling {
  private static final Path MIGRATIONS = Path.of("src", "main", "resources", "db", "migration");
  private static final String CLIENT_INDEX = ",\n  UNIQUE (sender_id, client_id)";
  private static final String INSERT = "INSERT INTO messages (id, conversation_id, seq, event_id, sender_id, type, text,"
      + " media_id, reply_to, mentions, client_id, created_at, system) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private StorageCeiling() {
  }

  static void main(String[] args) throws Exception {
    int warm = Integer.getInteger("bench.storageWarmRows", 200_000);
    int rows = Integer.getInteger("bench.storageRows", 200_000);
    System.out.println("Parley storage ceiling — " + Benchmark.machine());
    System.out.printf("settings: %,d rows written first, then %,d measured; one thread, synchronous=FULL, WAL, foreign keys on%n",
        warm, rows);
    for (int[] load : new int[][] {{20, 38}, {200, 400}}) {
      for (boolean clientIndex : new boolean[] {true, false}) {
        run(load[0], load[1], clientIndex, warm, rows);
      }
    }
  }

  private static void run(int pairs, int batch, boolean clientIndex, int warm, int rows) throws Exception {
    Path dir = Files.createTempDirectory("parley-storage");
    String url = "jdbc:sqlite:" + dir.resolve("parley.db") + "?journal_mode=WAL&synchronous=FULL&foreign_keys=on"
        + "&cache_size=-65536";
    try (Connection db = DriverManager.getConnection(url)) {
      migrate(db, clientIndex);
      String[] users = insertAll(db, "INSERT INTO users (id, username, display_name, created_at) VALUES (?, ?, ?, 'now')",
          2 * pairs, 3);
      String[] conversations = insertAll(db, "INSERT INTO conversations (id, type, created_at) VALUES (?, 'direct', 'now')",
          pairs, 1);
      long[] seqs = new long[pairs];
      long[] sent = new long[users.length];
      Random random = new Random(1);
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long id = 0;
      long started = 0;
      long cpuStarted = 0;
      for (int written = 0; written < warm + rows; written += batch) {
        if (written >= warm && started == 0) {
          started = System.nanoTime();
          cpuStarted = os.getProcessCpuTime();
        }
        try (Statement begin = db.createStatement()) {
          begin.execute("BEGIN IMMEDIATE");
        }
        try (PreparedStatement insert = db.prepareStatement(INSERT)) {
          for (int i = 0; i < batch; i++) {
            int pair = random.nextInt(pairs);
            int sender = 2 * pair + random.nextInt(2);
            id++;
            insert.setLong(1, id);
            insert.setString(2, conversations[pair]);
            insert.setLong(3, ++seqs[pair]);
            insert.setLong(4, id);
            insert.setString(5, users[sender]);
            insert.setString(6, "text");
            insert.setString(7, "benchmark message " + id);
            insert.setNull(8, Types.VARCHAR);
            insert.setNull(9, Types.BIGINT);
            insert.setString(10, "[]");
            insert.setString(11, users[sender] + "-" + sent[sender]++);
            insert.setString(12, java.time.Instant.now().toString());
            insert.setNull(13, Types.VARCHAR);
            insert.addBatch();
          }
          insert.executeBatch();
        }
        try (Statement commit = db.createStatement()) {
          commit.execute("COMMIT");
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpuStarted) / 1e9;
      System.out.printf("%3d pairs, batches of %3d, %-41s: %,7.0f rows/s; %5.1f µs wall, %5.1f µs CPU per row%n",
          pairs, batch, clientIndex ? "as shipped" : "without the (sender_id, client_id) index",
          rows / seconds, seconds / rows * 1e6, cpu / rows * 1e6);
    }
  }

  /** Runs the shipped migrations in order, optionally without the idempotency index. */
  private static void migrate(Connection db, boolean clientIndex) throws Exception {
    List<Path> files;
    try (Stream<Path> listed = Files.list(MIGRATIONS)) {
      files = listed.sorted((a, b) -> Integer.compare(version(a), version(b))).toList();
    }
    for (Path file : files) {
      String sql = Files.readString(file);
      if (!clientIndex) {
        sql = sql.replace(CLIENT_INDEX, "");
      }
      for (String statement : sql.split(";\\s*\\n")) {
        String code = statement.replaceAll("(?m)^--.*$", "").trim();
        if (!code.isEmpty()) {
          try (Statement s = db.createStatement()) {
            s.executeUpdate(code);
          }
        }
      }
    }
  }

  private static int version(Path migration) {
    String name = migration.getFileName().toString();
    return Integer.parseInt(name.substring(1, name.indexOf("__")));
  }

  /** Inserts {@code count} rows whose first {@code copies} parameters are one new UUID each; returns the ids. */
  private static String[] insertAll(Connection db, String sql, int count, int copies) throws SQLException {
    String[] ids = new String[count];
    try (PreparedStatement insert = db.prepareStatement(sql)) {
      for (int i = 0; i < count; i++) {
        ids[i] = UUID.randomUUID().toString();
        for (int p = 1; p <= copies; p++) {
          insert.setString(p, ids[i]);
        }
        insert.executeUpdate();
      }
    }
    return ids;
  }
}
