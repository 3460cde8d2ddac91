package dev.parley.push;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.Event;
import dev.parley.shared.Frames;
import io.vertx.core.Context;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push connection (SSE or WebSocket) of one user. Its state lives on the connection's own
 * event loop, and everything here runs there ({@link Registry} hops to it).
 *
 * <p>Resume: live events are buffered while the durable events after the client's cursor are
 * replayed from the store; then the buffer is flushed, skipping durable events already sent, so
 * each event reaches the client exactly once and in order. Past {@code replayLimit} events the
 * client gets one {@code resync} instead and refetches over REST.
 *
 * <p>Back-pressure: when the socket's write queue is full, ephemeral events are dropped, and a
 * durable event closes the connection (the client resumes from its cursor): the server never
 * buffers without bound for a client that does not read.
 */
abstract class Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final int MAX_BUFFERED = 10_000;
  private static final Event READY = Event.of(Frames.ephemeral(Frames.READY, new JsonObject()));
  private static final Event RESYNC = Event.of(Frames.ephemeral(Frames.RESYNC, new JsonObject()));

  final String userId;
  final Context context;
  private final Long since;
  private boolean live;
  private boolean closed;
  private long lastDurableId;
  private List<Event> buffered = new ArrayList<>();
  private Runnable onClose = () -> { };

  Session(String userId, Context context, Long since) {
    this.userId = userId;
    this.context = context;
    this.since = since;
    this.lastDurableId = since == null ? 0 : since;
  }

  /** Called once when the session ends, whoever ends it (the registry forgets it then). */
  void onClose(Runnable onClose) {
    this.onClose = onClose;
  }

  /** True once the peer or the network has closed the connection (its close handler may still be due). */
  protected abstract boolean connectionClosed();

  /** True when the connection's write queue is past its bound. */
  protected abstract boolean writeQueueFull();

  /** Writes one event as this transport frames it. */
  protected abstract void write(Event event);

  /** Sends a keep-alive (SSE comment, WebSocket ping). */
  protected abstract void ping();

  /** Closes the underlying connection. */
  protected abstract void closeConnection();

  /** Called once the user's delivery address is registered: replay, then go live. */
  void start(Bus bus, int replayLimit) {
    context.runOnContext(v -> {
      if (since == null) {
        goLive(List.of());
        return;
      }
      bus.request(Address.EVENTS_SINCE, new JsonObject().put("userId", userId).put("since", since).put("limit", replayLimit))
          .onSuccess(reply -> {
            if (reply.getBoolean("resync", false)) {
              send(RESYNC);
              goLive(List.of());
            } else {
              JsonArray events = reply.getJsonArray("events");
              List<Event> replay = new ArrayList<>(events.size());
              events.forEach(frame -> replay.add(Event.of((JsonObject) frame)));
              goLive(replay);
            }
          })
          .onFailure(cause -> {
            log.warn("replay for {} failed: {}", userId, cause.getMessage());
            close();
          });
    });
  }

  private void goLive(List<Event> replay) {
    if (closed) {
      return;
    }
    replay.forEach(this::send);
    // From here on nothing is missed: clients (and tests) may rely on what they sent after this.
    send(READY);
    List<Event> waiting = buffered;
    buffered = null;
    live = true;
    waiting.forEach(this::send);
  }

  /** Delivers an event; the caller is on this session's event loop. */
  void deliverHere(Event event) {
    if (closed) {
      return;
    }
    if (!live) {
      if (buffered.size() >= MAX_BUFFERED) {
        close();
      } else {
        buffered.add(event);
      }
      return;
    }
    send(event);
  }

  private void send(Event event) {
    if (closed) {
      return;
    }
    if (connectionClosed()) {
      closed();
      return;
    }
    if (event.durable()) {
      if (event.id() <= lastDurableId) {
        return;
      }
      lastDurableId = event.id();
    }
    if (writeQueueFull()) {
      if (event.durable()) {
        log.debug("closing a connection of {} that does not keep up", userId);
        close();
      }
      return;
    }
    write(event);
  }

  void keepAlive() {
    context.runOnContext(v -> {
      if (!closed) {
        ping();
      }
    });
  }

  /** Ends the session from this side; the peer's close ends up in {@link #closed()} instead. */
  void close() {
    if (!closed) {
      closed = true;
      closeConnection();
      onClose.run();
    }
  }

  /** The connection is gone (closed by the peer or the network). */
  void closed() {
    if (!closed) {
      closed = true;
      onClose.run();
    }
  }

  boolean isLive() {
    return live;
  }
}
