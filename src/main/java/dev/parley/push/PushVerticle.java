package dev.parley.push;

import dev.parley.auth.AccessTokens;
import dev.parley.auth.DisabledAccounts;
import dev.parley.auth.Principal;
import dev.parley.config.ParleyConfig;
import dev.parley.delivery.Feed;
import dev.parley.delivery.UserRegistry;
import dev.parley.http.HttpFront;
import dev.parley.http.Origins;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Events;
import dev.parley.shared.Failure;
import dev.parley.shared.Frames;
import dev.parley.shared.Json;
import dev.parley.shared.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Push: {@code GET /api/events} (SSE) and {@code GET /api/ws} (WebSocket), resumable with
 * {@code Last-Event-ID} / {@code ?since=}. One instance per node.
 *
 * <p>Consumes {@code chat.node.<member id>}, the events of the users with a connection on this node
 * (see {@link UserRegistry}), and {@code event.store.started} (then reports its users with
 * {@code store.presence.sync} and lets every connection catch up). Sends {@code store.route.probe}
 * and {@code store.events.since} (route, replay and catch-up, see {@link dev.parley.delivery.Delivery}), {@code store.presence.update}, and for WebSocket frames {@code store.message.send},
 * {@code store.conversation.delivered}, {@code store.conversation.read}, {@code store.conversation.typing}.
 */
public final class PushVerticle extends VerticleBase {
  private ParleyConfig config;
  private UserRegistry<Session> registry;
  private Bus bus;
  private AccessTokens tokens;
  /** Sign-ins ended recently, remembered as long as one of their access tokens may still be valid. */
  private RevokedSignIns revoked;
  private DisabledAccounts disabled;
  private ClientFrames clientFrames;
  private Feed feed;
  private Counter delivered;
  private Backlog backlog;

  @Override
  public Future<?> start() {
    config = ParleyConfig.from(config());
    bus = new Bus(vertx, config.busTimeoutMs());
    tokens = new AccessTokens(vertx, config.auth());
    revoked = new RevokedSignIns(config.auth().accessTokenSeconds() * 1000L);
    clientFrames = new ClientFrames(bus, this::verify);
    feed = Feed.of(bus, config.push().replayLimit());
    delivered = Counter.builder("parley.events.delivered").description("Events written to push connections")
        .register(Meters.registry());
    backlog = Backlog.of(config.push(), Meters.registry());
    registry = new UserRegistry<>(vertx, context, bus, config.memberId(), n -> delivered.increment(n));
    Gauge.builder("parley.connections", registry, UserRegistry::count).description("Open push connections")
        .register(Meters.registry());
    vertx.setPeriodic(config.push().pingSeconds() * 1000L, t -> registry.all().forEach(Session::keepAlive));
    HttpFront front = HttpFront.of(vertx, config);
    front.router().get("/api/events").handler(this::openSse);
    front.router().get("/api/ws").handler(this::openWebSocket);
    // Any other method on these paths is 405, before the api's catch-all /api/* routes see it.
    front.router().route("/api/events").handler(PushVerticle::methodNotAllowed);
    front.router().route("/api/ws").handler(PushVerticle::methodNotAllowed);
    Future<Void> storeWatch = Bus.subscribe(vertx, Address.STORE_STARTED, started -> registry.storeStarted()).completion();
    // A sign-in ended (signed out, its refresh token replayed): its streams on this node end too.
    Future<Void> revocations = Bus.subscribe(vertx, Address.SESSIONS_REVOKED, ended -> {
      String userId = ended.userId();
      String familyId = ended.familyId();
      revoked.add(familyId);
      registry.all().stream()
          .filter(session -> session.userId.equals(userId) && (familyId == null || familyId.equals(session.familyId)))
          .forEach(Session::revoke);
    }).completion();
    // An admin disabled an account: every stream of it on this node ends, and none opens again.
    disabled = DisabledAccounts.watch(vertx, bus, userId -> registry.all().stream()
        .filter(session -> session.userId.equals(userId))
        .forEach(Session::revoke));
    return Future.all(registry.start(), storeWatch, revocations, disabled.ready()).compose(v -> front.listen(vertx));
  }

