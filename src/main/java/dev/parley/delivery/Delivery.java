package dev.parley.delivery;

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
 * The events of one user to one socket: a push connection (SSE, WebSocket) or a bot's bridge
 * registration, which therefore see exactly the same events. Its state lives on the socket's
 * event loop ({@link #context}), and everything here runs there ({@link UserRegistry} hops to it).
 *
 * <p>Resume: live events are buffered while the durable events after the client's cursor are
 * replayed from the store; then the buffer is flushed, skipping durable events already sent, so
 * each event reaches the client exactly once and in order. Past {@code replayLimit} events the
 * client gets one {@code resync} instead and refetches over REST. A client that falls
 * {@value #MAX_BUFFERED} events behind during its replay is cut off and resumes again.
 *
 * <p>What a transport adds: how an event is framed and what happens when its socket's write
 * queue is full ({@link #transmit}), and how the socket is closed.
 */
public abstract class Delivery {
  private static final Logger log = LoggerFactory.getLogger(Delivery.class);
  private static final int MAX_BUFFERED = 10_000;
  private static final Event READY = Event.of(Frames.ephemeral(Frames.READY, new JsonObject()));
  private static final Event RESYNC = Event.of(Frames.ephemeral(Frames.RESYNC, new JsonObject()));

  public final String userId;
  public final Context context;
  private final Long since;
  private boolean live;
  private boolean closed;
  private long lastDurableId;
  private List<Event> buffered = new ArrayList<>();
  private Runnable onClose = () -> { };

  protected Delivery(String userId, Context context, Long since) {
    this.userId = userId;
    this.context = context;
    this.since = since;
    this.lastDurableId = since == null ? 0 : since;
  }

  /** Called once when the delivery ends, whoever ends it (the registry forgets it then). */
  public void onClose(Runnable onClose) {
    this.onClose = onClose;
  }

  /** True once the peer or the network has closed the socket (its close handler may still be due). */
  protected abstract boolean connectionClosed();

  /** Writes one event that is due now, or deals with a full write queue as the transport must. */
  protected abstract void transmit(Event event);

  /** Closes the socket politely (whatever is queued is still written). */
  protected abstract void closeConnection();

  /** Closes the socket without writing or waiting for anything more; by default, politely. */
  protected void abortConnection() {
    closeConnection();
  }

  /** Called once the user's delivery address is registered: replay, then go live. */
  public void start(Bus bus, int replayLimit) {
    context.runOnContext(v -> {
      if (since == null) {
        goLive(List.of());
        return;
      }
      bus.request(Address.EVENTS_SINCE, new JsonObject().put("userId", userId).put("since", since).put("limit", replayLimit))
          .onSuccess(reply -> {
            if (reply.getBoolean("resync", false)) {
              goLive(List.of(RESYNC));
            } else {
              JsonArray events = reply.getJsonArray("events", new JsonArray());
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

  /** Delivers an event; the caller is on {@link #context}. */
  public void deliverHere(Event event) {
    if (closed) {
      return;
    }
    if (!live) {
      if (buffered.size() >= MAX_BUFFERED) {
        abort();
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
    transmit(event);
  }

  /** Ends the delivery and its socket from this side; the peer's close ends up in {@link #closed()}. */
  public void close() {
    if (!closed) {
      closed = true;
      closeConnection();
      onClose.run();
    }
  }

  /**
   * Ends the delivery at once, dropping whatever is still queued: for a client that is too far
   * behind, whose queue would hold a polite goodbye back for ever.
   */
  public void abort() {
    if (!closed) {
      closed = true;
      abortConnection();
      onClose.run();
    }
  }

  /** True once the delivery has ended, from either side. */
  protected final boolean isClosed() {
    return closed;
  }

  /** The socket is gone (closed by the peer or the network), or the bot unregistered. */
  public void closed() {
    if (!closed) {
      closed = true;
      onClose.run();
    }
  }
}
