package dev.parley.delivery;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import dev.parley.shared.Command;
import dev.parley.shared.Events;
import dev.parley.shared.MessageCommands;
import dev.parley.shared.NodeBatch;
import dev.parley.shared.UserEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One verticle's deliveries on this node by user, fed by one consumer on
 * {@link Address#deliveries(String) chat.node.<reporter>}: the store sends this verticle each
 * event once, with its recipients here, and the registry hands it to their connections. The
 * store learns which users are here from the reports sent under {@code reporter} (push: the
 * cluster member id; the bridge: {@code <member id>/bridge}): a delivery's route probe reports
 * its user, the last connection's close withdraws it, and after a store restart the whole list
 * is sent again. Those reports are also presence: a user is online while any reporter counts a
 * socket of theirs. Runs on the owning verticle's context only, and every report leaves from it,
 * so the store sees a user's reports from here in the order they were made.
 *
 * @param <D> the kind of delivery (push session, bridge session)
 */
public final class UserRegistry<D extends Delivery> {
  private static final Logger log = LoggerFactory.getLogger(UserRegistry.class);

  private final Vertx vertx;
  private final Context context;
  private final Bus bus;
  private final String reporter;
  /** Told how many deliveries each batch made: one counter update per batch, not per delivery. */
  private final IntConsumer onDelivered;
  private final Map<String, Set<D>> users = new HashMap<>();
  private int count;
  private MessageConsumer<NodeBatch> consumer;
  private MessageConsumer<JsonObject> census;

  public UserRegistry(Vertx vertx, Context context, Bus bus, String reporter, IntConsumer onDelivered) {
    this.vertx = vertx;
    this.context = context;
    this.bus = bus;
    this.reporter = reporter;
    this.onDelivered = onDelivered;
  }

  /** Registers this verticle's delivery address; completes once it is registered (cluster-wide). */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Address.deliveries(reporter), message -> dispatch(message.body()));
    census = Bus.subscribe(vertx, Address.CONNECTION_CENSUS, this::answerCensus);
    return Future.all(consumer.completion(), census.completion()).mapEmpty();
  }

  /** Counts, for the admin page, the connections here of the users asked about; always answers, if only with none. */
  private void answerCensus(Events.ConnectionCensus ask) {
    Map<String, Integer> counts = new HashMap<>();
    for (String userId : ask.userIds()) {
      Set<D> deliveries = users.get(userId);
      if (deliveries != null) {
        counts.put(userId, deliveries.size());
      }
    }
    vertx.eventBus().send(ask.replyTo(), new Events.CensusCount(ask.census(), counts).toJson());
  }

  /** Adds a delivery; it starts with {@link Delivery#start}, whose route probe reports the user here. */
  public Future<Void> attach(D delivery) {
    count++;
    delivery.registry = this;
    users.computeIfAbsent(delivery.userId, id -> new LinkedHashSet<>()).add(delivery);
    return Future.succeededFuture();
  }

  public void detach(D delivery) {
    Set<D> deliveries = users.get(delivery.userId);
    if (deliveries == null || !deliveries.remove(delivery)) {
      return;
    }
    count--;
    if (deliveries.isEmpty()) {
      users.remove(delivery.userId);
      report(Address.PRESENCE_UPDATE, new MessageCommands.PresenceReport(reporter, delivery.userId, false))
          .onFailure(cause -> log.warn("presence of {} not recorded: {}", delivery.userId, cause.getMessage()));
    }
  }

  /**
   * Asks the store to route the user's events here and to answer with a route marker carrying
   * {@code probe}. Sent from this verticle's context, so that it follows every earlier report
   * about the user (a closed last connection, say) on its way to the store.
   */
  Future<BusBody.Empty> probe(String userId, String probe) {
    return report(Address.STORE_ROUTE_PROBE, new MessageCommands.RouteProbe(userId, reporter, probe));
  }

  private <B extends BusBody> Future<BusBody.Empty> report(Command<B, BusBody.Empty> command, B body) {
    if (Vertx.currentContext() == context) {
      return bus.request(command, body);
    }
    return Future.<Future<BusBody.Empty>>future(p -> context.runOnContext(v -> p.complete(bus.request(command, body))))
        .compose(sent -> sent);
  }

  /**
   * Hands a batch's events to the connections of their recipients: one hop to each event loop
   * that serves any of them, carrying all of that loop's deliveries of the batch in order.
   */
  private void dispatch(NodeBatch batch) {
    Map<Context, List<Runnable>> outgoing = new IdentityHashMap<>();
    int delivered = 0;
    for (NodeBatch.Entry entry : batch.entries()) {
      for (int i = 0; i < entry.size(); i++) {
        Set<D> deliveries = users.get(entry.userId(i));
        if (deliveries == null) {
          continue; // gone meanwhile: the store hears of it from detach
        }
        UserEvent event = entry.forRecipient(i);
        for (D delivery : deliveries) {
          outgoing.computeIfAbsent(delivery.context, c -> new ArrayList<>()).add(() -> delivery.deliverHere(event));
          delivered++;
        }
      }
    }
    onDelivered.accept(delivered);
    outgoing.forEach((loop, due) -> {
      if (loop == context) {
        due.forEach(Runnable::run);
      } else {
        loop.runOnContext(v -> due.forEach(Runnable::run));
      }
    });
  }

  /**
   * The store (re)started: it is told every user registered here (it forgets everything when it
   * stops), and only once it has taken that list does every delivery fetch what the store may
   * have committed but not sent here: from the list on, new events are routed here, and
   * everything before it is in what the deliveries fetch.
   */
  public void storeStarted() {
    // The list is taken afresh for every try: users come and go while the store is away.
    StoreRetry.whileUnavailable(vertx, System.nanoTime() + StoreRetry.PATIENCE_NANOS, () -> false,
        () -> report(Address.PRESENCE_SYNC, new MessageCommands.PresenceSync(reporter, new ArrayList<>(users.keySet()))))
        .onComplete(synced -> {
          if (synced.failed()) {
            log.warn("users of {} not reported to the new store: {}", reporter, synced.cause().getMessage());
          }
          all().forEach(Delivery::storeRestarted);
        });
  }

  /** How many deliveries (sockets) are attached. */
  public int count() {
    return count;
  }

  public List<D> all() {
    List<D> all = new ArrayList<>();
    users.values().forEach(all::addAll);
    return all;
  }
}
