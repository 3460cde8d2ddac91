package dev.parley.store;

import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: every change to the database is a {@link Job} queued here and run on the one
 * writer connection, which the queue holds for the node's life and whose transactions it opens
 * and ends itself ({@link Dialect#beginWrite} … {@code COMMIT} or {@code ROLLBACK}). While a
 * transaction is in flight new jobs wait; when it commits, everything that waited (up to {@code maxBatch}) runs in the next transaction: group commit, so one fsync
 * pays for many messages under load and none waits for a timer when idle.
 *
 * <p>A batch made only of the items of one {@linkplain Bulk#oneStatement single-statement bulk}
 * (plain message sends) opens no transaction: its one statement runs in autocommit, where SQLite
 * makes it atomic and durable by itself, so the batch costs one round trip to the writer's thread
 * instead of three ({@code BEGIN}, the statement, {@code COMMIT}). Only this queue writes, so the
 * reads such a bulk makes before its statement see exactly what a transaction would.
 *
 * <p>A job checks its input before it writes anything and fails with a 4xx {@link Failure} that
 * leaves the batch intact. Any other failure rolls the whole batch back; the in-memory
 * {@link StoreState} is then reloaded and each job of that batch is run again on its own, so one bad
 * job cannot sink its neighbours. Effects registered with {@link Tx#afterCommit} (publishing
 * events) run only once the data is durable.
 */
final class WriteQueue {
  private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);

  /** One unit of work on the writer connection. */
  interface Job<T> {
    Future<T> run(Tx tx);
  }

  /**
   * Work that is cheaper done for many items at once (a batch of messages: one duplicate check,
   * one multi-row insert). All items of one batch go to one call, after the batch's plain jobs.
   * The call yields one outcome per item, in order; a rejection fails only its item.
   */
  interface Bulk<I, T> {
    Future<List<AsyncResult<T>>> run(Tx tx, List<I> items);

    /** True if {@link #run} writes with at most one statement, whatever the number of items. */
    default boolean singleStatement() {
      return false;
    }

    /**
     * A bulk whose {@code run} reads what it needs and then writes everything with one statement
     * (or none): a batch of only its items needs no transaction around it.
     */
    static <I, T> Bulk<I, T> oneStatement(Bulk<I, T> bulk) {
      return new Bulk<>() {
        @Override
        public Future<List<AsyncResult<T>>> run(Tx tx, List<I> items) {
          return bulk.run(tx, items);
        }

        @Override
        public boolean singleStatement() {
          return true;
        }
      };
    }
  }

  /** The transaction a batch runs in. */
  static final class Tx {
    final SqlConnection conn;
    private final List<Runnable> afterCommit = new ArrayList<>();

    Tx(SqlConnection conn) {
      this.conn = conn;
    }

    void afterCommit(Runnable effect) {
      afterCommit.add(effect);
    }
  }

  private static final class Pending<T> {
    final Job<T> job;
    final Bulk<Object, T> bulk;
    final Object item;
    final Promise<T> promise = Promise.promise();
    AsyncResult<T> outcome;

    Pending(Job<T> job, Bulk<Object, T> bulk, Object item) {
      this.job = job;
      this.bulk = bulk;
      this.item = item;
    }

    Future<Void> run(Tx tx) {
      Future<T> result;
      try {
        result = job.run(tx);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      return result.transform(ar -> {
        if (ar.failed() && !isRejection(ar.cause())) {
          return Future.failedFuture(ar.cause());
        }
        outcome = ar;
        return Future.succeededFuture();
      });
    }

    void settle() {
      promise.handle(outcome);
    }
  }

  private final Vertx vertx;
  private final SqlConnection conn;
  private final String begin;
  private final Supplier<Future<Void>> reloadState;
  private final int maxBatch;
  private final long lingerMs;
  private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
  private final Timer commitTimer;
  private final DistributionSummary batchSizes;
  private boolean running;
  private boolean closed;
  /** The writer connection is gone (the store stepped down): nothing may be written any more. */
  private boolean abandoned;
  private Promise<Void> drained;

  WriteQueue(Vertx vertx, SqlConnection conn, String begin, Supplier<Future<Void>> reloadState, int maxBatch,
             long lingerMs, MeterRegistry meters) {
    this.vertx = vertx;
    this.conn = conn;
    this.begin = begin;
    this.reloadState = reloadState;
    this.maxBatch = maxBatch;
    this.lingerMs = lingerMs;
    this.commitTimer = Timer.builder("parley.store.commit").description("Time to run and commit one write batch")
        .publishPercentileHistogram().register(meters);
    this.batchSizes = DistributionSummary.builder("parley.store.batch.size").description("Jobs per write transaction")
        .register(meters);
  }

  <T> Future<T> submit(Job<T> job) {
    return enqueue(new Pending<>(job, null, null));
  }

  @SuppressWarnings("unchecked")
  <I, T> Future<T> submit(Bulk<I, T> bulk, I item) {
    return enqueue(new Pending<>(null, (Bulk<Object, T>) bulk, item));
  }

  private <T> Future<T> enqueue(Pending<T> pending) {
    if (closed) {
      return Future.failedFuture(unavailable());
    }
    queue.add(pending);
    if (!running) {
      running = true;
      if (lingerMs > 0 && queue.size() < maxBatch) {
        vertx.setTimer(lingerMs, t -> next());
      } else {
        next();
      }
    }
    return pending.promise.future();
  }

  private Failure unavailable() {
    return new Failure(ErrorCode.UNAVAILABLE, abandoned ? "the store lost its database connection" : "the store is shutting down");
  }

  /**
   * The writer connection is lost: refuses new jobs and fails the queued ones with
   * {@code unavailable}, which their callers may retry (with the same clientId) at the next store.
   * The batch in flight fails the same way; whether it committed, the next store finds out.
   */
  void abandon() {
    abandoned = true;
    closed = true;
    Failure lost = unavailable();
    while (!queue.isEmpty()) {
      queue.poll().promise.tryFail(lost);
    }
  }

  /** Refuses new jobs and completes once every queued job has been committed or failed. */
  Future<Void> drain() {
    closed = true;
    if (!running && queue.isEmpty()) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    return drained.future();
  }

  private void next() {
    if (queue.isEmpty()) {
      running = false;
      if (drained != null) {
        drained.tryComplete();
      }
      return;
    }
    List<Pending<?>> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
    while (!queue.isEmpty() && batch.size() < maxBatch) {
      batch.add(queue.poll());
    }
    runBatch(batch).onComplete(done -> {
      // The committed batch is answered and its events published before the next batch is even
      // formed, so no later batch can hand out ids, commit or publish ahead of it: events leave
      // the store in event-id order by construction. (Starting the next batch first, to overlap
      // its SQL with these effects, let a later batch publish first: the delivery soak test saw
      // it about once in 18,000 events.)
      if (done.succeeded()) {
        done.result().run();
      }
      next();
    });
  }

  /** Runs one transaction; its value is what to do once it has committed (answer, publish). */
  private Future<Runnable> runBatch(List<Pending<?>> batch) {
    long started = System.nanoTime();
    List<Runnable> effects = new ArrayList<>();
    boolean autocommit = isOneStatement(batch);
    // The batch's statements go out only once BEGIN has succeeded: after a failed BEGIN (the
    // database locked by another process past busy_timeout) they would run and commit one by
    // one outside any transaction.
    Future<?> begun = autocommit ? Future.succeededFuture() : conn.query(begin).execute();
    Future<Void> body = begun.compose(ok -> {
          Tx tx = new Tx(conn);
          Future<Void> chain = Future.succeededFuture();
          Map<Bulk<Object, ?>, List<Pending<?>>> bulks = new LinkedHashMap<>();
          for (Pending<?> pending : batch) {
            if (pending.bulk != null) {
              bulks.computeIfAbsent(pending.bulk, b -> new ArrayList<>()).add(pending);
            } else {
              chain = chain.compose(v -> pending.run(tx));
            }
          }
          for (Map.Entry<Bulk<Object, ?>, List<Pending<?>>> entry : bulks.entrySet()) {
            chain = chain.compose(v -> runBulk(tx, entry.getKey(), entry.getValue()));
          }
          return chain.map(v -> {
            effects.addAll(tx.afterCommit);
            return null;
          });
        });
    return body
        .compose(v -> autocommit ? Future.succeededFuture() : conn.query("COMMIT").execute())
        .<Runnable>map(v -> {
          commitTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          batchSizes.record(batch.size());
          return () -> {
            batch.forEach(Pending::settle);
            for (Runnable effect : effects) {
              try {
                effect.run();
              } catch (RuntimeException e) {
                log.warn("an after-commit effect failed", e);
              }
            }
          };
        })
        // Whatever failed (a statement, BEGIN or COMMIT itself), end the transaction.
        .recover(cause -> abandoned ? lost(batch) : rollback(autocommit).compose(rolledBack -> {
          log.warn("write batch of {} rolled back: {}", batch.size(), cause.toString());
          Runnable nothingLeft = () -> { };
          return reloadState.get().compose(v -> {
            if (batch.size() == 1) {
              batch.get(0).promise.tryFail(cause);
              return Future.succeededFuture(nothingLeft);
            }
            Future<Void> alone = Future.succeededFuture();
            for (Pending<?> pending : batch) {
              alone = alone.compose(v2 -> runBatch(List.of(pending)).map(deliver -> {
                deliver.run();
                return null;
              }));
            }
            return alone.map(nothingLeft);
          }, reloadFailed -> {
            // The database is out of reach (its connection lost, most likely): whether the batch
            // committed is unknown, so its callers may retry, and a retried send finds its key.
            log.error("cannot reload the store state after a rollback", reloadFailed);
            Failure unknown = new Failure(ErrorCode.UNAVAILABLE, "the store cannot reach its database");
            batch.forEach(p -> p.promise.tryFail(unknown));
            return Future.succeededFuture(nothingLeft);
          });
        }));
  }

  /** Ends the batch's transaction, if it opened one; a ROLLBACK after a failed BEGIN fails harmlessly. */
  private Future<Void> rollback(boolean autocommit) {
    return autocommit ? Future.succeededFuture() : conn.query("ROLLBACK").execute().<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Runnable> lost(List<Pending<?>> batch) {
    Failure lost = unavailable();
    batch.forEach(p -> p.promise.tryFail(lost));
    return Future.succeededFuture(() -> { });
  }

  /** Whether every job of the batch is an item of one single-statement bulk. */
  private static boolean isOneStatement(List<Pending<?>> batch) {
    Bulk<Object, ?> bulk = batch.get(0).bulk;
    if (bulk == null || !bulk.singleStatement()) {
      return false;
    }
    for (Pending<?> pending : batch) {
      if (pending.bulk != bulk) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Future<Void> runBulk(Tx tx, Bulk<Object, ?> bulk, List<Pending<?>> pendings) {
    List<Object> items = new ArrayList<>(pendings.size());
    pendings.forEach(p -> items.add(p.item));
    Future<? extends List<? extends AsyncResult<?>>> outcomes;
    try {
      outcomes = bulk.run(tx, items);
    } catch (RuntimeException e) {
      outcomes = Future.failedFuture(e);
    }
    return outcomes.compose(results -> {
      for (int i = 0; i < pendings.size(); i++) {
        AsyncResult result = results.get(i);
        if (result.failed() && !isRejection(result.cause())) {
          return Future.failedFuture(result.cause());
        }
        ((Pending) pendings.get(i)).outcome = result;
      }
      return Future.succeededFuture();
    });
  }

  /** A job's own refusal (bad input, not found, forbidden…): the batch goes on without it. */
  private static boolean isRejection(Throwable cause) {
    return cause instanceof Failure failure && failure.code().status() < 500;
  }
}
