package dev.parley.push;

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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's connections by user, and one {@code chat.user.<id>} consumer per user with at
 * least one connection here, never one per socket: registrations travel through the cluster
 * manager, deliveries are dispatched locally. Runs on the push verticle's context only.
 */
final class Registry {
  private static final Logger log = LoggerFactory.getLogger(Registry.class);

  private static final class UserSlot {
    final Set<Session> sessions = new LinkedHashSet<>();
    MessageConsumer<Event> consumer;
    Future<Void> ready;
  }

  private final Vertx vertx;
  private final Context context;
  private final Bus bus;
  /** This node as the store knows it: the cluster member id, so a node that dies is forgotten. */
  private final String nodeId;
  private final Map<String, UserSlot> users = new HashMap<>();
  private final Runnable onDelivered;
  private int connections;
  /**
   * Deliveries waiting to hop to their connections' event loops. One published event reaches
   * many users' consumers as consecutive tasks on this context; collecting them and hopping once
   * per event loop, instead of once per session, saves most of the cross-thread wake-ups of a
   * group fan-out. The flush is queued behind the deliveries already waiting on this context.
   */
  private final Map<Context, List<Runnable>> outgoing = new LinkedHashMap<>();
  private boolean flushQueued;

  Registry(Vertx vertx, Context context, Bus bus, String nodeId, Runnable onDelivered) {
    this.vertx = vertx;
    this.context = context;
    this.bus = bus;
    this.nodeId = nodeId;
    this.onDelivered = onDelivered;
  }

  /** Adds a session; the returned future completes once the user's address is registered. */
  Future<Void> attach(Session session) {
    connections++;
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

  void detach(Session session) {
    UserSlot slot = users.get(session.userId);
    if (slot == null || !slot.sessions.remove(session)) {
      return;
    }
    connections--;
    if (slot.sessions.isEmpty()) {
      users.remove(session.userId);
      slot.consumer.unregister();
      presence(session.userId, false);
    }
  }

  private void dispatch(UserSlot slot, Event event) {
    for (Session session : slot.sessions) {
      outgoing.computeIfAbsent(session.context, c -> new ArrayList<>()).add(() -> session.deliverHere(event));
      onDelivered.run();
    }
    if (!flushQueued && !outgoing.isEmpty()) {
      flushQueued = true;
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    flushQueued = false;
    for (Map.Entry<Context, List<Runnable>> entry : outgoing.entrySet()) {
      List<Runnable> deliveries = entry.getValue();
      entry.getKey().runOnContext(v -> deliveries.forEach(Runnable::run));
    }
    outgoing.clear();
  }

  private void presence(String userId, boolean online) {
    bus.request(Address.PRESENCE_UPDATE, new JsonObject().put("nodeId", nodeId).put("userId", userId).put("online", online))
        .onFailure(cause -> log.warn("presence of {} not recorded: {}", userId, cause.getMessage()));
  }

  /** Tells a (re)started store every user connected here: it forgets everything when it stops. */
  void reportAll() {
    JsonArray userIds = new JsonArray(new ArrayList<>(users.keySet()));
    bus.request(Address.PRESENCE_SYNC, new JsonObject().put("nodeId", nodeId).put("userIds", userIds))
        .onFailure(cause -> log.warn("presence of {} users not reported: {}", userIds.size(), cause.getMessage()));
  }

  int connections() {
    return connections;
  }

  List<Session> all() {
    List<Session> all = new ArrayList<>();
    users.values().forEach(slot -> all.addAll(slot.sessions));
    return all;
  }
}
