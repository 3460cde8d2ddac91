package dev.parley.api;

import dev.parley.auth.Secrets;
import dev.parley.config.ParleyConfig;
import dev.parley.http.Forwarded;
import dev.parley.http.HttpFront;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import dev.parley.shared.MediaCommands;
import dev.parley.shared.MediaFiles;
import dev.parley.shared.Meters;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversation exports: a ZIP of a conversation's messages, page and files ({@link ExportArchive}),
 * streamed as it is made.
 *
 * <ul>
 *   <li>{@code GET /api/conversations/{id}/export?range} with a bearer token (bots, tools) answers
 *   with the archive at once;
 *   <li>{@code POST /api/conversations/{id}/export} gives a browser a one-time link (a browser's
 *   plain download cannot carry the Authorization header): {@code GET /api/exports/{ticket}}. The
 *   ticket is 256 random bits, valid {@code export.ticketSeconds} and for one download, bound to its
 *   user, conversation and range; the store keeps it by its SHA-256 and finds it by that hash.
 * </ul>
 *
 * <p>The store decides who may export what ({@code store.export.*}). Here: at most
 * {@code export.maxConcurrent} exports at once on this node (their pool {@code parley-export}) and
 * one per user, a counter {@code parley_exports_total{outcome}} and a log line per export.
 */
final class ExportRoutes {
  private static final Logger log = LoggerFactory.getLogger(ExportRoutes.class);
  /** What {@link Secrets#token(int)} makes of 32 bytes. Anything else cannot be a ticket. */
  private static final Pattern TICKET = Pattern.compile("[A-Za-z0-9_-]{43}");

  private final Bus bus;
  private final WorkerExecutor workers;
  private final MediaFiles files;
  private final ParleyConfig.Export limits;
  private final PublicUrls urls;
  private final Forwarded forwarded;
  /** Shared by the node's api instances: their servers all route through one router. */
  private final AtomicInteger running = new AtomicInteger();
  private final Set<String> exporting = ConcurrentHashMap.newKeySet();

  ExportRoutes(Vertx vertx, Bus bus, MediaFiles files, ParleyConfig.Export limits, String publicUrl, Forwarded forwarded) {
    this.bus = bus;
    // A worker here may wait for a slow client for minutes: warn only past half an hour.
    this.workers = vertx.createSharedWorkerExecutor("parley-export", limits.maxConcurrent(), 30, TimeUnit.MINUTES);
    this.files = files;
    this.limits = limits;
    this.urls = new PublicUrls(publicUrl, forwarded);
    this.forwarded = forwarded;
  }

  void mount(Router router, Handler<RoutingContext> authn) {
    router.get("/api/conversations/:id/export").handler(authn).handler(HttpReplies.guarded(this::export));
    router.post("/api/conversations/:id/export").handler(authn).handler(HttpReplies.guarded(this::ticket));
    router.get("/api/exports/:ticket").handler(HttpReplies.guarded(this::redeem));
  }

  private void export(RoutingContext ctx) {
    ExportRange range = ExportRange.query(ctx.request());
    stream(ctx, bus.request(Address.EXPORT_START, MediaCommands.StartExport.bearer(HttpReplies.userId(ctx),
        ctx.pathParam("id"), range.onTheBus(), forwarded.clientAddress(ctx.request()))));
  }

  private void ticket(RoutingContext ctx) {
    ExportRange range = ExportRange.body(ctx.body().length() <= 0 ? new JsonObject() : HttpReplies.body(ctx));
    String ticket = Secrets.token(32);
    HttpServerRequest request = ctx.request();
    HttpReplies.respond(ctx, 201, bus.request(Address.EXPORT_TICKET, new MediaCommands.TicketExport(HttpReplies.userId(ctx),
            ctx.pathParam("id"), Secrets.sha256(ticket), range.onTheBus()))
        .map(issued -> new JsonObject().put("ticket", ticket).put("url", urls.of(request, "/api/exports/" + ticket))
            .put("expiresAt", issued.expiresAt())));
  }

