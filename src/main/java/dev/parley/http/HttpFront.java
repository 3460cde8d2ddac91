package dev.parley.http;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node's one HTTP port. Every HTTP-facing verticle (api, push, bridge) mounts its
 * routes on this node-wide router and opens its own server on the shared port, so Vert.x spreads
 * connections over all their event loops, and a request reaches the right handler whichever
 * server accepted it. Handlers that keep state hop to their own verticle's context.
 *
 * <p>It also owns what every path shares: security headers, the contract's JSON errors for 404,
 * 405, 413 and anything unexpected, and the browser client from {@code webroot/}.
 */
public final class HttpFront implements Shareable {
  /**
   * Content-Security-Policy for everything served: no inline script, no foreign origin. The web
   * app manifest and the service worker (which makes the client installable) come from the origin.
   */
  public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
      + " media-src 'self' blob:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none';"
      + " base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

  /** Vert.x's table of content types has no entry for the web app manifest. */
  private static final String MANIFEST_TYPE = "application/manifest+json";

  private static final String FRONTS = "parley.http.front";

  /** Where the node is in its life: only a serving node handles anything but {@code /health}. */
  public enum Phase { STARTING, SERVING, STOPPING }

  private final Router router;
  private final ParleyConfig config;
  private final Forwarded forwarded;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private volatile Phase phase = Phase.STARTING;