  /** Closes every connection so clients resume on another node; their presence goes with them. */
  @Override
  public Future<?> stop() {
    return Future.future(promise -> context.runOnContext(v -> {
      List<Session> all = registry.all();
      all.forEach(session -> {
        registry.detach(session);
        session.context.runOnContext(x -> session.close());
      });
      promise.complete();
    }));
  }

  private void openSse(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Long since;
    try {
      String lastEventId = request.getHeader("Last-Event-ID");
      since = Json.queryLong(lastEventId != null && !lastEventId.isBlank() ? lastEventId.trim() : request.getParam("since"), "since");
    } catch (Failure failure) {
      HttpFront.error(ctx, failure);
      return;
    }
    Context connection = Vertx.currentContext();
    authenticate(request).onFailure(cause -> HttpFront.error(ctx, Failure.from(cause))).onSuccess(principal -> {
      HttpServerResponse response = ctx.response()
          .setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store")
          .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
          .putHeader("X-Accel-Buffering", "no");
      response.write("retry: 2000\n: connected\n\n");
      SseSession session = new SseSession(principal, connection, since, response, request.connection(), backlog);
      response.closeHandler(v -> session.closed());
      if (!response.closed()) {
        join(session);
      }
    });
  }

  private void openWebSocket(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
      HttpFront.error(ctx, Failure.invalid(null, "this path takes a WebSocket upgrade"));
      return;
    }
    if (!Origins.allowed(request, config.http().allowedOrigins(), HttpFront.of(vertx, config).forwarded())) {
      HttpFront.error(ctx, new Failure(ErrorCode.FORBIDDEN, "origin not allowed"));
      return;
    }
    Long since;
    try {
      since = Json.queryLong(request.getParam("since"), "since");
    } catch (Failure failure) {
      HttpFront.error(ctx, failure);
      return;
    }
    request.pause();
    authenticate(request)
        .onFailure(cause -> {
          request.resume();
          HttpFront.error(ctx, Failure.from(cause));
        })
        .onSuccess(principal -> request.toWebSocket().onFailure(cause -> request.connection().close()).onSuccess(ws -> {
          WsSession session = new WsSession(principal, Vertx.currentContext(), since, ws, request.connection(), backlog);
          ws.textMessageHandler(text -> clientFrames.handle(session, text));
          ws.binaryMessageHandler(binary -> session.reply(
              Frames.error(null, Failure.invalid(null, "frames are JSON text")).encode()));
          ws.closeHandler(v -> session.closed());
          ws.exceptionHandler(cause -> ws.close());
          join(session);
        }));
  }

  /**
   * The stream's user. An access token stays valid until it expires, so one of a sign-in that has
   * ended since (the client reconnecting with the token it still holds) is refused here.
   */
  private Future<Principal> authenticate(HttpServerRequest request) {
    String token = AccessTokens.bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
    return verify(token != null ? token : request.getParam("access_token"));
  }

  /** A valid access token of a sign-in that has not ended. */
  private Future<Principal> verify(String token) {
    return tokens.principal(token)
        .compose(principal -> disabled.contains(principal.userId())
            ? Future.failedFuture(new Failure(ErrorCode.FORBIDDEN, DisabledAccounts.REFUSAL))
            : revoked.contains(principal.familyId())
            ? Future.failedFuture(new Failure(ErrorCode.UNAUTHORIZED, "this sign-in has ended; sign in again"))
            : Future.succeededFuture(principal));
  }

  private void join(Session session) {
    session.onClose(() -> leave(session));
    context.runOnContext(v -> {
      // Checked again where the disabling event runs: a token verified just before it opens nothing.
      if (disabled.contains(session.userId)) {
        session.revoke();
        return;
      }
      registry.attach(session)
          .onSuccess(ready -> session.start(feed))
          .onFailure(cause -> session.context.runOnContext(x -> session.close()));
    });
  }

  private void leave(Session session) {
    context.runOnContext(v -> registry.detach(session));
  }

  private static void methodNotAllowed(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.ALLOW, "GET");
    HttpFront.error(ctx, new Failure(ErrorCode.METHOD_NOT_ALLOWED, "only GET opens a stream here"));
  }
}
