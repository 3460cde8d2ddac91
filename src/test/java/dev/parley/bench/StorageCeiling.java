package dev.parley.bench;

import io.vertx.core.json.JsonArray;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The storage's yardstick ({@code -Dbench.mode=storage}): Parley's schema (its migrations, as
 * shipped) written straight through sqlite-jdbc on one thread, with nothing else on the machine:
 * no network, no event bus. Rows look like the main benchmark's direct messages ({@code pairs}
 * direct conversations, both users sending, client ids {@code <sender>-<n>}), stored in batches of
 * the sizes the server forms under the two direct loads, with {@code synchronous=FULL} as shipped.
 * It prints rows per second, wall and CPU time per row: the most a single SQLite writer of this
 * schema can store here.
 *
 * <p>Each load runs twice. <em>As shipped</em> stores a batch the way the store does: one
 * {@code INSERT … SELECT … FROM json_each(?)} in autocommit. The store moves the idempotency keys
 * to {@code keys.db} on a connection of its own, beside the writer (store/ClientKeys); here the
 * same moves (up to 65,536 keys, sorted, whenever 16,384 wait) run on the same thread and are
 * timed apart, so the rows per second are the writer's and the moves have a line of their own.
 * <em>Before V6</em> runs the migrations up to V5, where {@code UNIQUE (sender_id, client_id)}
 * indexed every key in the batch that stored it, and stores a batch as the store did then:
 * {@code BEGIN}, one prepared insert per row, {@code COMMIT}.
 */
final class StorageCeiling {
  private static final Path MIGRATIONS = Path.of("src", "main", "resources", "db", "migration");
  private static final Path KEYS_MIGRATIONS = Path.of("src", "main", "resources", "db", "keys");
  private static final String COLUMNS = "INSERT INTO messages (id, conversation_id, seq, event_id, sender_id, type, text,"
      + " media_id, reply_to, mentions, client_id, created_at, system) ";
  private static final String INSERT_ROW = COLUMNS + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_ROWS = COLUMNS + "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3,"
      + " value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10, value ->> 11,"
      + " value ->> 12 FROM json_each(?)";
  /** As store/ClientKeys: a move once this many keys wait, of at most MOVE_MAX. */
  private static final int MOVE_AT = 16_384;
  private static final int MOVE_MAX = 65_536;

  private StorageCeiling() {
  }

  static void main(String[] args) throws Exception {
    int warm = Integer.getInteger("bench.storageWarmRows", 200_000);
    int rows = Integer.getInteger("bench.storageRows", 200_000);
    System.out.println("Parley storage ceiling — " + Benchmark.machine());
    System.out.printf("settings: %,d rows written first, then %,d measured; one thread, synchronous=FULL, WAL, foreign keys on%n",
        warm, rows);
    for (int[] load : new int[][] {{20, 38}, {200, 400}}) {
      for (boolean shipped : new boolean[] {true, false}) {
        run(load[0], load[1], shipped, warm, rows);
      }
    }
  }

