package dev.parley.bridge;

import dev.parley.auth.AccessTokens;
import dev.parley.auth.Authenticator;
import dev.parley.auth.DisabledAccounts;
import dev.parley.delivery.Feed;
import dev.parley.delivery.UserRegistry;
import dev.parley.shared.Address;
import dev.parley.shared.BotCommands;
import dev.parley.shared.BridgeWords;
import dev.parley.shared.Bus;
import dev.parley.shared.Command;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import dev.parley.shared.Frames;
import dev.parley.shared.Json;
import dev.parley.shared.MessageCommands;
import dev.parley.shared.Route;
import dev.parley.shared.SendRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BaseBridgeEvent;
import io.vertx.ext.bridge.BridgeEventType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every frame of both bridges passes here, and nothing reaches the event bus on its own. The
 * stock SockJS bridge is configured with no permitted address at all, so whatever it would do
 * with an approved frame is refused anyway; this class approves only socket life-cycle events and
 * pings, and serves the three allowed operations itself (for the TCP bridge, {@link TcpBridge}
 * hands it every frame):
 *
 * <ul>
 *   <li>{@code register} on {@code chat.user.<own id>} (header {@code since} to resume, or, for a
 *       bot, {@code resume: server} to resume after the last event it acknowledged): the socket
 *       gets a {@link BridgeSession} fed by {@link UserRegistry}, and gets exactly a WebSocket's events;</li>
 *   <li>{@code unregister} of that address;</li>
 *   <li>{@code send} to {@code chat.send} with a WebSocket {@code send} frame as body: stored
 *       like any message, answered on the reply address with the ack or error data;</li>
 *   <li>{@code send} to {@code chat.ack} with {@code {id}}, a bot's acknowledgement of the events
 *       up to that id: the store keeps it as the bot's position.</li>
 * </ul>
 *
 * Each of these needs {@code authorization: Bearer <token>} (a bot token or an access token) in
 * the frame's headers, and all frames of a socket must be one user's. Anything else gets an
 * {@code err} frame. A SockJS frame served here is left uncompleted: completing it would make the
 * stock bridge act on it (true) or send its own error (false).
 */
final class BridgeGate {
  /** The commands bots may send, as the address registry says, in its order. */
  private static final List<String> FOR_BOTS = Address.ALL.stream()
      .filter(route -> route instanceof Command<?, ?> && route.botsMayUse()).map(Route::name).toList();

  /** One of the bridge's words, served here. */
  private interface Word {
    void serve(BridgeLink link, JsonObject frame, String replyAddress);
  }

  private final Map<String, Word> words = Map.of(Address.BRIDGE_SEND.name(), this::send, Address.BRIDGE_ACK.name(), this::ack);
  private final Authenticator authenticator;
  /** Accounts an admin disabled: a check answered just before the event must not leave a link open. */
  private final DisabledAccounts disabled;
  private final Bus bus;
  private final UserRegistry<BridgeSession> deliveries;
  /** The bridge verticle's context: {@link UserRegistry} is touched there only. */
  private final Context home;
  private final Feed feed;
  private final Map<String, Set<BridgeLink>> byUser = new ConcurrentHashMap<>();
  /** Bots revoked while this node ran: closes the race of a check answered just before the revocation. */
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();

  BridgeGate(Authenticator authenticator, DisabledAccounts disabled, Bus bus, UserRegistry<BridgeSession> deliveries, Context home,
       Feed feed) {
    this.authenticator = authenticator;
    this.disabled = disabled;
    this.bus = bus;
    this.deliveries = deliveries;
    this.home = home;
    this.feed = feed;
    if (!words.keySet().equals(Set.copyOf(FOR_BOTS))) {
      throw new IllegalStateException("the registry lets bots send to " + FOR_BOTS + "; the bridge serves " + words.keySet());
    }
  }

  /** An event of the SockJS bridge: socket life-cycle events pass, frames are served by {@link #frame}. */
  void handle(BaseBridgeEvent event, BridgeLink link) {
    switch (event.type()) {
      case SOCKET_CREATED, SOCKET_PING, SOCKET_IDLE -> event.complete(true);
      case SOCKET_CLOSED, SOCKET_ERROR -> {
        closed(link);
        event.complete(true);
      }
      default -> frame(event.type(), event.getRawMessage() == null ? new JsonObject() : event.getRawMessage(), link);
    }
  }

