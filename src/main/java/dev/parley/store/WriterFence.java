package dev.parley.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;

/**
 * The fence that lets exactly one store write to a PostgreSQL database: a session-level advisory
 * lock taken on the writer's own connection. PostgreSQL holds it exactly as long as that
 * connection lives, and every write of the store goes through that connection, so two stores can
 * never commit at once, whatever Hazelcast believes: a store cut off from the cluster, or waking
 * from a long pause, either still holds its connection (and the others wait) or has lost it (and
 * cannot write any more). A store killed outright drops its connection and the lock with it; one
 * whose machine vanishes is dropped by PostgreSQL's TCP keepalives (see
 * {@link PostgresDatabase#connectWriter}).
 */
final class WriterFence {
  /** The lock's key, the same for every Parley store of a database: "Parley" in ASCII. */
  static final long KEY = 0x5061726c6579L;

  private WriterFence() {
  }

  /** Takes the fence on {@code writer} if no other session holds it; true if this one has it now. */
  static Future<Boolean> tryTake(SqlConnection writer) {
    return writer.query("SELECT pg_try_advisory_lock(" + KEY + ") AS taken").execute()
        .map(rows -> rows.iterator().next().getBoolean("taken"));
  }

  /** Who holds the fence now, for the log of a waiting store: application name, address and backend pid. */
  static Future<String> holder(SqlConnection conn) {
    return conn.query("SELECT a.application_name, a.client_addr::text AS addr, a.pid FROM pg_locks l"
            + " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
            + " AND l.objid = " + (KEY & 0xffffffffL) + " AND l.classid = " + (KEY >>> 32)).execute()
        .map(rows -> {
          if (rows.size() == 0) {
            return "nobody";
          }
          Row row = rows.iterator().next();
          return row.getString("application_name") + " at " + row.getString("addr") + " (backend " + row.getInteger("pid") + ")";
        });
  }
}