  private static void run(int pairs, int batch, boolean shipped, int warm, int rows) throws Exception {
    Path dir = Files.createTempDirectory("parley-storage");
    String url = "jdbc:sqlite:" + dir.resolve("parley.db") + "?journal_mode=WAL&synchronous=FULL&foreign_keys=on"
        + "&cache_size=-65536";
    try (Connection db = DriverManager.getConnection(url);
         Connection keys = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("keys.db")
             + "?journal_mode=WAL&synchronous=NORMAL")) {
      migrate(db, MIGRATIONS, shipped ? Integer.MAX_VALUE : 5);
      migrate(keys, KEYS_MIGRATIONS, Integer.MAX_VALUE);
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
      long moved = 0;
      long movedKeys = 0;
      long moveNanos = 0;
      long moveCpu = 0;
      long started = 0;
      long cpuStarted = 0;
      for (int written = 0; written < warm + rows; written += batch) {
        if (written >= warm && started == 0) {
          started = System.nanoTime();
          cpuStarted = os.getProcessCpuTime();
        }
        List<Object[]> values = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
          int pair = random.nextInt(pairs);
          int sender = 2 * pair + random.nextInt(2);
          id++;
          values.add(new Object[] {id, conversations[pair], ++seqs[pair], id, users[sender], "text", "benchmark message " + id,
              null, null, "[]", users[sender] + "-" + sent[sender]++, java.time.Instant.now().toString(), null});
        }
        if (shipped) {
          insertAsShipped(db, values);
          if (id - moved >= MOVE_AT) {
            long wall = System.nanoTime();
            long cpu = os.getProcessCpuTime();
            long from = moved;
            moved = moveKeys(db, keys, moved, Math.min(id, moved + MOVE_MAX));
            if (started != 0) {
              moveNanos += System.nanoTime() - wall;
              moveCpu += os.getProcessCpuTime() - cpu;
              movedKeys += moved - from;
            }
          }
        } else {
          insertBeforeV6(db, values);
        }
      }
      double seconds = (System.nanoTime() - started - moveNanos) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpuStarted - moveCpu) / 1e9;
      System.out.printf("%3d pairs, batches of %3d, %-58s: %,7.0f rows/s; %5.1f µs wall, %5.1f µs CPU per row%n",
          pairs, batch, shipped ? "as shipped (keys moved to keys.db later)" : "before V6 (unique key index in every batch)",
          rows / seconds, seconds / rows * 1e6, cpu / rows * 1e6);
      if (movedKeys > 0) {
        System.out.printf("%38s moving the keys to keys.db (its own connection in the store): %5.1f µs wall, %5.1f µs CPU per key%n",
            "", moveNanos / 1e3 / movedKeys, moveCpu / 1e3 / movedKeys);
      }
    }
  }

  private static void insertAsShipped(Connection db, List<Object[]> values) throws SQLException {
    JsonArray rows = new JsonArray();
    for (Object[] row : values) {
      rows.add(new JsonArray(Arrays.asList(row)));
    }
    try (PreparedStatement insert = db.prepareStatement(INSERT_ROWS)) {
      insert.setString(1, rows.encode());
      insert.executeUpdate();
    }
  }

  /** Moves the keys of messages from+1..upTo as the store does: JSON built from memory, one sorted insert. */
  private static long moveKeys(Connection db, Connection keys, long from, long upTo) throws SQLException {
    JsonArray rows = new JsonArray();
    try (Statement sql = db.createStatement();
         java.sql.ResultSet held = sql.executeQuery("SELECT sender_id, client_id, id FROM messages WHERE id > " + from
             + " AND id <= " + upTo)) {
      while (held.next()) {
        rows.add(new JsonArray().add(held.getString(1)).add(held.getString(2)).add(held.getLong(3)));
      }
    }
    keys.setAutoCommit(false);
    try (PreparedStatement insert = keys.prepareStatement("INSERT INTO client_keys (sender_id, client_id, message_id)"
        + " SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?) ORDER BY 1, 2");
         Statement mark = keys.createStatement()) {
      insert.setString(1, rows.encode());
      insert.executeUpdate();
      mark.executeUpdate("UPDATE moved SET up_to = " + upTo + " WHERE id = 1");
    }
    keys.commit();
    keys.setAutoCommit(true);
    return upTo;
  }

  private static void insertBeforeV6(Connection db, List<Object[]> values) throws SQLException {
    try (Statement begin = db.createStatement()) {
      begin.execute("BEGIN IMMEDIATE");
    }
    try (PreparedStatement insert = db.prepareStatement(INSERT_ROW)) {
      for (Object[] row : values) {
        for (int p = 0; p < row.length; p++) {
          if (row[p] == null) {
            insert.setNull(p + 1, Types.VARCHAR);
          } else {
            insert.setObject(p + 1, row[p]);
          }
        }
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (Statement commit = db.createStatement()) {
      commit.execute("COMMIT");
    }
  }

  /** Runs the shipped migrations of {@code folder} in order, up to version {@code upTo}. */
  private static void migrate(Connection db, Path folder, int upTo) throws Exception {
    List<Path> files;
    try (Stream<Path> listed = Files.list(folder)) {
      files = listed.filter(f -> version(f) <= upTo).sorted((a, b) -> Integer.compare(version(a), version(b))).toList();
    }
    for (Path file : files) {
      String sql = Files.readString(file);
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
