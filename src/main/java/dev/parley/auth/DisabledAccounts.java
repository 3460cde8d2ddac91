package dev.parley.auth;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts an admin disabled, as this verticle knows them: an access token of one is still a
 * valid JWT until it expires, so every verticle that checks tokens asks here too. Kept up to date
 * by {@link Address#USER_DISABLED} and read from the store at start and whenever a store starts
 * (asked again every second until one answers; until then only the events count).
 */
public final class DisabledAccounts {
  private static final Logger log = LoggerFactory.getLogger(DisabledAccounts.class);
  private static final long RETRY_MS = 1_000;
  /** What a request with a token of a disabled account is told (403). */
  public static final String REFUSAL = "this account is disabled";

  private final Set<String> userIds = ConcurrentHashMap.newKeySet();
  /** Accounts an event changed since the last load was asked for: the event is newer than the load's answer. */
  private final Set<String> changedSinceLoad = ConcurrentHashMap.newKeySet();
  private final Vertx vertx;
  private final Bus bus;
  private final MessageConsumer<JsonObject> consumer;
  private final MessageConsumer<JsonObject> storeStarted;

  private DisabledAccounts(Vertx vertx, Bus bus, Consumer<String> onDisabled) {
    this.vertx = vertx;
    this.bus = bus;
    consumer = Bus.subscribe(vertx, Address.USER_DISABLED, event -> {
      String userId = event.userId();
      changedSinceLoad.add(userId);
      if (event.disabled()) {
        userIds.add(userId);
        onDisabled.accept(userId);
      } else {
        userIds.remove(userId);
      }
    });
    // A store that took over (or restarted) answers again: an event lost meanwhile is read back.
    storeStarted = Bus.subscribe(vertx, Address.STORE_STARTED, started -> load());
  }

  /**
   * Starts watching; {@code onDisabled} runs (on the caller's context) for each account disabled
   * from now on, to close its connections. {@link #ready} completes once the consumers are registered.
   */
  public static DisabledAccounts watch(Vertx vertx, Bus bus, Consumer<String> onDisabled) {
    DisabledAccounts accounts = new DisabledAccounts(vertx, bus, onDisabled);
    accounts.ready().onSuccess(v -> accounts.load());
    return accounts;
  }

  /** Completes once the events reach this verticle. */
  public Future<Void> ready() {
    return Future.all(consumer.completion(), storeStarted.completion()).mapEmpty();
  }

  public boolean contains(String userId) {
    return userId != null && userIds.contains(userId);
  }

  /** Reads the whole list from the store, keeping what events said after the question went out. */
  private void load() {
    changedSinceLoad.clear();
    bus.request(Address.DISABLED_USERS, BusBody.Empty.INSTANCE)
        .onSuccess(reply -> {
          Set<String> disabled = new HashSet<>(reply.userIds());
          userIds.removeIf(id -> !disabled.contains(id) && !changedSinceLoad.contains(id));
          disabled.stream().filter(id -> !changedSinceLoad.contains(id)).forEach(userIds::add);
        })
        .onFailure(cause -> {
          log.debug("disabled accounts: no store answered yet ({}); asking again", cause.getMessage());
          vertx.setTimer(RETRY_MS, t -> load());
        });
  }
}
