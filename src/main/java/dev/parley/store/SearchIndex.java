package dev.parley.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * beside the message writer instead of inside its batches. Search sees a new message a few
 * milliseconds after it is stored; queries also check {@code recalled} in {@code parley.db}, so a
 * recall is never late.
 *
 * <p>Changes are applied in order, many per transaction, each transaction also moving the
 * {@code indexed.up_to} mark. At start, and after a crash, {@link #catchUp} indexes whatever
 * parley.db holds past the mark; deleting search.db rebuilds the index. Runs on the store context.
 */
final class SearchIndex {
  private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);
  private static final int CHUNK = 2_000;

  /** One change: text to index under a message id, or (text null) a message to forget. */
  private record Change(long id, String text) {
  }

  private final Pool index;
  private final Pool main;
  private final ArrayDeque<Change> pending = new ArrayDeque<>();
  private boolean running;
  private final List<Promise<Void>> idleWaiters = new ArrayList<>();
  private boolean caughtUp;

  SearchIndex(Pool index, Pool main) {
    this.index = index;
    this.main = main;
  }

  /** Indexes a new message's text. */
  void add(long id, String text) {
    if (text != null) {
      enqueue(new Change(id, text));
    }
  }

  /** Forgets a message (recalled, or its text replaced). */
  void remove(long id) {
    enqueue(new Change(id, null));
  }

  private void enqueue(Change change) {
    pending.add(change);
    if (caughtUp && !running) {
      running = true;
      drain();
    }
  }

  /** Indexes what parley.db holds past the mark, then takes live changes. */
  Future<Void> catchUp() {
    return index.query("SELECT up_to FROM indexed WHERE id = 1").execute()
        .compose(rows -> catchUpFrom(rows.iterator().next().getLong("up_to")))
        .onSuccess(v -> {
          caughtUp = true;
          if (!pending.isEmpty() && !running) {
            running = true;
            drain();
          }
        });
  }

  private Future<Void> catchUpFrom(long upTo) {
    return main.preparedQuery("SELECT id, text FROM messages WHERE id > ? AND text IS NOT NULL AND recalled = 0"
            + " ORDER BY id LIMIT ?")
        .execute(Tuple.of(upTo, CHUNK))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture();
          }
          List<Change> chunk = new ArrayList<>(rows.size());
          for (Row row : rows) {
            chunk.add(new Change(row.getLong("id"), row.getString("text")));
          }
          long last = chunk.get(chunk.size() - 1).id();
          return write(chunk).compose(v -> {
            log.info("search index caught up to message {}", last);
            return catchUpFrom(last);
          });
        });
  }

  /**
   * Completes once every change handed over so far is written: the store waits for it before
   * closing the database. Before catch-up has finished nothing live was written, and the next
   * start's catch-up covers it.
   */
  Future<Void> idle() {
    if (!running) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    idleWaiters.add(done);
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
        // The index is derived data: the next start's catch-up does not see removals, but
        // queries filter recalled messages in parley.db, so nothing recalled can show up.
        log.warn("search index update of {} changes failed: {}", batch.size(), ar.cause().toString());
      }
      drain();
    });
  }

  /** Applies changes in order: runs of inserts and of deletes, each run one batch statement. */
  private Future<Void> write(List<Change> changes) {
    return index.withTransaction(conn -> {
      Future<Void> chain = Future.succeededFuture();
      long upTo = 0;
      int start = 0;
      while (start < changes.size()) {
        boolean insert = changes.get(start).text() != null;
        int end = start;
        List<Tuple> run = new ArrayList<>();
        while (end < changes.size() && (changes.get(end).text() != null) == insert) {
          Change c = changes.get(end);
          run.add(insert ? Tuple.of(c.id(), c.text()) : Tuple.of(c.id()));
          if (insert) {
            upTo = Math.max(upTo, c.id());
          }
          end++;
        }
        String sql = insert
            ? "INSERT OR REPLACE INTO messages_fts (rowid, text) VALUES (?, ?)"
            : "DELETE FROM messages_fts WHERE rowid = ?";
        chain = chain.compose(v -> conn.preparedQuery(sql).executeBatch(run).mapEmpty());
        start = end;
      }
      long mark = upTo;
      return mark == 0 ? chain : chain.compose(v -> conn.preparedQuery("UPDATE indexed SET up_to = MAX(up_to, ?)"
          + " WHERE id = 1").execute(Tuple.of(mark)).mapEmpty());
    });
  }
}
