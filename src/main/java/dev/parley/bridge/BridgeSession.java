package dev.parley.bridge;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.Event;
import dev.parley.shared.Frames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registration of a bridged socket on {@code chat.user.<id>}. It keeps the WebSocket's
 * delivery rules, so a bot sees exactly what a WebSocket of its user sees: each event is the
 * WebSocket frame, wrapped as the body of a bridge message frame.
 *
 * <p>Resume ({@code since}): live events are buffered while the durable events after the
 * cursor are fetched with {@code store.events.since} (the request push replays with); then the
 * buffer follows, skipping durable events already sent. Past the replay limit the bot gets one
 * {@code resync}. Back-pressure: with the socket's write queue full, ephemeral events are
 * dropped and a durable one closes the socket (the bot resumes from its cursor).
 *
 * <p>Runs on the socket's event loop ({@link Link#context}); {@link Deliveries} hops there.
 */
final class BridgeSession {
  private static final Logger log = LoggerFactory.getLogger(BridgeSession.class);
  private static final int MAX_BUFFERED = 10_000;
  private static final Event READY = Event.of(Frames.ephemeral(Frames.READY, new JsonObject()));
  private static final Event RESYNC = Event.of(Frames.ephemeral(Frames.RESYNC, new JsonObject()));

  final String userId;
  final Link link;
  private final String address;
  private final Long since;
  private long lastDurableId;
  private List<Event> buffered = new ArrayList<>();
  private boolean closed;
  private Runnable onClose = () -> { };

  BridgeSession(String userId, Long since, Link link) {
    this.userId = userId;
    this.link = link;
    this.address = Address.user(userId);
    this.since = since;
    this.lastDurableId = since == null ? 0 : since;
  }

  /** Called once when the session ends, whoever ends it. */
  void onClose(Runnable onClose) {
    this.onClose = onClose;
  }

  /** Called once the user's consumer is registered: replay, then go live. */
  void start(Bus bus, int replayLimit) {
    link.context.runOnContext(v -> {
      if (since == null) {
        goLive(List.of());
        return;
      }
      bus.request(Address.EVENTS_SINCE, new JsonObject().put("userId", userId).put("since", since).put("limit", replayLimit))
          .onSuccess(reply -> {
            List<Event> replay = new ArrayList<>();
            if (reply.getBoolean("resync", false)) {
              replay.add(RESYNC);
            } else {
              reply.getJsonArray("events", new JsonArray()).forEach(frame -> replay.add(Event.of((JsonObject) frame)));
            }
            goLive(replay);
          })
          .onFailure(cause -> {
            log.warn("bridge replay for {} failed: {}", userId, cause.getMessage());
            close();
          });
    });
  }

  private void goLive(List<Event> replay) {
    replay.forEach(this::send);
    send(READY);
    List<Event> waiting = buffered;
    buffered = null;
    if (waiting != null) {
      waiting.forEach(this::send);
    }
  }

  /** Delivers an event; the caller is on the socket's event loop. */
  void deliverHere(Event event) {
    if (closed) {
      return;
    }
    if (buffered == null) {
      send(event);
    } else if (buffered.size() >= MAX_BUFFERED) {
      close();
    } else {
      buffered.add(event);
    }
  }

  private void send(Event event) {
    if (closed) {
      return;
    }
    if (link.socketClosed()) {
      closed();
      return;
    }
    if (event.durable()) {
      if (event.id() <= lastDurableId) {
        return;
      }
      lastDurableId = event.id();
    }
    if (link.writeQueueFull()) {
      if (event.durable()) {
        log.debug("closing a bridge socket of {} that does not keep up", userId);
        close();
      }
      return;
    }
    link.writeText(link.envelope(address, event.webSocketText()));
  }

  /** Ends the session and the socket from this side (revoked bot, slow reader, shutdown). */
  void close() {
    if (!closed) {
      closed = true;
      link.closeSocket();
      onClose.run();
    }
  }

  /** The socket is gone, or the bot unregistered: stop delivering. */
  void closed() {
    if (!closed) {
      closed = true;
      onClose.run();
    }
  }
}
