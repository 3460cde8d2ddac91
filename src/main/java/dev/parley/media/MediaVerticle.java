package dev.parley.media;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.MediaCommands;
import dev.parley.shared.MediaFiles;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media verticle: a <em>worker</em> verticle on a worker pool of its own
 * ({@code parley-media}, {@code media.workers} threads, one instance per thread), so decoding
 * images never runs on an event loop and never takes a thread from the JDBC or default pools.
 * Reached only over the event bus.
 *
 * <p>Consumes {@code media.ingest} (sniff, probe, thumbnail, file; see {@link Ingest}). Sends
 * {@code store.media.create} for each filed upload and, from its periodic cleanup (first
 * instance only), {@code store.media.sweep}; it then deletes the swept files and uploads that
 * were abandoned in {@code uploads/}.
 */
public final class MediaVerticle extends VerticleBase {
  /** Worker pool name, so thread dumps and metrics show image work apart from everything else. */
  public static final String POOL = "parley-media";
  private static final Logger log = LoggerFactory.getLogger(MediaVerticle.class);
  /** Uploads older than this in uploads/ belong to no request any more (crashed or dropped). */
  private static final long STALE_UPLOAD_SECONDS = 3600;
  private static final int SWEEP_BATCH = 500;

  private ParleyConfig.Media config;
  private MediaFiles files;
  private Ingest ingest;
  private Bus store;

  @Override
  public Future<?> start() {
    ParleyConfig parley = ParleyConfig.from(config());
    config = parley.media();
    files = new MediaFiles(config.dir());
    ingest = new Ingest(files, config);
    store = new Bus(vertx, parley.busTimeoutMs());
    try {
      Files.createDirectories(files.uploads());
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    // Instances share the address: the bus hands each upload to one of them, round-robin.
    if (vertx.sharedData().getLocalMap("parley.media").putIfAbsent("cleanup", true) == null) {
      vertx.setPeriodic(config.cleanupIntervalSeconds() * 1000L, t -> cleanup());
    }
    return Bus.serve(vertx, Address.MEDIA_INGEST, this::ingest);
  }

  private Future<MediaCommands.MediaReply> ingest(MediaCommands.Uploaded cmd) {
    MediaCommands.Filed filed = ingest.run(cmd);
    return store.request(Address.MEDIA_CREATE, filed)
        .recover(cause -> {
          ingest.delete(filed.id());
          return Future.failedFuture(cause);
        });
  }

  /** Unreferenced media past their age go (record first, then bytes); so do abandoned uploads. */
  private void cleanup() {
    String before = Instant.now().minusSeconds(config.unreferencedMaxAgeSeconds()).truncatedTo(ChronoUnit.MILLIS).toString();
    sweep(before);
    Instant stale = Instant.now().minusSeconds(STALE_UPLOAD_SECONDS);
    try (DirectoryStream<Path> uploads = Files.newDirectoryStream(files.uploads())) {
      for (Path upload : uploads) {
        if (Files.getLastModifiedTime(upload).toInstant().isBefore(stale)) {
          Ingest.deleteQuietly(upload);
        }
      }
    } catch (IOException e) {
      log.warn("cannot list {}: {}", files.uploads(), e.toString());
    }
  }

  /**
   * One batch of at most {@code SWEEP_BATCH} items, then the next while batches come back full:
   * message retention can free many items at once, and each batch is one short job of the store's
   * writer, so sends wait behind one batch at most.
   */
  private void sweep(String before) {
    store.request(Address.MEDIA_SWEEP, new MediaCommands.Sweep(before, SWEEP_BATCH))
        .onSuccess(reply -> {
          List<String> ids = reply.ids();
          ids.forEach(ingest::delete);
          if (!ids.isEmpty()) {
            log.info("removed {} unreferenced media", ids.size());
          }
          if (ids.size() == SWEEP_BATCH) {
            sweep(before);
          }
        })
        .onFailure(cause -> log.warn("media sweep failed: {}", cause.getMessage()));
  }
}
