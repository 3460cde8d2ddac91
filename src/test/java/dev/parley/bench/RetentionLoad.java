package dev.parley.bench;

import dev.parley.support.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code -Dbench.retentionSweep=true}: the benchmark with message retention deleting while it
 * measures. The server keeps messages for a day and sweeps every second; before the scenarios the
 * benchmark stores {@code bench.retentionMessages} (200,000) messages in 20 direct conversations of
 * their own and moves their creation times back, straight in the server's database, so that they
 * pass the one-day line one after another, evenly over {@code bench.retentionSpreadSeconds} (about
 * the length of the default run): the sweep deletes a steady stream of them throughout the
 * scenarios, as a server with retention does all day.
 */
final class RetentionLoad {
  static final boolean ON = Boolean.getBoolean("bench.retentionSweep");
  static final int MESSAGES = Integer.getInteger("bench.retentionMessages", 200_000);
  private static final long DAY_MS = 86_400_000L;
  private static final int CHUNK = 10_000;

  private RetentionLoad() {
  }

  /** The server's retention settings for the run, to append to its configuration. */
  static String serverConf() {
    return ",\"retention\":{\"defaultDays\":1,\"sweepIntervalSeconds\":1,\"batchSize\":"
        + Integer.getInteger("bench.retentionBatch", 200) + "}";
  }

  /** How long the stored messages take to expire, one after another: by default about the whole run. */
  static int spreadSeconds(int warmupSeconds, int measuredSeconds) {
    return Integer.getInteger("bench.retentionSpreadSeconds", 4 * (warmupSeconds + measuredSeconds + 10));
  }

  /**
   * Gives the messages of {@code conversationIds}, in id order, creation times that pass the
   * one-day line evenly over the next {@code spreadSeconds}; returns how many. Written in chunks,
   * so the server's writer never waits long for the database.
   */
  static int expireOverTime(ServerProcess server, List<String> conversationIds, int spreadSeconds) throws SQLException {
    try (Connection db = connect(server)) {
      List<Long> ids = new ArrayList<>();
      String marks = "?" + ", ?".repeat(conversationIds.size() - 1);
      try (PreparedStatement select = db.prepareStatement("SELECT id FROM messages WHERE conversation_id IN (" + marks
          + ") ORDER BY id")) {
        for (int i = 0; i < conversationIds.size(); i++) {
          select.setString(i + 1, conversationIds.get(i));
        }
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            ids.add(rows.getLong(1));
          }
        }
      }
      long first = System.currentTimeMillis() - DAY_MS;
      double step = spreadSeconds * 1000.0 / Math.max(1, ids.size());
      db.setAutoCommit(false);
      try (PreparedStatement update = db.prepareStatement("UPDATE messages SET created_at = ? WHERE id = ?")) {
        for (int i = 0; i < ids.size(); i++) {
          update.setString(1, Instant.ofEpochMilli(first + (long) (i * step)).toString());
          update.setLong(2, ids.get(i));
          update.addBatch();
          if ((i + 1) % CHUNK == 0 || i == ids.size() - 1) {
            update.executeBatch();
            db.commit();
          }
        }
      }
      return ids.size();
    }
  }

  private static Connection connect(ServerProcess server) throws SQLException {
    return server.databaseUrl != null
        ? PostgresServer.durable().connect(PostgresServer.name(server.databaseUrl))
        : DriverManager.getConnection("jdbc:sqlite:" + server.dataDir.resolve("parley.db") + "?busy_timeout=10000");
  }
}
