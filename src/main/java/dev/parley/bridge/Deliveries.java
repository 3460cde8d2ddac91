package dev.parley.bridge;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.Event;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's registered sockets by user, and one {@code chat.user.<id>} consumer per user with
 * at least one registered socket on this node: the delivery address push uses, so a bot on any
 * node of a cluster gets what the store publishes for it. Presence is reported under
 * {@code <member id>/bridge}, so push and the bridge of one node each count their own sockets.
 * Runs on the bridge verticle's context only.
 */
final class Deliveries {
  private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

  private static final class UserSlot {
    final Set<BridgeSession> sessions = new LinkedHashSet<>();
    MessageConsumer<Event> consumer;
    Future<Void> ready;
  }

  private final Vertx vertx;
  private final Bus bus;
  private final String reporter;
  private final Runnable onDelivered;
  private final Map<String, UserSlot> users = new HashMap<>();

  Deliveries(Vertx vertx, Bus bus, String memberId, Runnable onDelivered) {
    this.vertx = vertx;
    this.bus = bus;
    this.reporter = memberId + "/bridge";
    this.onDelivered = onDelivered;
  }

  /** Adds a session; the returned future completes once the user's address is registered. */
  Future<Void> attach(BridgeSession session) {
    UserSlot slot = users.get(session.userId);
    if (slot == null) {
      UserSlot fresh = new UserSlot();
      users.put(session.userId, fresh);
      fresh.consumer = vertx.eventBus().consumer(Address.user(session.userId), message -> dispatch(fresh, message.body()));
      fresh.ready = fresh.consumer.completion();
      presence(session.userId, true);
      slot = fresh;
    }
    slot.sessions.add(session);
    return slot.ready;
  }

  void detach(BridgeSession session) {
    UserSlot slot = users.get(session.userId);
    if (slot == null || !slot.sessions.remove(session)) {
      return;
    }
    if (slot.sessions.isEmpty()) {
      users.remove(session.userId);
      slot.consumer.unregister();
      presence(session.userId, false);
    }
  }

  /** Bots are few and their sockets spread thin: one hop per socket is cheap enough here. */
  private void dispatch(UserSlot slot, Event event) {
    for (BridgeSession session : slot.sessions) {
      Context target = session.link.context;
      target.runOnContext(v -> session.deliverHere(event));
      onDelivered.run();
    }
  }

  private void presence(String userId, boolean online) {
    bus.request(Address.PRESENCE_UPDATE, new JsonObject().put("nodeId", reporter).put("userId", userId).put("online", online))
        .onFailure(cause -> log.warn("presence of {} not recorded: {}", userId, cause.getMessage()));
  }

  /** Tells a (re)started store every user registered here: it forgets everything when it stops. */
  void reportAll() {
    JsonArray userIds = new JsonArray(new ArrayList<>(users.keySet()));
    bus.request(Address.PRESENCE_SYNC, new JsonObject().put("nodeId", reporter).put("userIds", userIds))
        .onFailure(cause -> log.warn("presence of {} bridge users not reported: {}", userIds.size(), cause.getMessage()));
  }

}
