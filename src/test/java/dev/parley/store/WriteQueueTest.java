package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.shared.Failure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The single writer's group commit, on a real SQLite file. */
@ExtendWith(VertxExtension.class)
class WriteQueueTest {
  Vertx vertx;
  SqliteDatabase database;
  SqlConnection conn;
  WriteQueue queue;
  AtomicInteger reloads = new AtomicInteger();

  @BeforeEach
  void open(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    database = new SqliteDatabase(vertx, dir, 2);
    database.open().await();
    conn = database.connectWriter().await();
    conn.query("CREATE TABLE t (k TEXT PRIMARY KEY)").execute().await();
    queue = new WriteQueue(vertx, conn, database.dialect().beginWrite(), () -> {
      reloads.incrementAndGet();
      return Future.succeededFuture();
    }, 100, 0, new SimpleMeterRegistry());
  }

  @AfterEach
  void close() {
    conn.close().await();
    database.close().await();
  }

  private WriteQueue.Job<String> insert(String key) {
    return tx -> tx.conn.preparedQuery("INSERT INTO t (k) VALUES (?)").execute(Tuple.of(key)).map(key);
  }

  /** Submits from the queue's context (as the store verticle does) and hands back the futures. */
  private List<Future<String>> submit(java.util.function.Consumer<List<Future<String>>> submits) {
    return Future.<List<Future<String>>>future(p -> vertx.runOnContext(v -> {
      List<Future<String>> done = new ArrayList<>();
      submits.accept(done);
      p.complete(done);
    })).await();
  }

  private long count() {
    return database.reader().query("SELECT COUNT(*) AS n FROM t").execute().await().iterator().next().getLong("n");
  }

  @Test
  void concurrentJobsShareTransactionsAndAllCommit() {
    List<Future<String>> done = submit(d -> {
      for (int i = 0; i < 250; i++) {
        d.add(queue.submit(insert("k" + i)));
      }
    });
    Future.all(done).await();
    assertEquals(250, count());
  }

  @Test
  void aRejectedJobLeavesItsNeighboursInTheBatch() {
    List<Future<String>> done = submit(d -> {
      d.add(queue.submit(insert("a")));
      d.add(queue.submit(tx -> Future.failedFuture(Failure.invalid("k", "no"))));
      d.add(queue.submit(insert("b")));
    });
    Future.join(done).otherwiseEmpty().await();
    assertTrue(done.get(0).succeeded());
    assertTrue(done.get(1).failed());
    assertTrue(done.get(2).succeeded());
    assertEquals(2, count());
    assertEquals(0, reloads.get(), "a rejection is not a rollback");
  }

  @Test
  void aFailingJobRollsBackItsBatchThenTheOthersCommitAlone() {
    List<Future<String>> done = submit(d -> {
      d.add(queue.submit(insert("x")));
      d.add(queue.submit(insert("y")));
      d.add(queue.submit(insert("x")));  // a primary-key violation: not a rejection, a real failure
      d.add(queue.submit(insert("z")));
    });
    Future.join(done).otherwiseEmpty().await();
    assertTrue(done.get(0).succeeded());
    assertTrue(done.get(1).succeeded());
    assertTrue(done.get(2).failed());
    assertEquals(dev.parley.shared.ErrorCode.INTERNAL, Failure.from(done.get(2).cause()).code());
    assertTrue(done.get(3).succeeded());
    assertEquals(3, count(), "x, y and z once each; nothing half-written");
    assertTrue(reloads.get() >= 1, "the writer's state is reloaded after a rollback");
  }

  /** Inserts every item's key with one multi-row statement, as a batch of sends does. */
  private final WriteQueue.Bulk<String, String> insertAll = WriteQueue.Bulk.oneStatement((tx, keys) -> {
    String rows = "(?)" + ", (?)".repeat(keys.size() - 1);
    return tx.conn.preparedQuery("INSERT INTO t (k) VALUES " + rows).execute(Tuple.from(new ArrayList<Object>(keys)))
        .map(v -> keys.stream().map(k -> (io.vertx.core.AsyncResult<String>) Future.succeededFuture(k)).toList());
  });

  @Test
  void aBatchOfOneStatementCommitsWithoutATransactionAndFailsWhole() {
    List<Future<String>> done = submit(d -> {
      for (String key : List.of("p", "q", "p", "r")) {  // the second p breaks the statement, so none of its rows land
        d.add(queue.submit(insertAll, key));
      }
    });
    Future.join(done).otherwiseEmpty().await();
    assertTrue(done.get(0).succeeded(), "retried alone after the batch failed");
    assertTrue(done.get(1).succeeded());
    assertTrue(done.get(2).failed(), "p is there already when the second p runs alone");
    assertTrue(done.get(3).succeeded());
    assertEquals(3, count(), "p, q and r once each");
    assertTrue(reloads.get() >= 1);
    // No transaction was left open: a new one can begin (it would fail inside another).
    conn.query("BEGIN").execute().compose(v -> conn.query("ROLLBACK").execute()).await();
  }

  @Test
  void sendsMixedWithOtherJobsStillShareOneTransaction() {
    List<Future<String>> done = submit(d -> {
      d.add(queue.submit(insertAll, "m1"));
      d.add(queue.submit(insert("j1")));
      d.add(queue.submit(insertAll, "m2"));
      d.add(queue.submit(insert("m1")));  // m1 twice in one transaction: it rolls back, then each job runs alone
    });
    Future.join(done).otherwiseEmpty().await();
    assertTrue(done.get(0).succeeded());
    assertTrue(done.get(1).succeeded());
    assertTrue(done.get(2).succeeded());
    assertTrue(done.get(3).failed());
    assertEquals(3, count(), "m1, j1 and m2 once each");
  }

  @Test
  void drainFinishesQueuedWorkAndRefusesNewJobs() {
    List<Future<String>> done = submit(d -> {
      for (int i = 0; i < 50; i++) {
        d.add(queue.submit(insert("d" + i)));
      }
    });
    Future<Void> drained = Future.future(p -> vertx.runOnContext(v -> queue.drain().onComplete(p)));
    drained.await();
    Future.all(done).await();
    assertEquals(50, count());
    Future<String> late = Future.<Future<String>>future(p -> vertx.runOnContext(v -> p.complete(queue.submit(insert("late")))))
        .await();
    assertTrue(late.failed());
    assertEquals(dev.parley.shared.ErrorCode.UNAVAILABLE, Failure.from(late.cause()).code());
  }
}
