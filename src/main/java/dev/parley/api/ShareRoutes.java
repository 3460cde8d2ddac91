package dev.parley.api;

import dev.parley.auth.Secrets;
import dev.parley.http.Forwarded;
import dev.parley.http.HttpFront;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import dev.parley.shared.Json;
import dev.parley.shared.MediaCommands;
import dev.parley.shared.MediaFiles;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Shares: members create, list and revoke links to a range of a conversation; anyone holding a
 * link reads that range ({@code /api/shared/{token}}, the page {@code /s/{token}}). The token is
 * 256 random bits, shown once; the store keeps only its SHA-256.
 */
final class ShareRoutes {
  static final int MAX_MESSAGES = 1000;
  static final long MAX_EXPIRY_SECONDS = 366L * 24 * 3600;
  /** What {@link Secrets#token(int)} makes of 32 bytes. Anything else cannot be a token. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final Pattern SHARE_ID = Pattern.compile("s[A-Za-z0-9_-]{16}");

  private final Bus bus;
  private final MediaRoutes media;
  private final PublicUrls urls;
  /** Context data of a {@code /s/<token>} request whose link no longer works. */
  private static final String GONE = "parley.shareGone";

  ShareRoutes(Bus bus, MediaRoutes media, String publicUrl, Forwarded forwarded) {
    this.bus = bus;
    this.media = media;
    this.urls = new PublicUrls(publicUrl, forwarded);
  }

  void mount(Router router, Handler<RoutingContext> authn) {
    router.post("/api/conversations/:id/shares").handler(authn).handler(HttpReplies.guarded(this::create));
    router.get("/api/conversations/:id/shares").handler(authn).handler(HttpReplies.guarded(this::list));
    router.delete("/api/shares/:token").handler(authn).handler(HttpReplies.guarded(this::revoke));
    router.get("/api/shared/:token").handler(HttpReplies.guarded(this::view));
    router.get("/api/shared/:token/media/:mediaId").handler(HttpReplies.guarded(ctx -> media(ctx, false)));
    router.get("/api/shared/:token/media/:mediaId/thumbnail").handler(HttpReplies.guarded(ctx -> media(ctx, true)));
    // The page is a static file of webroot/ that reads the token from its own address; a link
    // that no longer works gets the same page (which says so) with 404, so that previewers and
    // crawlers see it is gone.
    router.get("/s/:token").handler(this::page);
    router.get("/s.html").handler(ctx -> {
      ctx.response().putHeader("X-Robots-Tag", "noindex, nofollow");
      if (Boolean.TRUE.equals(ctx.get(GONE))) {
        ctx.addHeadersEndHandler(v -> ctx.response().setStatusCode(404));
      }
      ctx.next();
    });
  }

  private void page(RoutingContext ctx) {
    String hash = hashOf(ctx.pathParam("token"));
    Future<Boolean> live = hash == null ? Future.succeededFuture(false)
        : bus.request(Address.SHARE_VIEW, new MediaCommands.ViewShare(hash, true))
            .map(true)
            .recover(cause -> cause instanceof Failure f && f.code() == ErrorCode.NOT_FOUND
                ? Future.succeededFuture(false) : Future.failedFuture(cause));
    live.onComplete(ar -> {
      if (ar.failed()) {
        HttpFront.error(ctx, Failure.from(ar.cause()));
        return;
      }
      ctx.put(GONE, !ar.result());
      ctx.reroute("/s.html");
    });
  }

