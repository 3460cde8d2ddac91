package dev.parley.delivery;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.UserEvent;
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
 * One verticle's deliveries on this node by user, and one {@code chat.user.<id>} consumer per
 * user with at least one delivery here, never one per socket: registrations travel through the
 * cluster manager, deliveries are dispatched locally. Presence is reported to the store under
 * {@code reporter} (push: the cluster member id; the bridge: {@code <member id>/bridge}), so
 * that a user is online while any reporter counts a socket of theirs. Runs on the owning
 * verticle's context only.
 *
 * @param <D> the kind of delivery (push session, bridge session)
 */
public final class UserRegistry<D extends Delivery> {
  private static final Logger log = LoggerFactory.getLogger(UserRegistry.class);

  private final class UserSlot {
    final Set<D> deliveries = new LinkedHashSet<>();
    MessageConsumer<UserEvent> consumer;
    Future<Void> ready;
  }

  private final Vertx vertx;
  private final Context context;
  private final Bus bus;
  private final String reporter;
  private final Runnable onDelivered;
  private final Map<String, UserSlot> users = new HashMap<>();
  private int count;
  /**
   * Deliveries waiting to hop to their sockets' event loops. One published event reaches many
   * users' consumers as consecutive tasks on this context; collecting them and hopping once per
   * event loop, instead of once per socket, saves most of the cross-thread wake-ups of a group
   * fan-out. The flush is queued behind the deliveries already waiting on this context.
   */
  private final Map<Context, List<Runnable>> outgoing = new LinkedHashMap<>();
  private boolean flushQueued;

  public UserRegistry(Vertx vertx, Context context, Bus bus, String reporter, Runnable onDelivered) {
    this.vertx = vertx;
    this.context = context;
    this.bus = bus;
    this.reporter = reporter;
    this.onDelivered = onDelivered;
  }

  /** Adds a delivery; the returned future completes once the user's address is registered. */
  public Future<Void> attach(D delivery) {
    count++;
    UserSlot slot = users.get(delivery.userId);
    if (slot == null) {
      UserSlot fresh = new UserSlot();
      users.put(delivery.userId, fresh);
      fresh.consumer = vertx.eventBus().consumer(Address.user(delivery.userId), message -> dispatch(fresh, message.body()));
      fresh.ready = fresh.consumer.completion();
      presence(delivery.userId, true);
      slot = fresh;
    }
    slot.deliveries.add(delivery);
    return slot.ready;
  }

  public void detach(D delivery) {
    UserSlot slot = users.get(delivery.userId);
    if (slot == null || !slot.deliveries.remove(delivery)) {
      return;
    }
    count--;
    if (slot.deliveries.isEmpty()) {
      users.remove(delivery.userId);
      slot.consumer.unregister();
      presence(delivery.userId, false);
    }
  }

  private void dispatch(UserSlot slot, UserEvent event) {
    for (D delivery : slot.deliveries) {
      outgoing.computeIfAbsent(delivery.context, c -> new ArrayList<>()).add(() -> delivery.deliverHere(event));
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
      List<Runnable> due = entry.getValue();
      entry.getKey().runOnContext(v -> due.forEach(Runnable::run));
    }
    outgoing.clear();
  }

  private void presence(String userId, boolean online) {
    bus.request(Address.PRESENCE_UPDATE, new JsonObject().put("nodeId", reporter).put("userId", userId).put("online", online))
        .onFailure(cause -> log.warn("presence of {} not recorded: {}", userId, cause.getMessage()));
  }

  /**
   * The store (re)started: it is told every user registered here (it forgets everything when it
   * stops), and every delivery fetches what the store may have committed but not published
   * before it went.
   */
  public void storeStarted() {
    all().forEach(Delivery::storeRestarted);
    reportAll();
  }

  private void reportAll() {
    JsonArray userIds = new JsonArray(new ArrayList<>(users.keySet()));
    bus.request(Address.PRESENCE_SYNC, new JsonObject().put("nodeId", reporter).put("userIds", userIds))
        .onFailure(cause -> log.warn("presence of {} users ({}) not reported: {}", userIds.size(), reporter, cause.getMessage()));
  }

  /** How many deliveries (sockets) are attached. */
  public int count() {
    return count;
  }

  public List<D> all() {
    List<D> all = new ArrayList<>();
    users.values().forEach(slot -> all.addAll(slot.deliveries));
    return all;
  }
}
