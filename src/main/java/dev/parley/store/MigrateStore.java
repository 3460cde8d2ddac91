package dev.parley.store;

import dev.parley.config.ParleyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * {@code java -jar parley.jar migrate-store --from data/parley.db --to postgresql://…}: copies a
 * SQLite store into an empty PostgreSQL database, the way from one node to a cluster
 * (docs/deploy.md). Every table the store keeps (users, refresh tokens, conversations, members,
 * media records, messages, reactions in their order, shares, bots, webhooks) is copied in one PostgreSQL
 * transaction, the idempotency keys are derived from the messages, and the row counts of both
 * sides are compared before it commits: it either copies everything or nothing. A target that
 * holds any data is refused. The SQLite file is only read.
 *
 * <p>A command run by an operator while no store uses the file, not a part of the running server:
 * plain blocking JDBC on the main thread.
 */
public final class MigrateStore {
  /** The store's tables in an order that never breaks a foreign key, with the column that orders their rows. */
  private static final Map<String, String> TABLES = new LinkedHashMap<>();

  static {
    TABLES.put("users", "rowid");
    TABLES.put("refresh_tokens", "rowid");
    TABLES.put("conversations", "rowid");
    TABLES.put("members", "rowid");
    TABLES.put("media", "rowid");
    TABLES.put("messages", "id");
    TABLES.put("reactions", "rowid");
    TABLES.put("shares", "n");
    TABLES.put("bots", "rowid");
    TABLES.put("webhooks", "rowid");
    TABLES.put("push_subscriptions", "rowid");
    TABLES.put("server_keys", "rowid");
    TABLES.put("bot_webhooks", "rowid");
    TABLES.put("bot_webhook_deliveries", "id");
    TABLES.put("audit_log", "id");
    TABLES.put("invitations", "rowid");
    TABLES.put("password_resets", "rowid");
    TABLES.put("server_settings", "rowid");
  }

  /** The newest SQLite migration this version ships: the file must have been opened by it. */
  private static final String SQLITE_VERSION = "13";
  private static final int BATCH = 1_000;

  private MigrateStore() {
  }

  /** The outcome: rows copied per table. */
  public record Copied(Map<String, Long> rows) {
  }

  /** The command line; returns the process's exit status and says what it did (or why not) on stdout/stderr. */
  public static int command(String[] args) {
    String from = null;
    String to = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--from" -> from = args[i + 1];
        case "--to" -> to = args[i + 1];
        default -> {
          return usage("unknown option " + args[i]);
        }
      }
    }
    if (from == null || to == null) {
      return usage("both --from and --to are needed");
    }
    try {
      Copied copied = copy(Path.of(from), ParleyConfig.Postgres.from(to, null));
      copied.rows().forEach((table, n) -> System.out.printf("%-15s %,d rows%n", table, n));
      System.out.println("done: " + from + " is copied into " + ParleyConfig.Postgres.from(to, null).display()
          + ". Start the store nodes with PARLEY_DATABASE_URL set to it, and give every node the same"
          + " PARLEY_JWT_SECRET (this install's is in " + Path.of(from).resolveSibling("jwt-secret")
          + ", unless you configured one) so that signed-in users stay signed in.");
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("migrate-store: " + e.getMessage());
      return 1;
    } catch (SQLException e) {
      System.err.println("migrate-store: database error, nothing was copied: " + e.getMessage());
      return 1;
    }
  }

  private static int usage(String problem) {
    System.err.println("migrate-store: " + problem + "\nusage: java -jar parley.jar migrate-store --from data/parley.db"
        + " --to postgresql://user:password@host:5432/parley");
    return 2;
  }

  /** Copies {@code from} into the empty database {@code to} (created schema and all), or changes nothing. */
  public static Copied copy(Path from, ParleyConfig.Postgres to) throws SQLException {
    if (!Files.isRegularFile(from)) {
      throw new IllegalArgumentException("no SQLite store at " + from);
    }
    try (Connection source = DriverManager.getConnection("jdbc:sqlite:" + from.toAbsolutePath() + "?open_mode=1")) {
      checkVersion(source);
      try (Connection target = DriverManager.getConnection(to.jdbcUrl(), to.user(), to.password())) {
        refuseIfNotEmpty(target);
        Flyway.configure().dataSource(to.jdbcUrl(), to.user(), to.password())
            .locations("classpath:db/postgresql").load().migrate();
        target.setAutoCommit(false);
        try {
          Map<String, Long> rows = new LinkedHashMap<>();
          for (Map.Entry<String, String> table : TABLES.entrySet()) {
            rows.put(table.getKey(), copyTable(source, target, table.getKey(), table.getValue()));
          }
          deriveKeysAndCounters(target);
          verify(source, target, rows);
          target.commit();
          return new Copied(rows);
        } catch (SQLException | RuntimeException e) {
          target.rollback();
          throw e;
        }
      }
    }
  }

  private static void checkVersion(Connection source) throws SQLException {
    String version;
    try (Statement s = source.createStatement();
         ResultSet r = s.executeQuery("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success = 1")) {
      version = r.next() ? r.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalArgumentException("this is not a Parley store (no schema history): " + e.getMessage());
    }
    if (!SQLITE_VERSION.equals(version)) {
      throw new IllegalArgumentException("the SQLite store is at schema version " + version + ", this Parley expects "
          + SQLITE_VERSION + ": start this version of Parley on it once (it migrates the file), stop it, then copy");
    }
  }

  /**
   * Refuses a target where any of the store's tables holds a row. An empty Parley schema (a copy
   * that failed and rolled back, a store that started once and stored nothing) is fine.
   */
  private static void refuseIfNotEmpty(Connection target) throws SQLException {
    for (String table : TABLES.keySet()) {
      boolean exists;
      try (Statement s = target.createStatement();
           ResultSet r = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
        r.next();
        exists = r.getBoolean(1);
      }
      if (exists && count(target, table) > 0) {
        throw new IllegalStateException("the target database is not empty (" + table + " has rows); "
            + "copy into a new, empty database");
      }
    }
  }

  /** Copies every row of {@code table}, column by column as SQLite has them, in {@code order}. */
  private static long copyTable(Connection source, Connection target, String table, String order) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (Statement s = source.createStatement(); ResultSet r = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (r.next()) {
        columns.add(r.getString("name"));
      }
    }
    String select = "SELECT " + String.join(", ", columns) + " FROM " + table + " ORDER BY " + order;
    String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
        + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
    long n = 0;
    try (Statement s = source.createStatement(); ResultSet r = s.executeQuery(select);
         PreparedStatement into = target.prepareStatement(insert)) {
      while (r.next()) {
        for (int i = 1; i <= columns.size(); i++) {
          into.setObject(i, r.getObject(i));
        }
        into.addBatch();
        if (++n % BATCH == 0) {
          into.executeBatch();
        }
      }
      into.executeBatch();
    }
    return n;
  }

  /**
   * The idempotency keys of every message (SQLite kept them in keys.db, derived data), the mark
   * past all of them, and the serial counters past the copied rows.
   */
  private static void deriveKeysAndCounters(Connection target) throws SQLException {
    try (Statement s = target.createStatement()) {
      s.execute("INSERT INTO client_keys (sender_id, client_id, message_id)"
          + " SELECT sender_id, client_id, id FROM messages WHERE client_id IS NOT NULL");
      s.execute("UPDATE moved SET up_to = (SELECT COALESCE(MAX(id), 0) FROM messages) WHERE id = 1");
      s.execute("SELECT setval(pg_get_serial_sequence('shares', 'n'), (SELECT COALESCE(MAX(n), 0) + 1 FROM shares), false)");
      s.execute("SELECT setval(pg_get_serial_sequence('reactions', 'n'), (SELECT COALESCE(MAX(n), 0) + 1 FROM reactions), false)");
    }
  }

  private static void verify(Connection source, Connection target, Map<String, Long> copied) throws SQLException {
    for (String table : TABLES.keySet()) {
      long there = count(source, table);
      long here = count(target, table);
      if (there != here || here != copied.get(table)) {
        throw new IllegalStateException(table + ": " + there + " rows in SQLite, " + here + " in PostgreSQL; nothing was copied");
      }
    }
  }

  private static long count(Connection conn, String table) throws SQLException {
    try (Statement s = conn.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }
}
