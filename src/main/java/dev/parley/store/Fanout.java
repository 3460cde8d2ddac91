package dev.parley.store;

import dev.parley.shared.Address;
import dev.parley.shared.Event;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Collection;

/**
 * Delivery of events to users: one publish per recipient on {@link Address#user(String)}, where
 * each node that holds a connection of that user has exactly one consumer. The same code serves
 * one node or a cluster.
 */
final class Fanout {
  private final EventBus bus;

  Fanout(EventBus bus) {
    this.bus = bus;
  }

  void toUser(String userId, JsonObject frame) {
    bus.publish(Address.user(userId), Event.of(frame));
  }

  /** One event, shared by every recipient: no copy and one encoding per node. */
  void toUsers(Collection<String> userIds, JsonObject frame) {
    Event event = Event.of(frame);
    for (String userId : userIds) {
      bus.publish(Address.user(userId), event);
    }
  }
}
