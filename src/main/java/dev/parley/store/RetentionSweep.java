package dev.parley.store;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired messages ({@link Retention}), off the hot path. Every
 * {@code retention.sweepIntervalSeconds} it reads the oldest message of each conversation that has a
 * retention (one index lookup on the read pool: the writer is untouched where nothing has expired),
 * one conversation at a time, and deletes the expired ones through the single writer in jobs of at
 * most {@code retention.batchSize} messages, each queued only once the one before has committed. A
 * send therefore waits behind at most one small deletion, never behind the whole sweep.
 *
 * <p>A conversation loses its messages oldest first (in seq order), up to the first one that has
 * not expired: what is left is always an unbroken run of the newest seqs. With each batch go the
 * messages' reactions and, after the commit, their search entries (SQLite's search.db; PostgreSQL's
 * index goes with the rows). The conversation records the highest seq and event id it lost, so
 * neither its seq nor the event counter goes back when the store loads them again.
 *
 * <p>Media that no message or avatar uses any more are left to the media verticle's cleanup
 * ({@code store.media.sweep}, which deletes the row, then the file and thumbnail wherever the media
 * folder is): an expired message's item was uploaded before it was sent, so it is usually past that
 * cleanup's age limit (a day by default) already. Runs on the store's context.
 */
final class RetentionSweep {
  private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

  /** What one job deleted, and whether more may be expired behind it. */
  private record Batch(int deleted, boolean more) {
  }

  private final Vertx vertx;
  private final Dialect sql;
  private final StoreState state;
  private final WriteQueue writes;
  private final Pool reader;
  private final SearchIndex search;
  private final Retention retention;
  private final int batchSize;
  private final long intervalMs;
  private final Counter deleted;
  private long timer = -1;
  private boolean running;
  private boolean stopped;

  RetentionSweep(Vertx vertx, Dialect sql, StoreState state, WriteQueue writes, Pool reader, SearchIndex search,
                 Retention retention, int batchSize, long intervalMs, Counter deleted) {
    this.vertx = vertx;
    this.sql = sql;
    this.state = state;
    this.writes = writes;
    this.reader = reader;
    this.search = search;
    this.retention = retention;
    this.batchSize = batchSize;
    this.intervalMs = intervalMs;
    this.deleted = deleted;
  }

  void start() {
    timer = vertx.setPeriodic(intervalMs, t -> sweep());
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  /** One pass over the conversations with a retention; a pass still running when the timer fires is left to finish. */
  Future<Long> sweep() {
    if (running || stopped) {
      return Future.succeededFuture(0L);
    }
    running = true;
    // Ids, not the conversations: a rolled-back write batch reloads the state with new objects.
    List<String> due = new ArrayList<>();
    for (StoreState.Conversation c : state.conversations.values()) {
      if (retention.days(c) > 0) {
        due.add(c.id);
      }
    }
    long started = System.nanoTime();
    return each(due.iterator(), 0L)
        .onSuccess(n -> {
          if (n > 0) {
            log.info("retention: deleted {} expired messages in {} ms ({} conversations looked at)", n,
                (System.nanoTime() - started) / 1_000_000, due.size());
          }
        })
        .onFailure(cause -> log.warn("retention sweep stopped: {}", cause.toString()))
        .eventually(() -> {
          running = false;
          return Future.succeededFuture();
        });
  }

  private Future<Long> each(Iterator<String> due, long sum) {
    if (!due.hasNext() || stopped) {
      return Future.succeededFuture(sum);
    }
    return look(due.next()).compose(n -> each(due, sum + n));
  }

  /** Reads the conversation's oldest message (reader pool); only if it has expired does the writer get work. */
  private Future<Long> look(String conversationId) {
    int days = days(conversationId);
    if (days == 0) {
      return Future.succeededFuture(0L);
    }
    return reader.preparedQuery("SELECT created_at FROM messages WHERE conversation_id = ? ORDER BY seq LIMIT 1")
        .execute(Tuple.of(conversationId))
        .compose(rows -> rows.size() == 0 || !expired(rows.iterator().next(), days)
            ? Future.succeededFuture(0L)
            : deleteExpired(conversationId, 0L));
  }

  private static boolean expired(Row row, int days) {
    return Instant.parse(row.getString("created_at")).toEpochMilli() < System.currentTimeMillis() - days * Retention.DAY_MS;
  }

  /** The conversation's retention now; 0 (nothing to delete) for one that is gone. */
  private int days(String conversationId) {
    StoreState.Conversation c = state.conversations.get(conversationId);
    return c == null ? 0 : retention.days(c);
  }

  /** Deletes the conversation's expired messages, one job of at most {@code batchSize} at a time. */
  private Future<Long> deleteExpired(String conversationId, long sum) {
    return writes.submit(tx -> deleteBatch(tx, conversationId)).compose(batch -> {
      long total = sum + batch.deleted();
      return batch.more() && !stopped ? deleteExpired(conversationId, total) : Future.succeededFuture(total);
    });
  }

  /**
   * One job: the conversation's oldest {@code batchSize} messages, of which the expired ones up to
   * the first that has not expired go, with their reactions. The retention is read again here, in
   * the writer, so a change made since the look is respected.
   */
  private Future<Batch> deleteBatch(WriteQueue.Tx tx, String conversationId) {
    StoreState.Conversation c = state.conversations.get(conversationId);
    int days = c == null ? 0 : retention.days(c);
    if (days == 0) {
      return Future.succeededFuture(new Batch(0, false));
    }
    return tx.conn.preparedQuery("SELECT id, seq, event_id, created_at, CASE WHEN text IS NULL THEN 0 ELSE 1 END AS indexed"
            + " FROM messages WHERE conversation_id = ? ORDER BY seq LIMIT ?")
        .execute(Tuple.of(c.id, batchSize))
        .compose(rows -> {
          List<Object> ids = new ArrayList<>();
          List<Long> indexed = new ArrayList<>();
          long lastSeq = 0;
          long lastEventId = 0;
          for (Row row : rows) {
            if (!expired(row, days)) {
              break;
            }
            ids.add(row.getLong("id"));
            if (row.getInteger("indexed") == 1) {
              indexed.add(row.getLong("id"));
            }
            lastSeq = row.getLong("seq");
            lastEventId = Math.max(lastEventId, row.getLong("event_id"));
          }
          // A full page, all of it expired: more may follow.
          Batch batch = new Batch(ids.size(), ids.size() == batchSize);
          if (ids.isEmpty()) {
            return Future.succeededFuture(batch);
          }
          return delete(tx, c, ids, lastSeq, lastEventId).map(v -> {
            tx.afterCommit(() -> {
              indexed.forEach(search::delete);
              deleted.increment(ids.size());
            });
            return batch;
          });
        });
  }

  private Future<RowSet<Row>> delete(WriteQueue.Tx tx, StoreState.Conversation c, List<Object> ids, long lastSeq, long lastEventId) {
    String marks = "?" + ", ?".repeat(ids.size() - 1);
    Tuple idTuple = Tuple.from(ids);
    return tx.conn.preparedQuery("DELETE FROM reactions WHERE message_id IN (" + marks + ")").execute(idTuple)
        .compose(v -> tx.conn.preparedQuery("DELETE FROM messages WHERE id IN (" + marks + ")").execute(idTuple))
        .compose(v -> tx.conn.preparedQuery("UPDATE conversations SET expired_seq = " + sql.greatest("expired_seq", "?")
                + ", expired_event_id = " + sql.greatest("expired_event_id", "?") + " WHERE id = ?")
            .execute(Tuple.of(lastSeq, lastEventId, c.id)));
  }
}
