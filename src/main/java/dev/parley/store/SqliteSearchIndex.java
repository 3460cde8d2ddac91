package dev.parley.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full-text index in {@code search.db}, written by its own connection after messages have
 * committed in {@code parley.db}: indexing costs as much as storing a message, and here it runs
 * beside the message writer instead of inside its batches. Changes wait up to {@code lingerMs}
 * ({@code store.searchLingerMs}) and go in together, since FTS5 makes a new segment of every
 * transaction and merges segments as they pile up: search sees a new message about that long
 * after it is stored. Queries also check {@code recalled} in {@code parley.db}, so a recall is
 * never late.
 *
 * <p>Every change (a new message, an edit, a recall) is an event of the message log with its own
 * event id, and arrives here in event-id order. Changes are applied in that order, many per
 * transaction, each transaction also moving the {@code indexed.up_to} mark to the last event id
 * it applied. At start, and after a crash, {@link #catchUp} walks parley.db's event index past
 * the mark and applies each message's latest state: an edit of an old message is caught up like
 * a new one. Deleting search.db rebuilds the index. Runs on the store context.
 *
 * <p>The FTS5 table is contentless with {@code contentless_delete=1}: a row can be deleted or
 * replaced by rowid alone, without the old text, so an edit is an {@code INSERT OR REPLACE} that
 * drops the old text's terms and adds the new one's. A new message is a plain {@code INSERT}.
 */
final class SqliteSearchIndex implements SearchIndex {
  private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);
  private static final int CHUNK = 10_000;
  private static final long RETRY_MS = 2_000;

  /**
   * One change at an event id: text to index under a message id, or (text null) a message to
   * forget; {@code id} 0 only moves the mark (an event with no text to index).
   */
  private record Change(long id, long eventId, String text, boolean replace) {
  }

  private final Vertx vertx;
  private final Pool index;
  private final Pool main;
  private final long lingerMs;
  private final ArrayDeque<Change> pending = new ArrayDeque<>();
  private boolean running;
  private final List<Promise<Void>> idleWaiters = new ArrayList<>();
  private boolean caughtUp;
  private long timer = -1;
  private boolean stopping;

  SqliteSearchIndex(Vertx vertx, Pool index, Pool main, long lingerMs) {
    this.vertx = vertx;
    this.index = index;
    this.main = main;
    this.lingerMs = Math.max(1, lingerMs);
  }

  /**
   * Indexes a new message's text; the message id is its event id. Before catch-up has finished
   * the walk may index it too, so such a message replaces rather than inserts.
   */
  @Override
  public void add(long id, String text) {
    if (text != null) {
      enqueue(new Change(id, id, text, !caughtUp));
    }
  }

  /** Indexes an edited message's new text in place of its old one, as of event {@code eventId}. */
  @Override
  public void replace(long id, long eventId, String text) {
    enqueue(new Change(id, eventId, text, true));
  }

  /** Forgets a message (recalled) as of event {@code eventId}. */
  @Override
  public void remove(long id, long eventId) {
    enqueue(new Change(id, eventId, null, false));
  }

  /** Forgets a message deleted by retention; event id 0 leaves the mark where it is. */
  @Override
  public void delete(long id) {
    enqueue(new Change(id, 0, null, false));
  }

  private void enqueue(Change change) {
    pending.add(change);
    if (caughtUp && !running) {
      running = true;
      lingerThenDrain();
    }
  }

  /** Waits {@code lingerMs} before the next transaction, unless a full chunk or a shutdown waits. */
  private void lingerThenDrain() {
    if (pending.size() >= CHUNK || !idleWaiters.isEmpty()) {
      drain();
    } else {
      timer = vertx.setTimer(lingerMs, t -> {
        timer = -1;
        drain();
      });
    }
  }

  /**
   * Indexes what parley.db holds past the mark, then takes live changes. If it fails (search.db
   * locked or unreadable), it is tried again every {@code RETRY_MS} until it succeeds.
   */
  @Override
  public Future<Void> catchUp() {
    return index.query("SELECT up_to FROM indexed WHERE id = 1").execute()
        .compose(rows -> catchUpFrom(rows.iterator().next().getLong("up_to")))
        .onSuccess(v -> {
          caughtUp = true;
          if (!pending.isEmpty() && !running) {
            running = true;
            drain();
          }
        })
        .onFailure(this::catchUpLater);
  }

  /**
   * After a failed write or catch-up: the mark has not moved past what failed, and everything
   * since it is in parley.db, so queued changes are dropped and a fresh catch-up covers them.
   */
  private void catchUpLater(Throwable cause) {
    log.warn("search index write failed ({}); catching up from parley.db in {} ms", cause.toString(), RETRY_MS);
    caughtUp = false;
    running = false;
    idleWaiters.forEach(Promise::complete);
    idleWaiters.clear();
    if (!stopping) {
      vertx.setTimer(RETRY_MS, t -> {
        if (!stopping) {
          pending.clear();
          catchUp();
        }
      });
    }
  }

  /**
   * Each message whose latest event is past the mark, in its current state. (A mark written
   * before edits existed counted message ids; event ids are never smaller, so starting from it
   * only indexes a few messages again.)
   */
  private Future<Void> catchUpFrom(long upTo) {
    return main.preparedQuery("SELECT id, event_id, text, recalled FROM messages INDEXED BY messages_event"
            + " WHERE event_id > ? ORDER BY event_id LIMIT ?")
        .execute(Tuple.of(upTo, CHUNK))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture();
          }
          List<Change> chunk = new ArrayList<>(rows.size());
          for (Row row : rows) {
            long eventId = row.getLong("event_id");
            String text = row.getString("text");
            if (row.getInteger("recalled") == 1) {
              chunk.add(new Change(row.getLong("id"), eventId, null, false));
            } else {
              // The message may be indexed already (an edit, or a mark that lagged): replace.
              chunk.add(new Change(text == null ? 0 : row.getLong("id"), eventId, text, true));
            }
          }
          long last = chunk.get(chunk.size() - 1).eventId();
          return write(chunk).compose(v -> {
            log.info("search index caught up to event {}", last);
            return catchUpFrom(last);
          });
        });
  }

  /**
   * Completes once every change handed over so far is written: the store waits for it before
   * closing the database. Before catch-up has finished nothing live was written, and the next
   * start's catch-up covers it.
   */
  @Override
  public Future<Void> idle() {
    stopping = true;
    if (!running) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    idleWaiters.add(done);
    if (timer != -1 && vertx.cancelTimer(timer)) {
      timer = -1;
      drain();
    }
    return done.future();
  }

  private void drain() {
    if (pending.isEmpty()) {
      running = false;
      idleWaiters.forEach(Promise::complete);
      idleWaiters.clear();
      return;
    }
    List<Change> batch = new ArrayList<>(Math.min(pending.size(), CHUNK));
    while (!pending.isEmpty() && batch.size() < CHUNK) {
      batch.add(pending.poll());
    }
    write(batch).onComplete(ar -> {
      if (ar.failed()) {
        catchUpLater(ar.cause());
        return;
      }
      if (pending.isEmpty()) {
        drain();
      } else {
        lingerThenDrain();
      }
    });
  }

  /**
   * Applies changes in order, in one transaction: runs of the same kind (new text, replaced
   * text, removal), each run one batch statement.
   */
  private Future<Void> write(List<Change> changes) {
    return index.withTransaction(conn -> {
      Future<Void> chain = Future.succeededFuture();
      long upTo = 0;
      for (Change c : changes) {
        upTo = Math.max(upTo, c.eventId());
      }
      List<Change> work = changes.stream().filter(c -> c.id() != 0).toList();
      int start = 0;
      while (start < work.size()) {
        String sql = statement(work.get(start));
        int end = start;
        List<Tuple> run = new ArrayList<>();
        while (end < work.size() && statement(work.get(end)).equals(sql)) {
          Change c = work.get(end);
          run.add(c.text() != null ? Tuple.of(c.id(), c.text()) : Tuple.of(c.id()));
          end++;
        }
        chain = chain.compose(v -> conn.preparedQuery(sql).executeBatch(run).mapEmpty());
        start = end;
      }
      long mark = upTo;
      return mark == 0 ? chain : chain.compose(v -> conn.preparedQuery("UPDATE indexed SET up_to = MAX(up_to, ?)"
          + " WHERE id = 1").execute(Tuple.of(mark)).mapEmpty());
    });
  }

  /** A new message's text is a plain insert: FTS5 need not look for an older row to drop. */
  private static String statement(Change c) {
    if (c.text() == null) {
      return "DELETE FROM messages_fts WHERE rowid = ?";
    }
    return c.replace()
        ? "INSERT OR REPLACE INTO messages_fts (rowid, text) VALUES (?, ?)"
        : "INSERT INTO messages_fts (rowid, text) VALUES (?, ?)";
  }
}
