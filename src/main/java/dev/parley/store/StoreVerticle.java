package dev.parley.store;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.NodeCommands;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store: the only code that touches the database. Runs on every node with the {@code store}
 * role; what it does depends on the database.
 *
 * <ul>
 *   <li><b>SQLite</b> (the default): one file on one disk, so one store per cluster. It takes the
 *   Hazelcast {@link StoreLease} (a second store refuses to start) and serves for the node's life.
 *   <li><b>PostgreSQL</b>: any number of store nodes; the one whose writer connection holds the
 *   {@link WriterFence} is active, the others wait as hot standbys, trying for the fence every
 *   {@value #STANDBY_POLL_MS} ms. When the active store dies, its connection and the fence go
 *   with it and a standby takes over: it loads its state from the database and announces itself
 *   ({@link Address#STORE_STARTED}), and push and bridge nodes resume every connection from its
 *   last delivered event. A store that loses its writer connection stops serving at once and
 *   waits again.
 * </ul>
 *
 * <p>The active store consumes every {@code store.*} address of {@link Address} ({@link ActiveStore})
 * and publishes users' events to {@code chat.node.<reporter>} ({@link Address#deliveries}) after
 * the change they describe has committed:
 * {@code message}, {@code conversation}, {@code typing}, {@code delivered}, {@code read},
 * {@code presence}, and the route markers that answer {@code store.route.probe}. It publishes
 * {@code event.store.started}, {@code event.sessions.revoked}, {@code event.user.disabled} and
 * {@code event.bot.revoked}, and sends {@code webpush.deliver}. A waiting store answers only
 * {@link Address#STORE_STANDBY}.
 */
public final class StoreVerticle extends VerticleBase {
  /** How often a standby asks for the fence: the takeover's delay on top of the time to load the state. */
  static final long STANDBY_POLL_MS = 500;
  /**
   * The active store checks its writer connection this often; one that has not answered within
   * {@link #HEARTBEAT_TIMEOUT_MS} is closed (the store steps down: it cannot know if it still
   * holds the fence).
   */
  static final long HEARTBEAT_MS = 1_000;
  static final long HEARTBEAT_TIMEOUT_MS = 3_000;
  private static final Logger log = LoggerFactory.getLogger(StoreVerticle.class);

  private ParleyConfig config;
  private Database database;
  private StoreLease lease;
  private ActiveStore active;
  private SqlConnection waiting;
  private MessageConsumer<JsonObject> standby;
  private Instant waitingSince;
  private String holder = "unknown";
  private long timer = -1;
  private boolean stopping;

  @Override
  public Future<?> start() {
    config = ParleyConfig.from(config());
    database = Database.of(vertx, config.store());
    if (!database.shared()) {
      return StoreLease.acquire(vertx, config.nodeId())
          .compose(held -> {
            lease = held;
            return database.open();
          })
          .compose(v -> database.connectWriter())
          .compose(this::activate);
    }
    // Start completes after the first try for the fence: serving if it was free, waiting if not.
    return database.open().compose(v -> {
      log.info("store on {}: asking for the writer fence", database.describe());
      return standBy();
    });
  }

  /** Serves from {@code writer}, which holds the right to write (the lease or the fence). */
  private Future<Void> activate(SqlConnection writer) {
    ActiveStore store = new ActiveStore(vertx, config, database, writer);
    return store.start().onSuccess(v -> {
      active = store;
      log.info("store ready on {}: {} users, {} conversations, last event id {}", database.describe(),
          store.users(), store.conversations(), store.lastEventId());
    }).onFailure(failed -> store.abandon());
  }

  // ---- PostgreSQL: waiting, taking over, stepping down ----------------------------------------

  /** Waits for the fence; completes after the first try (served or still waiting). */
  private Future<Void> standBy() {
    if (stopping) {
      return Future.succeededFuture();
    }
    waitingSince = Instant.now();
    if (standby == null) {
      standby = Bus.consumer(vertx, Address.STORE_STANDBY,
          cmd -> Future.succeededFuture(new NodeCommands.Standby(config.nodeId(), waitingSince.toString(), holder)));
    }
    return tryForFence();
  }

  /**
   * One attempt: on the waiting connection (made if needed), ask for the fence; take over if it
   * is ours, else try again later.
   */
  private Future<Void> tryForFence() {
    if (stopping) {
      return Future.succeededFuture();
    }
    Future<SqlConnection> conn = waiting != null ? Future.succeededFuture(waiting) : database.connectWriter()
        .onSuccess(c -> {
          waiting = c;
          c.closeHandler(v -> {
            if (waiting == c) {
              waiting = null;
            }
          });
        });
    return conn.compose(c -> WriterFence.tryTake(c).compose(taken -> taken
            ? takeOver(c)
            : WriterFence.holder(c).map(h -> {
              holder = h;
              return false;
            })))
        .transform(ar -> {
          if (ar.failed()) {
            log.warn("store standby: cannot reach {}: {}", database.describe(), ar.cause().toString());
            if (waiting != null) {
              waiting.close();
              waiting = null;
            }
          }
          if (ar.failed() || !ar.result()) {
            timer = vertx.setTimer(STANDBY_POLL_MS, t -> tryForFence());
          }
          return Future.succeededFuture();
        });
  }

  private Future<Boolean> takeOver(SqlConnection writer) {
    waiting = null;
    long waited = Duration.between(waitingSince, Instant.now()).toMillis();
    log.info("store took the writer fence after waiting {} ms: taking over", waited);
    if (standby != null) {
      standby.unregister();
      standby = null;
    }
    writer.closeHandler(v -> writerLost(writer));
    return activate(writer)
        .onSuccess(v -> heartbeat(writer))
        .recover(failed -> {
          log.error("store could not take over; closing its connection and waiting again", failed);
          writer.close();
          return Future.succeededFuture();
        })
        .map(true);
  }

  /** Closes the writer's connection if a trivial query on it takes too long (a network cut, PostgreSQL gone). */
  private void heartbeat(SqlConnection writer) {
    timer = vertx.setTimer(HEARTBEAT_MS, t -> {
      long deadline = vertx.setTimer(HEARTBEAT_TIMEOUT_MS, late -> {
        log.error("store: the database did not answer within {} ms; closing the writer connection", HEARTBEAT_TIMEOUT_MS);
        writer.close();
      });
      writer.query("SELECT 1").execute().onComplete(ar -> {
        vertx.cancelTimer(deadline);
        if (ar.succeeded() && active != null && !stopping) {
          heartbeat(writer);
        } else if (ar.failed()) {
          writer.close();
        }
      });
    });
  }

  private void writerLost(SqlConnection writer) {
    if (stopping) {
      return;
    }
    log.error("store lost its database connection, and with it the writer fence: it stops writing and waits again");
    vertx.cancelTimer(timer);
    ActiveStore lost = active;
    active = null;
    Future<Void> abandoned = lost == null ? Future.succeededFuture() : lost.abandon();
    abandoned.onComplete(v -> standBy());
  }

  /** Finishes every queued write (an acknowledged message is never lost), then closes the database. */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    Future<Void> served = active == null ? Future.succeededFuture() : active.stop();
    return served
        .eventually(() -> standby == null ? Future.succeededFuture() : standby.unregister())
        .eventually(() -> waiting == null ? Future.succeededFuture() : waiting.close())
        .eventually(() -> database == null ? Future.succeededFuture() : database.close())
        .eventually(() -> lease == null ? Future.succeededFuture() : lease.release())
        .onComplete(ar -> log.info("store stopped, database closed"));
  }
}