  /** A client's frame, from either bridge. */
  void frame(BridgeEventType type, JsonObject frame, BridgeLink link) {
    String address = frame.getValue("address") instanceof String s ? s : null;
    switch (type) {
      case REGISTER -> register(link, frame, address);
      case UNREGISTER -> unregister(link, address);
      case SEND -> {
        String replyAddress = frame.getValue("replyAddress") instanceof String s ? s : null;
        Word word = address == null ? null : words.get(address);
        if (word != null) {
          word.serve(link, frame, replyAddress);
        } else {
          link.refuse(replyAddress, denied("a bridge may only send to " + String.join(" or ", FOR_BOTS)));
        }
      }
      default -> link.refuse(null, denied("publishing is not allowed"));
    }
  }

  private void register(BridgeLink link, JsonObject frame, String address) {
    Long since;
    boolean serverKept;
    try {
      since = Json.queryLong(header(frame, "since"), "since");
      String resume = header(frame, "resume");
      serverKept = "server".equals(resume);
      if (resume != null && !serverKept || serverKept && since != null) {
        throw Failure.invalid("resume", "resume may only be \"server\", and never with since");
      }
    } catch (Failure failure) {
      link.refuse(address, failure);
      return;
    }
    authenticate(link, frame).onFailure(cause -> link.refuse(address, Failure.from(cause))).onSuccess(userId -> {
      if (!Address.user(userId).equals(address)) {
        link.refuse(address, denied("a connection may only register on " + Address.user("<its own user id>")));
      } else if (link.session != null) {
        link.refuse(address, Failure.invalid(null, "already registered"));
      } else if (serverKept) {
        // The store keeps a bot's position; a person's clients keep their own (since).
        bus.request(Address.BOT_CURSOR, new BotCommands.Cursor(userId))
            .onFailure(cause -> link.refuse(address, Failure.from(cause)))
            .onSuccess(cursor -> startSession(link, address, userId, cursor.ackedId()));
      } else {
        startSession(link, address, userId, since);
      }
    });
  }

  private void startSession(BridgeLink link, String address, String userId, Long since) {
    if (link.session != null) {
      link.refuse(address, Failure.invalid(null, "already registered"));
      return;
    }
    BridgeSession session = new BridgeSession(userId, since, link);
    link.session = session;
    session.onClose(() -> home.runOnContext(v -> deliveries.detach(session)));
    home.runOnContext(v -> deliveries.attach(session)
        .onSuccess(ready -> session.start(feed))
        .onFailure(cause -> link.close()));
  }

  private void unregister(BridgeLink link, String address) {
    BridgeSession session = link.session;
    if (session == null || !Address.user(session.userId).equals(address)) {
      link.refuse(address, denied("not registered on " + address));
      return;
    }
    link.session = null;
    // Stops the deliveries and leaves the socket open.
    session.closed();
  }

  private void send(BridgeLink link, JsonObject frame, String replyAddress) {
    authenticate(link, frame).onFailure(cause -> link.refuse(replyAddress, Failure.from(cause))).onSuccess(userId -> {
      Object body = frame.getValue("body");
      String clientId = body instanceof JsonObject json && json.getValue("clientId") instanceof String s ? s : null;
      Future<BridgeWords.Answer> answer;
      try {
        if (!(body instanceof JsonObject json)) {
          throw Failure.invalid(null, "the body must be a send frame (a JSON object)");
        }
        SendRequest request = BridgeWords.Send.from(json).request();
        answer = bus.request(Address.MESSAGE_SEND, MessageCommands.Send.forAck(userId, request))
            .map(sent -> new BridgeWords.Answer(Frames.ack(request.clientId(), sent).getJsonObject("data")));
      } catch (RuntimeException e) {
        answer = Future.failedFuture(e);
      }
      answer.onComplete(ar -> link.reply(replyAddress, ar.succeeded()
          ? ar.result().toJson()
          : Frames.error(clientId, Failure.from(ar.cause())).getJsonObject("data")));
    });
  }