  /** Public: the ticket is the credential. Unknown, used and expired tickets get one 404. */
  private void redeem(RoutingContext ctx) {
    String ticket = ctx.pathParam("ticket");
    if (!TICKET.matcher(ticket).matches()) {
      throw Failure.notFound("export ticket");
    }
    ctx.response().putHeader("X-Robots-Tag", "noindex, nofollow");
    stream(ctx, bus.request(Address.EXPORT_START,
        MediaCommands.StartExport.byTicket(Secrets.sha256(ticket), forwarded.clientAddress(ctx.request()))));
  }

  private void stream(RoutingContext ctx, Future<MediaCommands.ExportStarted> started) {
    long begin = System.nanoTime();
    started.onComplete(ar -> {
      if (ar.failed()) {
        HttpFront.error(ctx, Failure.from(ar.cause()));
        return;
      }
      MediaCommands.ExportStarted start = ar.result();
      String userId = start.userId();
      if (!exporting.add(userId)) {
        HttpFront.error(ctx, Failure.rateLimited("exports at once", 10));
        return;
      }
      if (running.incrementAndGet() > limits.maxConcurrent()) {
        release(userId);
        HttpFront.error(ctx, new Failure(ErrorCode.UNAVAILABLE, "too many exports are running; try again in a moment"));
        return;
      }
      HttpServerResponse response = ctx.response();
      String exportedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
      response.setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/zip")
          .putHeader("Content-Disposition", ByteRanges.disposition(true, fileName(start.conversation())))
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          // Already compressed: the server's gzip would only cost time.
          .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
      ResponseOutputStream out = new ResponseOutputStream(ctx.vertx().getOrCreateContext(), response);
      Future.succeededFuture()
          .compose(v -> new ExportArchive(bus, workers, files, limits, start, exportedAt, out).run())
          .onComplete(done -> {
            // Free before the response ends: the client may start its next export as soon as it has this one.
            release(userId);
            String conversationId = start.conversation().getString("id");
            long ms = (System.nanoTime() - begin) / 1_000_000;
            if (done.succeeded()) {
              ExportArchive.Summary summary = done.result();
              String outcome = summary.truncated() == null ? "complete" : "truncated";
              count(outcome);
              log.info("export of {} by {}: {}{}, {} messages, {} media files, {} bytes in {} ms", conversationId, userId,
                  outcome, summary.truncated() == null ? "" : " (" + summary.truncated() + ")", summary.messages(),
                  summary.media(), summary.bytes(), ms);
              out.end();
              return;
            }
            if (out.gone()) {
              count("cancelled");
              log.info("export of {} by {} ended by the client after {} bytes in {} ms", conversationId, userId,
                  out.written(), ms);
              response.reset();
              return;
            }
            count("failed");
            // A bug or an I/O error is logged here once, with its stack trace and errorId.
            Failure failure = Failure.from(done.cause());
            log.warn("export of {} by {} failed after {} bytes in {} ms: {}", conversationId, userId, out.written(), ms,
                failure.getMessage());
            if (response.headWritten()) {
              // Part of the archive is out: break the connection, so that the client sees a failed
              // download rather than a well-ended but broken file.
              response.reset();
            } else {
              response.headers().remove("Content-Disposition").remove(HttpHeaders.CONTENT_ENCODING);
              response.setChunked(false);
              HttpFront.error(ctx, failure);
            }
          });
    });
  }

  private void release(String userId) {
    running.decrementAndGet();
    exporting.remove(userId);
  }

  private static void count(String outcome) {
    Counter.builder("parley.exports").description("Conversation exports, by how they ended").tag("outcome", outcome)
        .register(Meters.registry()).increment();
  }

  /** {@code parley-<title or conversation id>-<date>.zip}, in letters, digits, dots and dashes only. */
  static String fileName(JsonObject conversation) {
    String title = conversation.getString("title") == null ? "" : conversation.getString("title");
    String slug = Normalizer.normalize(title, Normalizer.Form.NFKD)
        .replaceAll("\\p{M}", "")
        .replaceAll("[^A-Za-z0-9]+", "-")
        .replaceAll("^-+|-+$", "")
        .toLowerCase(Locale.ROOT);
    if (slug.length() > 50) {
      slug = slug.substring(0, 50).replaceAll("-+$", "");
    }
    return "parley-" + (slug.isEmpty() ? conversation.getString("id") : slug) + "-" + LocalDate.now(ZoneOffset.UTC) + ".zip";
  }
}
