package dev.parley.store;

import dev.parley.config.ParleyConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active SQLite store's scheduled backups ({@code ops.backup}): every interval, a
 * {@link Backup} on a worker thread (never the event loop; VACUUM INTO reads a snapshot on a
 * connection of its own, so writes go on meanwhile), then the oldest beyond {@code keep} are
 * deleted. One at a time: a backup still running when the next is due skips that turn. The last
 * backup (made here, or found in the folder at start) is shown by {@code store.health}.
 */
final class BackupSchedule {
  private static final Logger log = LoggerFactory.getLogger(BackupSchedule.class);

  private final Vertx vertx;
  private final ParleyConfig.Backup settings;
  private final Path dataDir;
  private final Path mediaDir;
  private final java.util.Set<String> roles;
  private long timer = -1;
  private Future<?> running = Future.succeededFuture();
  private boolean busy;
  private boolean stopped;
  /** Set on the event loop only. */
  private JsonObject last;
  private String lastError;
  private Instant lastErrorAt;

  BackupSchedule(Vertx vertx, ParleyConfig config) {
    this.vertx = vertx;
    this.settings = config.backup();
    this.dataDir = Path.of(config.store().dataDir());
    this.mediaDir = Path.of(config.media().dir());
    this.roles = config.roles();
  }

  /** Finds the newest finished backup in the folder, and starts the timer if backups are scheduled. */
  void start() {
    vertx.executeBlocking(() -> {
      List<Path> done = Backup.finished(Path.of(settings.dir()));
      if (done.isEmpty()) {
        return null;
      }
      Path newest = done.get(done.size() - 1);
      JsonObject info = new JsonObject(Files.readString(newest.resolve("backup.json"), StandardCharsets.UTF_8));
      return new JsonObject().put("time", info.getString("time")).put("path", newest.toAbsolutePath().toString());
    }, false).onSuccess(found -> {
      if (found != null && last == null) {
        last = found;
      }
    });
    if (settings.scheduled()) {
      if (!Files.isDirectory(mediaDir) && !roles.contains("api") && !roles.contains("media")) {
        log.warn("backups: no media folder at {} on this node: backups hold the database and jwt-secret only;"
            + " mount the media volume here, or back it up on its own", mediaDir);
      }
      timer = vertx.setPeriodic(settings.intervalSeconds() * 1000, t -> runNow());
      log.info("backups every {} s into {}, keeping {}", settings.intervalSeconds(), settings.dir(), settings.keep());
    }
  }

  /** Takes a backup now (unless one is running), then prunes. */
  Future<Backup.Result> runNow() {
    if (busy || stopped) {
      return Future.failedFuture("a backup is already running");
    }
    busy = true;
    Future<Backup.Result> taken = vertx.executeBlocking(() -> {
      Path dir = Path.of(settings.dir());
      Backup.Result r = Backup.take(dataDir, mediaDir, dir);
      List<Path> pruned = Backup.prune(dir, settings.keep());
      if (!pruned.isEmpty()) {
        log.info("backups: deleted {} older backup(s): {}", pruned.size(), pruned);
      }
      return r;
    }, false);
    running = taken;
    return taken.onComplete(ar -> {
      busy = false;
      if (ar.succeeded()) {
        Backup.Result r = ar.result();
        last = new JsonObject().put("time", r.info().getString("time")).put("path", r.path().toAbsolutePath().toString())
            .put("bytes", r.bytes()).put("durationMs", r.millis()).put("messages", r.info().getLong("messages"));
        lastError = null;
        log.info("backup made: {} ({} bytes, {} messages) in {} ms", r.path(), r.bytes(), r.info().getLong("messages"),
            r.millis());
      } else {
        lastError = ar.cause().toString();
        lastErrorAt = Instant.now();
        log.error("backup failed", ar.cause());
      }
    });
  }

  /** What a PostgreSQL store says of its backups: it cannot know them. */
  static JsonObject unknown() {
    return new JsonObject().put("status", "unknown").put("reason", "PostgreSQL: back it up with pg_dump or point-in-time recovery");
  }

  /** For store.health: the last backup, whether backups are scheduled, and the last failure if it came after. */
  JsonObject health() {
    JsonObject h = new JsonObject()
        .put("status", last == null ? "none" : "ok")
        .put("scheduled", settings.scheduled())
        .put("dir", Path.of(settings.dir()).toAbsolutePath().toString());
    if (settings.scheduled()) {
      h.put("intervalSeconds", settings.intervalSeconds()).put("keep", settings.keep());
    }
    if (last != null) {
      h.mergeIn(last);
    }
    if (lastError != null) {
      h.put("status", "failed").put("error", lastError).put("failedAt", lastErrorAt.toString());
    }
    return h;
  }

  /** Stops the timer and waits for a backup that is running. */
  Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return running.<Void>mapEmpty().otherwiseEmpty();
  }
}