  /** A bot's acknowledgement: every event up to {@code body.id} is handled, keep it as its position. */
  private void ack(BridgeLink link, JsonObject frame, String replyAddress) {
    authenticate(link, frame).onFailure(cause -> link.refuse(replyAddress, Failure.from(cause))).onSuccess(userId -> {
      BridgeWords.Ack ack;
      try {
        ack = BridgeWords.Ack.from(frame.getValue("body") instanceof JsonObject body ? body : new JsonObject());
      } catch (Failure failure) {
        link.refuse(replyAddress, failure);
        return;
      }
      bus.request(Address.BOT_ACK, new BotCommands.Ack(userId, ack.id()))
          .onComplete(ar -> {
            if (ar.succeeded()) {
              link.reply(replyAddress, ar.result().toJson());
            } else {
              link.refuse(replyAddress, Failure.from(ar.cause()));
            }
          });
    });
  }

  /**
   * The user of the frame's bearer token. A bot token already checked on this socket is not asked
   * about again; an access token is verified on every frame (it may expire).
   */
  private Future<String> authenticate(BridgeLink link, JsonObject frame) {
    String token = AccessTokens.bearer(header(frame, "authorization"));
    if (token == null) {
      return Failure.future(ErrorCode.UNAUTHORIZED, "every frame needs the header authorization: Bearer <token>");
    }
    if (link.userId() != null && link.knows(token)) {
      return Future.succeededFuture(link.userId());
    }
    return authenticator.verify(token).compose(userId -> {
      if (link.userId() != null && !link.userId().equals(userId)) {
        return Failure.future(ErrorCode.UNAUTHORIZED, "this connection belongs to another user");
      }
      if (link.userId() == null) {
        byUser.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet()).add(link);
      }
      link.bind(userId, Authenticator.isBotToken(token) ? token : null);
      if (revoked.contains(userId)) {
        link.close();
        return Failure.future(ErrorCode.UNAUTHORIZED, "invalid or revoked bot token");
      }
      if (disabled.contains(userId)) {
        link.close();
        return Failure.future(ErrorCode.FORBIDDEN, DisabledAccounts.REFUSAL);
      }
      return Future.succeededFuture(userId);
    });
  }

  /** A bot's token was revoked: close its sockets on this node. */
  void revoked(String userId) {
    revoked.add(userId);
    byUser.getOrDefault(userId, Set.of()).forEach(BridgeLink::close);
  }

  /** An admin disabled the account: every link of it on this node closes, a person's or a bot's. */
  void accountDisabled(String userId) {
    byUser.getOrDefault(userId, Set.of()).forEach(BridgeLink::close);
  }

  /**
   * One of a person's sign-ins ended: their links on this node close (a link does not keep which
   * sign-in its frames' tokens came from, so all of the person's close; each reconnects with a
   * token of a live sign-in, and every frame's token is checked anyway). Bots' links stay.
   */
  void signInEnded(String userId) {
    byUser.getOrDefault(userId, Set.of()).stream().filter(link -> !link.isBot()).forEach(BridgeLink::close);
  }

  /** The socket is gone (SockJS says so with an event, TCP through the socket's close handler). */
  void closed(BridgeLink link) {
    link.closed();
    if (link.userId() != null) {
      Set<BridgeLink> links = byUser.get(link.userId());
      if (links != null) {
        links.remove(link);
        byUser.computeIfPresent(link.userId(), (k, set) -> set.isEmpty() ? null : set);
      }
    }
  }

  /** A header of a bridge frame, matched without regard to case. */
  private static String header(JsonObject frame, String name) {
    Object headers = frame.getValue("headers");
    if (headers instanceof JsonObject map) {
      for (String key : map.fieldNames()) {
        Object value = map.getValue(key);
        if (key.equalsIgnoreCase(name) && (value instanceof String || value instanceof Number)) {
          return value.toString();
        }
      }
    }
    return null;
  }

  private static Failure denied(String message) {
    return new Failure(ErrorCode.FORBIDDEN, "access denied: " + message);
  }
}