  private void create(RoutingContext ctx) {
    JsonObject body = HttpReplies.body(ctx);
    long fromSeq = Json.positiveLong(body, "fromSeq");
    long toSeq = Json.positiveLong(body, "toSeq");
    if (toSeq < fromSeq) {
      throw Failure.invalid("toSeq", "toSeq must not be smaller than fromSeq");
    }
    if (toSeq - fromSeq >= MAX_MESSAGES) {
      throw Failure.invalid("toSeq", "a share holds at most " + MAX_MESSAGES + " messages");
    }
    Long expiresAt = null;
    if (body.getValue("expiresInSeconds") != null) {
      long seconds = Json.positiveLong(body, "expiresInSeconds");
      if (seconds > MAX_EXPIRY_SECONDS) {
        throw Failure.invalid("expiresInSeconds", "expiresInSeconds must be at most " + MAX_EXPIRY_SECONDS);
      }
      expiresAt = System.currentTimeMillis() + seconds * 1000;
    }
    String token = Secrets.token(32);
    String url = urls.of(ctx.request(), "/s/" + token);
    HttpReplies.respond(ctx, 201, bus.request(Address.SHARE_CREATE, new MediaCommands.CreateShare(HttpReplies.userId(ctx),
            ctx.pathParam("id"), Secrets.sha256(token), token, fromSeq, toSeq, expiresAt))
        .map(created -> {
          created.share().put("token", token).put("url", url);
          return created.toJson();
        }));
  }

  private void list(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.SHARE_LIST, new MediaCommands.ListShares(HttpReplies.userId(ctx),
            ctx.pathParam("id"), Json.limit(ctx.request().getParam("limit")),
            Json.queryLong(ctx.request().getParam("cursor"), "cursor")))
        .map(listed -> {
          listed.shares().forEach(s -> {
            JsonObject share = (JsonObject) s;
            if (share.getString("token") != null) {
              share.put("url", urls.of(ctx.request(), "/s/" + share.getString("token")));
            }
          });
          return listed.toJson();
        }));
  }

  /** By the token (the link's holder) or by the share's id (from a list). */
  private void revoke(RoutingContext ctx) {
    String key = ctx.pathParam("token");
    String hash = hashOf(key);
    if (hash == null && !SHARE_ID.matcher(key).matches()) {
      throw Failure.notFound("share");
    }
    HttpReplies.noContent(ctx, bus.request(Address.SHARE_REVOKE,
        new MediaCommands.RevokeShare(HttpReplies.userId(ctx), hash == null ? key : null, hash)));
  }

  /** Public. Unknown, expired and revoked tokens all get the same 404. */
  private void view(RoutingContext ctx) {
    ctx.response().putHeader("X-Robots-Tag", "noindex, nofollow");
    String base = "/api/shared/" + ctx.pathParam("token") + "/media/";
    HttpReplies.ok(ctx, bus.request(Address.SHARE_VIEW, new MediaCommands.ViewShare(tokenHash(ctx), false))
        .map(view -> {
          // A reader without an account can only fetch media through the share itself.
          view.messages().forEach(m -> sharedUrls(((JsonObject) m).getJsonObject("media"), base));
          return view.toJson();
        }));
  }

  private static void sharedUrls(JsonObject item, String base) {
    if (item == null) {
      return;
    }
    item.put("url", base + item.getString("id"));
    if (item.containsKey("thumbnailUrl")) {
      item.put("thumbnailUrl", base + item.getString("id") + "/thumbnail");
    }
  }

  /**
   * Public. The bytes (or thumbnail) of a media item that a message in the share's live range
   * carries; the store decides, with the same 404 for every other case.
   */
  private void media(RoutingContext ctx, boolean thumbnail) {
    String mediaId = ctx.pathParam("mediaId");
    if (!MediaFiles.isId(mediaId)) {
      throw Failure.notFound("media");
    }
    ctx.response().putHeader("X-Robots-Tag", "noindex, nofollow");
    media.serve(ctx, bus.request(Address.SHARE_MEDIA, new MediaCommands.SharedMedia(tokenHash(ctx), mediaId)), thumbnail);
  }

  private static String tokenHash(RoutingContext ctx) {
    String hash = hashOf(ctx.pathParam("token"));
    if (hash == null) {
      throw Failure.notFound("share");
    }
    return hash;
  }

  /** What the store knows a share token by; null for a string that cannot be a token. */
  private static String hashOf(String token) {
    return TOKEN.matcher(token).matches() ? Secrets.sha256(token) : null;
  }
}
