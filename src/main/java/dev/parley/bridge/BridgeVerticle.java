package dev.parley.bridge;

import dev.parley.auth.AccessTokens;
import dev.parley.auth.Authenticator;
import dev.parley.auth.DisabledAccounts;
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
import dev.parley.shared.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event-bus bridges for bots: SockJS at {@code /eventbus} on the node's HTTP port, and, when
 * {@code bridge.tcpPort} is set, the TCP bridge ({@link TcpBridge}). Both are deny-by-default:
 * the stock SockJS bridge permits no address, and {@link BridgeGate} serves the few frames a bot may
 * send, from either bridge. One instance per node.
 *
 * <p>Consumes {@code chat.node.<member id>/bridge}, the events of the users with a registered
 * socket on this node (see {@link UserRegistry}), {@code event.bot.revoked},
 * {@code event.sessions.revoked}, {@code event.user.disabled}, {@code event.store.started} and
 * {@code event.connections.census}. Sends {@code store.bot.authenticate}, {@code store.bot.cursor},
 * {@code store.bot.ack}, {@code store.message.send}, {@code store.route.probe},
 * {@code store.events.since}, {@code store.presence.update}, {@code store.presence.sync} and
 * {@code store.users.disabled}. Serves the bridge's own words ({@code chat.send}, {@code chat.ack},
 * {@code chat.user.<id>}) in {@link BridgeGate}.
 */
public final class BridgeVerticle extends VerticleBase {
  private final Map<Object, BridgeLink> links = new ConcurrentHashMap<>();
  private ParleyConfig config;
  private UserRegistry<BridgeSession> deliveries;
  private BridgeGate gate;
  private NetServer tcp;

  @Override
  public Future<?> start() {
    config = ParleyConfig.from(config());
    Bus bus = new Bus(vertx, config.busTimeoutMs());
    AccessTokens tokens = new AccessTokens(vertx, config.auth());
    Counter delivered = Counter.builder("parley.events.delivered").description("Events written to push connections")
        .register(Meters.registry());
    // Presence as "<member id>/bridge": push and the bridge of one node each count their own sockets.
    deliveries = new UserRegistry<>(vertx, context, bus, config.memberId() + "/bridge", n -> delivered.increment(n));
    Gauge.builder("parley.bridge.connections", deliveries, UserRegistry::count).description("Open bridge connections of bots and people")
        .register(Meters.registry());
    DisabledAccounts disabled = DisabledAccounts.watch(vertx, bus, userId -> gate.accountDisabled(userId));
    gate = new BridgeGate(new Authenticator(tokens, bus, disabled), disabled, bus, deliveries, context,
        Feed.of(bus, config.bridge().replayLimit()));
    HttpFront front = HttpFront.of(vertx, config);
    mountSockJs(front.router());
    List<Future<?>> ready = new ArrayList<>();
    ready.add(deliveries.start());
    ready.add(disabled.ready());
    ready.add(Bus.subscribe(vertx, Address.BOT_REVOKED, revoked -> gate.revoked(revoked.userId())).completion());
    ready.add(Bus.subscribe(vertx, Address.STORE_STARTED, started -> deliveries.storeStarted()).completion());
    ready.add(Bus.subscribe(vertx, Address.SESSIONS_REVOKED, ended -> gate.signInEnded(ended.userId())).completion());
    if (config.bridge().tcpPort() != 0) {
      ready.add(startTcp());
    }
    ready.add(front.listen(vertx));
    return Future.all(ready);
  }

  /** Closes every bridged socket (their presence goes with them) and the TCP listener. */
  @Override
  public Future<?> stop() {
    links.values().forEach(BridgeLink::close);
    return tcp == null ? Future.succeededFuture() : tcp.close();
  }

  private void mountSockJs(Router router) {
    SockJSHandlerOptions sockJsOptions = new SockJSHandlerOptions().setRegisterWriteHandler(false);
    if (config.cluster().enabled()) {
      // A SockJS session over HTTP requests lives on one node, and a load balancer may send the
      // next request elsewhere; a WebSocket is one connection. No sticky sessions, as promised.
      for (Transport transport : List.of(Transport.XHR, Transport.EVENT_SOURCE, Transport.HTML_FILE, Transport.JSON_P)) {
        sockJsOptions.addDisabledTransport(transport.name());
      }
    }
    SockJSHandler sockJs = SockJSHandler.create(vertx, sockJsOptions);
    SockJSBridgeOptions options = new SockJSBridgeOptions();
    Router bridge = sockJs.bridge(options, event -> {
      SockJSSocket socket = event.socket();
      BridgeLink link = links.computeIfAbsent(socket,
          s -> new SockJsLink(socket, Vertx.currentContext(), config.bridge().writeQueueMaxBytes()));
      if (event.type() == BridgeEventType.SOCKET_CLOSED) {
        links.remove(socket);
      }
      gate.handle(event, link);
    });
    // The stock origin check refuses clients that send neither Origin nor Referer (bots); this
    // one refuses only foreign browser pages, as the WebSocket endpoint does.
    // The XHR transports post their frames: they need the body read, up to a frame's size.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.bridge().maxFrameBytes());
    router.route("/eventbus/*").handler(ctx -> {
      if (Origins.allowed(ctx.request(), config.http().allowedOrigins(), HttpFront.of(vertx, config).forwarded())) {
        body.handle(ctx);
      } else {
        HttpFront.error(ctx, new Failure(ErrorCode.FORBIDDEN, "origin not allowed"));
      }
    });
    router.route("/eventbus/*").subRouter(bridge);
  }

  private Future<?> startTcp() {
    TcpBridge bridge = new TcpBridge(gate, links, config.bridge().maxFrameBytes(), config.bridge().writeQueueMaxBytes());
    return bridge.listen(vertx, config.bridge().tcpHost(), config.bridge().tcpPort(), config.bridge().tcpIdleTimeoutSeconds())
        .onSuccess(server -> tcp = server);
  }

}