  private HttpFront(Vertx vertx, ParleyConfig config) {
    this.config = config;
    this.forwarded = Forwarded.trusting(config.http().trustedProxies());
    this.router = Router.router(vertx);
    router.route().order(-1000).handler(HttpFront::securityHeaders);
    // Until every role of the node has mounted its routes, and once it is shutting down, a path
    // is not "not found" but not served yet (or any more): 503 with Retry-After, which clients
    // retry, where a 404 would make them give up on a message that may well be stored.
    router.route().order(-999).handler(ctx -> {
      if (phase == Phase.SERVING || "/health".equals(ctx.normalizedPath())) {
        ctx.next();
      } else {
        error(ctx, new Failure(ErrorCode.UNAVAILABLE, phase == Phase.STARTING
            ? "this node is starting, try again" : "this node is shutting down, try again"));
      }
    });
    router.route().pathRegex("^/(?!api/|health$|metrics$).*").order(10_000)
        .handler(ctx -> {
          // Revalidate the client on every load: its file names do not change between releases.
          ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
          if (ctx.normalizedPath().endsWith(".webmanifest")) {
            // The static handler keeps a type it has none of its own for.
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MANIFEST_TYPE);
          }
          ctx.next();
        })
        .handler(staticFiles(config.http().webroot()));
    for (ErrorCode code : new ErrorCode[] {ErrorCode.INVALID_REQUEST, ErrorCode.UNAUTHORIZED, ErrorCode.NOT_FOUND,
        ErrorCode.METHOD_NOT_ALLOWED, ErrorCode.TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE}) {
      router.errorHandler(code.status(), ctx -> error(ctx, new Failure(code, defaultMessage(code))));
    }
    router.errorHandler(500, ctx -> error(ctx, Failure.from(ctx.failure())));
    OpsRoutes.mount(router, vertx, Math.min(config.busTimeoutMs(), 2000), config.nodeId(), config.cluster().enabled(),
        config.metrics(), () -> phase);
  }

  /** webroot/ relative to the working directory (or inside the jar), or an absolute folder. */
  private static StaticHandler staticFiles(String webroot) {
    StaticHandler handler = webroot.startsWith("/")
        ? StaticHandler.create(FileSystemAccess.ROOT, webroot)
        : StaticHandler.create(webroot);
    return handler.setIncludeHidden(false).setDirectoryListing(false).setCachingEnabled(false);
  }

  /** The node's front, created by whichever verticle asks first. */
  public static HttpFront of(Vertx vertx, ParleyConfig config) {
    LocalMap<String, HttpFront> fronts = vertx.sharedData().getLocalMap(FRONTS);
    HttpFront front = fronts.get("front");
    if (front == null) {
      HttpFront mine = new HttpFront(vertx, config);
      front = fronts.putIfAbsent("front", mine);
      front = front != null ? front : mine;
    }
    return front;
  }

  public Router router() {
    return router;
  }

  /** The node's reading of forwarded headers (who the client is, what it addressed). */
  public Forwarded forwarded() {
    return forwarded;
  }

  /**
   * Moves the node's front (if it has one: a node without HTTP roles has none) to {@code phase}:
   * {@code Node} says SERVING once every role is deployed, STOPPING before it undeploys any.
   */
  public static void enter(Vertx vertx, Phase phase) {
    HttpFront front = vertx.sharedData().<String, HttpFront>getLocalMap(FRONTS).get("front");
    if (front != null) {
      front.phase = phase;
    }
  }

  /** Opens a server on the node's port; each verticle instance calls this once from its start. */
  public Future<HttpServer> listen(Vertx vertx) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setCompressionSupported(true)
        .setMaxWebSocketFrameSize(config.push().maxFrameBytes())
        .setMaxWebSocketMessageSize(config.push().maxFrameBytes())
        .setMaxFormAttributeSize(8192)
        // A connection with nothing read or written for two keep-alive periods is closed: open
        // SSE/WebSocket streams are pinged every push.pingSeconds, so only dead or silent
        // (slowloris) connections reach it.
        .setIdleTimeout(2 * config.push().pingSeconds() + 10)
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
        // Every write happens on the connection's own event loop (sessions hop there, replies
        // complete there), so Vert.x can skip the cross-thread outbound queue it otherwise keeps
        // for each connection: about 8 KiB per idle WebSocket, and a hop per write.
        .setStrictThreadMode(true)
        // HAProxy's send-proxy: every connection starts with the client's address.
        .setUseProxyProtocol(config.http().proxyProtocol());
    return vertx.createHttpServer(options).requestHandler(router).invalidRequestHandler(HttpFront::invalidRequest)
        .listen().onSuccess(servers::add);
  }

  /**
   * A request Netty could not even decode (a request line or headers past its limits, a
   * malformed head): the status Vert.x would give it, with the contract's error JSON instead of
   * an empty body. The connection is closed, since the rest of that request is still on the wire.
   */
  private static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    Failure failure;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      failure = new Failure(ErrorCode.TOO_LARGE, "the request line (method and URL) is too long");
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      failure = new Failure(ErrorCode.TOO_LARGE, "the request headers are too large");
    } else {
      status = 400;
      failure = new Failure(ErrorCode.INVALID_REQUEST, "the request is not valid HTTP");
    }
    request.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(failure.toJson().encode())
        .onComplete(done -> request.connection().close());
  }

  /**
   * Stops accepting on the node's port: closes every server of every verticle at once, because
   * they share one router and any of them would otherwise keep answering every path.
   */
  public static Future<Void> stopAccepting(Vertx vertx) {
    HttpFront front = vertx.sharedData().<String, HttpFront>getLocalMap(FRONTS).get("front");
    if (front == null) {
      return Future.succeededFuture();
    }
    return Future.join(front.servers.stream().map(HttpServer::close).toList()).mapEmpty();
  }

  /** Writes the contract's error JSON, whatever the route. */
  public static void error(RoutingContext ctx, Failure failure) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().end();
      return;
    }
    if (failure.code() == ErrorCode.TOO_LARGE) {
      // The rest of the oversized body is still on the wire: this connection cannot be reused.
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    if (failure.retryAfter() > 0 && !ctx.response().headers().contains(HttpHeaders.RETRY_AFTER)) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(failure.retryAfter()));
    }
    if (failure.code() == ErrorCode.UNAVAILABLE && !ctx.response().headers().contains(HttpHeaders.RETRY_AFTER)) {
      // No store answers (one is starting or taking over): well-behaved clients come back shortly.
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
    }
    ctx.response()
        .setStatusCode(failure.code().status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .end(failure.toJson().encode());
  }

  private static String defaultMessage(ErrorCode code) {
    return switch (code) {
      case NOT_FOUND -> "no such path";
      case METHOD_NOT_ALLOWED -> "method not allowed on this path";
      case TOO_LARGE -> "the body is too large";
      case UNAUTHORIZED -> "a valid access token is required";
      case UNSUPPORTED_MEDIA_TYPE -> "unsupported media type";
      default -> "the request is not valid";
    };
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("X-Content-Type-Options", "nosniff")
        .set("Content-Security-Policy", CSP)
        .set("Referrer-Policy", "no-referrer")
        .set("X-Frame-Options", "DENY");
    ctx.next();
  }
}
