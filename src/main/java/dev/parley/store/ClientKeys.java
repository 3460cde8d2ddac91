package dev.parley.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which message a sender's {@code clientId} already names, so that a send is stored once however
 * late it is retried, without indexing its key in the write batch that stores it: that index
 * dirtied one random page per sender in every batch, half of what storing a message cost.
 *
 * <p>A key is in exactly one of two places. The keys of the messages up to the <em>mark</em> are
 * in {@code keys.db}, which its own connection writes beside {@code parley.db}'s single writer,
 * like the search index. The keys of newer messages are in this class's map, which is exact. Once
 * their messages have committed, {@link #moveEvery} moves the oldest keys to {@code keys.db} in
 * one sorted insert, which advances the mark in the same transaction; only then does the map let
 * them go. {@link #load} reads the mark and the keys of the messages past it: at start, and after
 * a write batch has rolled back. {@code keys.db} is derived data: deleted, it is rebuilt from the
 * messages. The Bloom filter in {@link StoreState#clientIds} stays in front of both places: a key it
 * has never seen is new without a look at either.
 *
 * <p>Runs on the store's event loop; the map is read and written only inside write-queue jobs.
 */
final class ClientKeys {
  /**
   * Keys are moved once this many wait, or when the linger has passed. The more keys a move
   * takes, the more of each sender's keys share an index page: with 400 senders, 5.5–6.7 µs of
   * CPU per key when moved 16,384 at a time, 8–15 µs at 4,096 (docs/performance.md).
   */
  static final int MOVE_AT = 16_384;
  /** The most keys one move takes, so that one transaction of keys.db stays bounded. */
  static final int MAX_MOVE = 65_536;
  /** Past this many keys beyond the mark, {@link #load} copies them to keys.db instead of holding them. */
  static final int CATCH_UP_CHUNK = 50_000;
  private static final Logger log = LoggerFactory.getLogger(ClientKeys.class);

  private record Entry(long messageId, String senderId, String clientId) {
  }

  private final Vertx vertx;
  private final Dialect sql;
  private final Pool keys;
  /** sender + NUL + clientId → message id, for the messages past the mark. */
  private Map<String, Long> recent = new HashMap<>();
  /** The same keys in message-id order: the next to move first. */
  private ArrayDeque<Entry> order = new ArrayDeque<>();
  private long mark;
  /** Every held key with a message id up to this one belongs to a committed message. */
  private long committed;
  private Future<Void> moving = Future.succeededFuture();
  private long lastMoveAt = System.nanoTime();
  private boolean stopped;
  private long mover = -1;
  private boolean loading;

  ClientKeys(Vertx vertx, Dialect sql, Pool keys) {
    this.vertx = vertx;
    this.sql = sql;
    this.keys = keys;
  }

  static String key(String senderId, String clientId) {
    return senderId + '\u0000' + clientId;
  }

  /**
   * Reads the mark from keys.db and the keys of the messages past it from {@code db}. More than
   * {@link #CATCH_UP_CHUNK} of them (a database from before keys.db, or a deleted keys.db) are
   * copied to keys.db chunk by chunk first, so memory never holds more than one chunk.
   */
  Future<Void> load(SqlClient db) {
    loading = true;
    return moving.otherwiseEmpty()
        .compose(v -> keys.query("SELECT up_to FROM moved").execute())
        // Messages that retention deleted count as there: their keys are not "ahead".
        .compose(marks -> db.query("SELECT " + sql.greatest("COALESCE((SELECT MAX(id) FROM messages), 0)",
                "COALESCE((SELECT MAX(expired_event_id) FROM conversations), 0)") + " AS last").execute()
            .compose(last -> notAhead(marks.iterator().next().getLong("up_to"), last.iterator().next().getLong("last"))))
        .compose(from -> loadPast(db, from))
        .eventually(() -> {
          loading = false;
          return Future.succeededFuture();
        });
  }

  /**
   * The mark, unless keys.db is ahead of the messages (parley.db restored from an older copy
   * beside a newer keys.db): then the keys of the messages that are gone are forgotten, so that
   * their ids, handed out again, can never name the wrong message.
   */
  private Future<Long> notAhead(long mark, long lastMessageId) {
    if (mark <= lastMessageId) {
      return Future.succeededFuture(mark);
    }
    log.warn("keys.db is ahead of parley.db (keys up to message {}, messages up to {}): forgetting the keys past {}",
        mark, lastMessageId, lastMessageId);
    return keys.withTransaction(conn -> conn.preparedQuery("DELETE FROM client_keys WHERE message_id > ?")
        .execute(Tuple.of(lastMessageId))
        .compose(v -> conn.preparedQuery("UPDATE moved SET up_to = ? WHERE id = 1").execute(Tuple.of(lastMessageId)))
        .map(lastMessageId));
  }

  private Future<Void> loadPast(SqlClient db, long from) {
    return db.preparedQuery("SELECT id, sender_id, client_id FROM messages WHERE id > ? AND client_id IS NOT NULL"
            + " ORDER BY id LIMIT ?")
        .execute(Tuple.of(from, CATCH_UP_CHUNK + 1))
        .compose(rows -> {
          List<Entry> past = new ArrayList<>(rows.size());
          for (Row row : rows) {
            past.add(new Entry(row.getLong("id"), row.getString("sender_id"), row.getString("client_id")));
          }
          if (past.size() > CATCH_UP_CHUNK) {
            List<Entry> chunk = past.subList(0, CATCH_UP_CHUNK);
            long upTo = chunk.get(chunk.size() - 1).messageId();
            log.info("copying {} idempotency keys to keys.db, up to message {}", chunk.size(), upTo);
            return write(chunk, upTo).compose(v -> loadPast(db, upTo));
          }
          replace(from, past);
          return Future.succeededFuture();
        });
  }

  private void replace(long loadedMark, List<Entry> past) {
    Map<String, Long> loadedRecent = new HashMap<>();
    for (Entry entry : past) {
      loadedRecent.put(key(entry.senderId(), entry.clientId()), entry.messageId());
    }
    mark = loadedMark;
    committed = past.isEmpty() ? loadedMark : past.get(past.size() - 1).messageId();
    recent = loadedRecent;
    order = new ArrayDeque<>(past);
  }

  /** A message being stored (ids only grow): its key is held until a move has taken it. */
  void add(String senderId, String clientId, long messageId) {
    recent.put(key(senderId, clientId), messageId);
    order.add(new Entry(messageId, senderId, clientId));
  }

  /** The messages up to {@code messageId} have committed: their keys may move. */
  void committed(long messageId) {
    committed = Math.max(committed, messageId);
  }

  /** The id of the recent message with this key, or null if it is not recent (older, or none). */
  Long recent(String senderId, String clientId) {
    return recent.get(key(senderId, clientId));
  }

  /** The ids of the messages that older keys name, from keys.db; {@code pairs} is sender, clientId, …. */
  Future<List<Long>> older(List<String> pairs) {
    if (pairs.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return keys.preparedQuery("SELECT message_id FROM client_keys WHERE (sender_id, client_id) IN (VALUES (?, ?)"
            + ", (?, ?)".repeat(pairs.size() / 2 - 1) + ")")
        .execute(Tuple.from(new ArrayList<Object>(pairs)))
        .map(rows -> {
          List<Long> ids = new ArrayList<>(rows.size());
          rows.forEach(row -> ids.add(row.getLong("message_id")));
          return ids;
        });
  }

  /** Keys held in memory, committed or not. */
  int waiting() {
    return order.size();
  }

  long mark() {
    return mark;
  }

  /**
   * From now on moves keys whenever {@link #MOVE_AT} wait, and at the latest
   * {@code lingerMs} after the last move. One move at a time; a failed one is tried again at the
   * next tick. Timers end with the verticle that set them.
   */
  void moveEvery(long lingerMs) {
    long lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMs);
    mover = vertx.setPeriodic(Math.max(1, Math.min(250, lingerMs)), id -> {
      if (stopped || loading || !moving.isComplete()) {
        return;
      }
      // The keys of at most one write batch are not committed yet: the count needs no walk.
      boolean headCommitted = !order.isEmpty() && order.peekFirst().messageId() <= committed;
      if (headCommitted && (order.size() >= MOVE_AT || System.nanoTime() - lastMoveAt >= lingerNanos)) {
        move();
      }
    });
  }

  /** Moves the keys that are due now; completes once they are in keys.db (tests, shutdown). */
  Future<Void> move() {
    List<Entry> batch = new ArrayList<>();
    for (Entry entry : order) {
      if (entry.messageId() > committed || batch.size() == MAX_MOVE) {
        break;
      }
      batch.add(entry);
    }
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    long upTo = batch.get(batch.size() - 1).messageId();
    moving = write(batch, upTo)
        .onSuccess(v -> forget(upTo))
        .onFailure(e -> log.warn("moving {} idempotency keys to keys.db failed; they stay in memory: {}", batch.size(),
            e.toString()))
        .eventually(() -> {
          lastMoveAt = System.nanoTime();
          return Future.succeededFuture();
        });
    return moving;
  }

  /** No further moves; completes when the one under way has ended. */
  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(mover);
    return moving.otherwiseEmpty();
  }

  /**
   * One transaction of keys.db: the keys, sorted, and the mark they bring it to. The entries are
   * a copy of immutable records, so tens of thousands of them are encoded on a worker thread,
   * not on the store's event loop.
   */
  private Future<Void> write(List<Entry> entries, long upTo) {
    return vertx.executeBlocking(() -> {
      JsonArray rows = new JsonArray();
      for (Entry entry : entries) {
        rows.add(new JsonArray().add(entry.senderId()).add(entry.clientId()).add(entry.messageId()));
      }
      return rows.encode();
    }).compose(json -> keys.withTransaction(conn -> conn.preparedQuery(sql.insertClientKeys()).execute(Tuple.of(json))
        // Never backwards: after a takeover the store that stepped down may still finish a move.
        .compose(v -> conn.preparedQuery("UPDATE moved SET up_to = " + sql.greatest("up_to", "?") + " WHERE id = 1")
            .execute(Tuple.of(upTo)))
        .mapEmpty()));
  }

  private void forget(long upTo) {
    while (!order.isEmpty() && order.peekFirst().messageId() <= upTo) {
      Entry entry = order.pollFirst();
      recent.remove(key(entry.senderId(), entry.clientId()), entry.messageId());
    }
    mark = Math.max(mark, upTo);
  }
}
