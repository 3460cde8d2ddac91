package dev.parley.store;

import dev.parley.shared.Address;
import dev.parley.shared.Event;
import dev.parley.shared.UserEvent;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery of events to users: one publish per recipient on {@link Address#user(String)}, where
 * each node that holds a connection of that user has exactly one consumer. The same code serves
 * one node or a cluster.
 *
 * <p>Ordering, stated: everything here runs on the store's event loop, and durable events are
 * published in event-id order (the write queue runs their effects in commit order, and ids are
 * handed out in that order). Each durable event names the one published to the same user before
 * it ({@link UserEvent#previousId()}), so a receiver can check that order and see a hole instead
 * of trusting every hop after this one.
 */
final class Fanout {
  private static final Logger log = LoggerFactory.getLogger(Fanout.class);

  private final EventBus bus;
  /** The newest durable event id published to each user since the store started. */
  private final Map<String, Long> lastPublished = new HashMap<>();
  /** The newest durable event id published to anyone: everything up to it is committed and published. */
  private long head;
  /** The newest event id in the database when this store started. */
  private final long committedAtStart;

  /**
   * {@code committed}: the newest event id in the database when the store starts. A store that
   * took over (or restarted) cannot know which of those events the one before it published, so
   * its first event to each user names {@code committed} as the previous one: a receiver that has
   * not seen everything up to it fetches the rest before it sends the new event.
   */
  Fanout(EventBus bus, long committed) {
    this.bus = bus;
    this.head = committed;
    this.committedAtStart = committed;
  }

  void toUser(String userId, JsonObject frame) {
    Event event = Event.of(frame);
    bus.publish(Address.user(userId), new UserEvent(event, chain(userId, event)));
  }

  /** One event, shared by every recipient: no copy and one encoding per node. */
  void toUsers(Collection<String> userIds, JsonObject frame) {
    Event event = Event.of(frame);
    for (String userId : userIds) {
      bus.publish(Address.user(userId), new UserEvent(event, chain(userId, event)));
    }
  }

  /**
   * {@code store.route.probe}: the route marker, published on the user's address like any event,
   * so it arrives behind everything published before it and ahead of everything after it.
   */
  void probe(String userId, String probe) {
    bus.publish(Address.user(userId), UserEvent.route(probe, head));
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
