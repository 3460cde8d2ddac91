package dev.parley.api;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import dev.parley.shared.MediaCommands;
import dev.parley.shared.MediaFiles;
import dev.parley.http.HttpFront;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/media} (upload) and {@code GET /api/media/{id}[/thumbnail]} (the bytes).
 * An upload is streamed to disk by {@link Upload}, then the media verticle decides what it is
 * ({@code media.ingest}); the GETs ask the store whether the caller may read the item
 * ({@code store.media.get}) and send the file with ranges, validators and safe headers.
 */
final class MediaRoutes {
  private static final Logger log = LoggerFactory.getLogger(MediaRoutes.class);
  /** Media bytes never render as a page of this origin, whatever they contain. */
  private static final String SANDBOX = "default-src 'none'; sandbox";

  private final Vertx vertx;
  private final Bus store;
  private final Bus media;
  private final MediaFiles files;
  private final long limit;

  MediaRoutes(Vertx vertx, Bus store, Bus media, MediaFiles files, long limit) {
    this.vertx = vertx;
    this.store = store;
    this.media = media;
    this.files = files;
    this.limit = limit;
  }

  void mount(Router router, BearerAuth authn) {
    router.post("/api/media").handler(ctx -> upload(ctx, authn));
    BearerAuth browser = authn.orQueryToken();
    router.get("/api/media/:id").handler(browser).handler(HttpReplies.guarded(ctx -> serve(ctx, false)));
    router.get("/api/media/:id/thumbnail").handler(browser).handler(HttpReplies.guarded(ctx -> serve(ctx, true)));
  }

  /** The ApiVerticle's JSON body handler leaves this one alone: it streams its own body. */
  static boolean isUpload(RoutingContext ctx) {
    return ctx.request().method() == io.vertx.core.http.HttpMethod.POST && "/api/media".equals(ctx.normalizedPath());
  }

  private void upload(RoutingContext ctx, BearerAuth authn) {
    HttpServerRequest request = ctx.request();
    // Nothing of the body may arrive before its handlers are set: hold it while the caller is checked.
    request.pause();
    authn.user(ctx)
        .compose(userId -> Upload.receive(vertx, request, files, limit).compose(received -> ingest(userId, received)))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            HttpReplies.respond(ctx, 201, Future.succeededFuture(ar.result().toJson()));
            return;
          }
          if (!request.isEnded()) {
            // The rest of the body is still on the wire: this connection cannot be reused.
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
          }
          HttpFront.error(ctx, Failure.from(ar.cause()));
        });
  }

  private Future<MediaCommands.MediaReply> ingest(String userId, Upload.Received received) {
    return media.request(Address.MEDIA_INGEST,
            new MediaCommands.Uploaded(received.upload(), userId, received.name(), received.declaredType()))
        .recover(cause -> {
          if (Failure.from(cause).code() == ErrorCode.UNAVAILABLE) {
            // No media verticle took it (or none answered in time): do not leave it in uploads/.
            vertx.fileSystem().delete(files.upload(received.upload()).toString());
          }
          return Future.failedFuture(cause);
        });
  }

  private void serve(RoutingContext ctx, boolean thumbnail) {
    String id = ctx.pathParam("id");
    if (!MediaFiles.isId(id)) {
      throw Failure.notFound("media");
    }
    serve(ctx, store.request(Address.MEDIA_GET, new MediaCommands.GetMedia(HttpReplies.userId(ctx), id)), thumbnail);
  }

  /**
   * Answers with the bytes (or the thumbnail) of the media item that {@code allowed} gives, or
   * with its failure. The store decides who may read what; this only serves the files.
   */
  void serve(RoutingContext ctx, Future<MediaCommands.MediaReply> allowed, boolean thumbnail) {
    allowed
        .onFailure(cause -> HttpFront.error(ctx, Failure.from(cause)))
        .onSuccess(reply -> {
          JsonObject item = reply.media();
          if (thumbnail && !item.containsKey("thumbnailUrl")) {
            HttpFront.error(ctx, Failure.notFound("thumbnail"));
            return;
          }
          send(ctx, item, thumbnail);
        });
  }

  private void send(RoutingContext ctx, JsonObject item, boolean thumbnail) {
    String id = item.getString("id");
    String etag = "\"" + id + (thumbnail ? "-thumb" : "") + "\"";
    HttpServerResponse response = ctx.response();
    if (ByteRanges.matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
      cacheHeaders(response, etag).setStatusCode(304).end();
      return;
    }
    Path path = thumbnail ? files.thumbnail(id) : files.original(id);
    // Opening a file may block (a network volume): on a worker; the bytes then go zero-copy.
    vertx.executeBlocking(() -> new RandomAccessFile(path.toFile(), "r"))
        .onFailure(cause -> {
          log.warn("media {} is recorded but its file cannot be opened: {}", id, cause.toString());
          HttpFront.error(ctx, Failure.notFound("media"));
        })
        .onSuccess(file -> {
          long[] range = thumbnail ? null : ByteRanges.parse(ctx.request().getHeader("Range"),
              ctx.request().getHeader("If-Range"), etag, item.getLong("size"));
          Future<Void> sent = range == ByteRanges.UNSATISFIABLE
              ? unsatisfiable(ctx, item.getLong("size"))
              : sendFile(cacheHeaders(response, etag), item, thumbnail, range, file);
          sent.onComplete(ar -> vertx.executeBlocking(() -> {
            file.close();
            return null;
          }));
        });
  }

  private static HttpServerResponse cacheHeaders(HttpServerResponse response, String etag) {
    return response.putHeader(HttpHeaders.ETAG, etag)
        .putHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=86400")
        .putHeader("Content-Security-Policy", SANDBOX)
        .putHeader("X-Content-Type-Options", "nosniff");
  }

  private static Future<Void> sendFile(HttpServerResponse response, JsonObject item, boolean thumbnail, long[] range,
                                       RandomAccessFile file) {
    response.putHeader(HttpHeaders.CONTENT_TYPE, thumbnail ? "image/jpeg" : item.getString("mime"));
    if (thumbnail) {
      return response.sendFile(file, 0, Long.MAX_VALUE);
    }
    response.putHeader("Content-Disposition", ByteRanges.disposition("file".equals(item.getString("kind")), item.getString("name")))
        .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    if (range == null) {
      return response.sendFile(file, 0, Long.MAX_VALUE);
    }
    response.setStatusCode(206)
        .putHeader(HttpHeaders.CONTENT_RANGE, "bytes " + range[0] + "-" + range[1] + "/" + item.getLong("size"));
    return response.sendFile(file, range[0], range[1] - range[0] + 1);
  }

  private static Future<Void> unsatisfiable(RoutingContext ctx, long size) {
    ctx.response().putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
    HttpFront.error(ctx, new Failure(ErrorCode.RANGE_NOT_SATISFIABLE, "the range is outside the file"));
    return Future.succeededFuture();
  }
}
