package dev.parley.store;

import dev.parley.shared.Address;
import dev.parley.shared.Event;
import dev.parley.shared.NodeBatch;
import dev.parley.shared.UserEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery of events to users, routed by node: an event goes once to each push or bridge
 * verticle that holds a connection of one of its recipients ({@link Presence} knows which: every
 * delivery reports its user with its route probe), with the recipients there, on
 * {@link Address#deliveries(String)}. The events of one turn of the store's event loop travel
 * together: a write batch of 300 direct messages is one bus message to each node, not 600. Users
 * with no connection cost nothing but their chain. The same code serves one node or a cluster.
 *
 * <p>Ordering, stated: everything here runs on the store's event loop, durable events are queued
 * in event-id order (the write queue runs their effects in commit order, and ids are handed out
 * in that order), and each verticle's queue is sent in that order, route markers included. Each
 * durable event names the one published to the same user before it ({@link UserEvent#previousId()}),
 * so a receiver can check that order and see a hole instead of trusting every hop after this one.
 */
final class Fanout {
  private static final Logger log = LoggerFactory.getLogger(Fanout.class);

  private final Vertx vertx;
  private final Presence routes;
  /** The newest durable event id published to each user since the store started. */
  private final Map<String, Long> lastPublished = new HashMap<>();
  /** The newest durable event id published to anyone: everything up to it is committed and published. */
  private long head;
  /** The newest event id in the database when this store started. */
  private final long committedAtStart;
  /** What waits to be sent at the end of this turn, by reporter, in publication order. */
  private final Map<String, NodeBatch> pending = new LinkedHashMap<>();
  private boolean flushQueued;

  /**
   * {@code committed}: the newest event id in the database when the store starts. A store that
   * took over (or restarted) cannot know which of those events the one before it published, so
   * its first event to each user names {@code committed} as the previous one: a receiver that has
   * not seen everything up to it fetches the rest before it sends the new event.
   */
  Fanout(Vertx vertx, Presence routes, long committed) {
    this.vertx = vertx;
    this.routes = routes;
    this.head = committed;
    this.committedAtStart = committed;
  }

  /**
   * The newest durable event id that may concern {@code userId}: the newest published to them since
   * this store started, or, if none was, the newest in the database at start (an upper bound).
   */
  long newestFor(String userId) {
    return lastPublished.getOrDefault(userId, committedAtStart);
  }

  /** Every durable event up to this id is committed and published. */
  long head() {
    return head;
  }

  void toUser(String userId, JsonObject frame) {
    toUsers(List.of(userId), frame);
  }

  /** One event, shared by every recipient: no copy, one entry per node, one encoding per node. */
  void toUsers(Collection<String> userIds, JsonObject frame) {
    Event event = Event.of(frame);
    Map<String, NodeBatch.Entry> entries = null;
    for (String userId : userIds) {
      Long previous = chain(userId, event);
      Set<String> reporters = routes.reportersOf(userId);
      if (reporters.isEmpty()) {
        continue;
      }
      if (entries == null) {
        entries = new HashMap<>(4);
      }
      for (String reporter : reporters) {
        NodeBatch.Entry entry = entries.get(reporter);
        if (entry == null) {
          entry = new NodeBatch.Entry(event);
          entries.put(reporter, entry);
          queue(reporter, entry);
        }
        entry.add(userId, previous);
      }
    }
  }

  /**
   * {@code store.route.probe}: the route marker, queued for the reporter like any event, so it
   * arrives behind everything queued for it before and ahead of everything after. The caller has
   * recorded the route already.
   */
  void probe(String userId, String reporter, String probe) {
    UserEvent marker = UserEvent.route(probe, head);
    queue(reporter, new NodeBatch.Entry(marker.event()).add(userId, null));
  }

  private void queue(String reporter, NodeBatch.Entry entry) {
    pending.computeIfAbsent(reporter, r -> new NodeBatch()).add(entry);
    if (!flushQueued) {
      flushQueued = true;
      vertx.runOnContext(v -> flush());
    }
  }

  /** Sends each reporter its queue: behind whatever the store's event loop was doing when the first entry came. */
  private void flush() {
    flushQueued = false;
    pending.forEach((reporter, batch) -> vertx.eventBus().publish(Address.deliveries(reporter), batch));
    pending.clear();
  }

  /** The previous durable event of this user (at most), and this one remembered as the newest. */
  private Long chain(String userId, Event event) {
    if (!event.durable()) {
      return null;
    }
    long id = event.id();
    head = Math.max(head, id);
    Long previous = lastPublished.put(userId, id);
    if (previous == null) {
      return committedAtStart;
    }
    if (previous >= id) {
      // Never expected: receivers will see it as a hole and fetch what they lack.
      log.error("event {} published to {} after event {}: publications out of id order", id, userId, previous);
    }
    return previous;
  }
}
