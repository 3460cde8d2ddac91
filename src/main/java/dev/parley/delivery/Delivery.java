package dev.parley.delivery;

import dev.parley.shared.Address;
import dev.parley.shared.Event;
import dev.parley.shared.Frames;
import dev.parley.shared.MessageCommands;
import dev.parley.shared.UserEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of one user to one socket: a push connection (SSE, WebSocket) or a bot's bridge
 * registration, which therefore see exactly the same events. Its state lives on the socket's
 * event loop ({@link #context}), and everything here runs there ({@link UserRegistry} hops to it).
 *
 * <p><b>The guarantee:</b> from its {@code ready} frame on, a connection receives every durable
 * event of its user exactly once and in event-id order; before {@code ready} it receives the
 * durable events after its cursor (or a {@code resync}). It holds because of three steps, each
 * argued in {@code docs/architecture.md} ("Why a connection cannot miss an event"):
 * <ol>
 *   <li><b>Route first.</b> Once attached to its {@link UserRegistry}, the delivery asks the store
 *   to route the user's events to this verticle and to send it a route marker
 *   ({@code store.route.probe}), and waits until the marker comes back, asking again every
 *   {@value #PROBE_EVERY_MS} ms. Everything the store publishes after the marker reaches this
 *   node; everything before it is committed, so it is in the replay.</li>
 *   <li><b>Replay, then live.</b> The durable events after the cursor are replayed from the
 *   store; live events that arrive meanwhile are held, then sent if newer than the replay.</li>
 *   <li><b>Check the chain.</b> Each live durable event names the one the store published to
 *   this user before it. If that one was never sent here, there is a hole (a hop that reordered,
 *   a route that broke): the delivery holds what arrives, fetches the missing events from the
 *   store, sends them, and goes on. A duplicate is dropped and counted.</li>
 * </ol>
 * Past {@code replayLimit} events a replay sends one {@code resync} instead (the client refetches
 * over REST), and a catch-up closes the connection so the client resumes; a client that falls
 * {@value #MAX_HELD} events behind while its events are held is cut off and resumes.
 *
 * <p>What a transport adds: how an event is framed and what happens when its socket's write
 * queue is full ({@link #transmit}), and how the socket is closed.
 */
public abstract class Delivery {
  private static final Logger log = LoggerFactory.getLogger(Delivery.class);
  private static final int MAX_HELD = 10_000;
  /** A route usually exists at once (one node) or within a second (a cluster); after 30 s the client retries. */
  private static final long PROBE_EVERY_MS = 250;
  private static final int PROBE_ATTEMPTS = 120;
  private static final Event READY = Event.of(Frames.ephemeral(Frames.READY, new JsonObject()));
  private static final Event RESYNC = Event.of(Frames.ephemeral(Frames.RESYNC, new JsonObject()));

  private enum Phase {
    /** Waiting for the store's route marker. */
    PROBING,
    /** Marker seen, replay from the cursor under way. */
    REPLAYING,
    /** Sending events as they arrive. */
    LIVE,
    /** A hole was seen: fetching what is missing from the store. */
    CATCHING_UP
  }

  /** What the store answered to {@code store.events.since}: the events, or too many of them. */
  private record Fetched(List<Event> events, boolean resync) {
  }

  public final String userId;
  public final Context context;
  private final Long since;
  private Feed feed;
  private Phase phase = Phase.PROBING;
  private boolean closed;
  /**
   * Every durable event of the user up to this id has reached the client, or does not concern
   * it any more (superseded by a newer event of the same message, or of a conversation the user
   * has left). Starts at the client's cursor.
   */
  private long lastDurableId;
  /** Events that arrived while not live, in arrival order. */
  private List<UserEvent> held = new ArrayList<>();
  private final Set<String> probes = new HashSet<>();
  private long probeTimer = -1;
  private Runnable onClose = () -> { };
  /** The registry this delivery is attached to: its route probes leave from there. */
  UserRegistry<?> registry;

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

  /** Called once attached to its registry: route, replay, then live. */
  public void start(Feed feed) {
    this.feed = feed;
    context.runOnContext(v -> probe());
  }

  private void probe() {
    if (closed || phase != Phase.PROBING) {
      return;
    }
    if (probes.size() == PROBE_ATTEMPTS) {
      log.warn("no route from the store to {} after {} probes; closing the connection", userId, probes.size());
      close();
      return;
    }
    String probe = Long.toHexString(ThreadLocalRandom.current().nextLong());
    probes.add(probe);
    registry.probe(userId, probe)
        .onFailure(cause -> {
          if (phase == Phase.PROBING) {
            log.warn("route probe for {} failed: {}", userId, cause.getMessage());
            close();
          }
        });
    probeTimer = context.owner().setTimer(PROBE_EVERY_MS, t -> probe());
  }

  /**
   * Delivers what the store published to the user; the caller is on {@link #context}. Route
   * markers are consumed here, events are held until the delivery is live.
   */
  public void deliverHere(UserEvent published) {
    if (closed) {
      return;
    }
    if (published.isRoute()) {
      routeConfirmed(published);
    } else if (phase == Phase.LIVE) {
      admit(published, false);
    } else if (held.size() >= MAX_HELD) {
      abort();
    } else {
      held.add(published);
    }
  }

  private void routeConfirmed(UserEvent marker) {
    if (phase != Phase.PROBING || !probes.contains(marker.probe())) {
      return; // another delivery's marker, or a late answer to an earlier probe of this one
    }
    context.owner().cancelTimer(probeTimer);
    phase = Phase.REPLAYING;
    // Everything up to the head was published before the marker: it is committed, so a replay
    // that starts now finds it, and nothing after it can have been published anywhere but here.
    long head = marker.head();
    if (since == null) {
      goLive(new Fetched(List.of(), false), head);
      return;
    }
    fetchPatiently().onSuccess(replay -> goLive(replay, head)).onFailure(cause -> {
      log.warn("replay for {} failed: {}", userId, cause.getMessage());
      close();
    });
  }

  private void goLive(Fetched replay, long head) {
    if (closed) {
      return;
    }
    if (replay.resync()) {
      send(RESYNC);
    } else {
      replay.events().forEach(event -> {
        if (sendDurable(event)) {
          feed.replayed().increment();
        }
      });
    }
    lastDurableId = Math.max(lastDurableId, head);
    // From here on nothing is missed: clients (and tests) may rely on what they sent after this.
    send(READY);
    phase = Phase.LIVE;
    drainHeld();
  }

  /** A live event: sent if it is the next in the user's chain; a hole starts a catch-up. */
  private void admit(UserEvent published, boolean wasHeld) {
    Event event = published.event();
    if (!event.durable()) {
      send(event);
      return;
    }
    if (event.id() <= lastDurableId) {
      if (!wasHeld) {
        feed.duplicates().increment();
      }
      return;
    }
    Long previous = published.previousId();
    if (previous != null && previous > lastDurableId) {
      feed.gaps().increment();
      log.debug("hole before event {} for {}: {} was never sent here, {} was", event.id(), userId, previous, lastDurableId);
      held.add(published);
      catchUp(previous);
      return;
    }
    sendDurable(event);
  }

  /**
   * Fetches the durable events after the last one sent and sends them. Everything up to
   * {@code fence} (the hole's end) was published before the fetch starts, so the fetch finds it.
   */
  private void catchUp(long fence) {
    phase = Phase.CATCHING_UP;
    fetchPatiently().onComplete(fetched -> {
      if (closed) {
        return;
      }
      if (fetched.failed() || fetched.result().resync()) {
        log.warn("catching up {} failed ({}); closing the connection so that it resumes", userId,
            fetched.failed() ? fetched.cause().getMessage() : "too many events missing");
        close();
        return;
      }
      for (Event event : fetched.result().events()) {
        if (sendDurable(event)) {
          feed.refetched().increment();
        }
      }
      lastDurableId = Math.max(lastDurableId, fence);
      phase = Phase.LIVE;
      drainHeld();
    });
  }

  /** The store is back after a restart: whatever it published before it went may never have come. */
  public void storeRestarted() {
    context.runOnContext(v -> {
      if (!closed && phase == Phase.LIVE) {
        catchUp(lastDurableId);
      }
    });
  }

  private void drainHeld() {
    List<UserEvent> waiting = held;
    held = new ArrayList<>();
    for (int i = 0; i < waiting.size(); i++) {
      if (phase != Phase.LIVE || closed) {
        held.addAll(waiting.subList(i, waiting.size()));
        return;
      }
      admit(waiting.get(i), true);
    }
  }

  /**
   * {@link #fetch}, asked again while the store is unavailable ({@link StoreRetry}): the
   * connection stays open meanwhile; live events wait in {@link #held}.
   */
  private Future<Fetched> fetchPatiently() {
    return StoreRetry.whileUnavailable(context.owner(), System.nanoTime() + StoreRetry.PATIENCE_NANOS, () -> closed, this::fetch);
  }

  private Future<Fetched> fetch() {
    MessageCommands.EventsSince query = new MessageCommands.EventsSince(userId, lastDurableId, feed.replayLimit(), false);
    return feed.bus().request(Address.EVENTS_SINCE, query).map(reply -> {
      if (reply.resync()) {
        return new Fetched(List.of(), true);
      }
      List<Event> events = new ArrayList<>(reply.events().size());
      reply.events().forEach(frame -> events.add(Event.of((JsonObject) frame)));
      return new Fetched(events, false);
    });
  }

  /** Sends a durable event unless the client has it already; true if sent. */
  private boolean sendDurable(Event event) {
    if (event.id() <= lastDurableId) {
      return false;
    }
    lastDurableId = event.id();
    send(event);
    return true;
  }

  private void send(Event event) {
    if (closed) {
      return;
    }
    if (connectionClosed()) {
      closed();
      return;
    }
    transmit(event);
  }

  /** Ends the delivery and its socket from this side; the peer's close ends up in {@link #closed()}. */
  public void close() {
    if (!closed) {
      end();
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
      end();
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
      end();
      onClose.run();
    }
  }

  private void end() {
    closed = true;
    held = new ArrayList<>();
    if (probeTimer >= 0) {
      context.owner().cancelTimer(probeTimer);
    }
  }
}
