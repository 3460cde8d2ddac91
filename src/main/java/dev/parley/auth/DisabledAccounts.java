package dev.parley.auth;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts an admin disabled, as this verticle knows them: an access token of one is still a
 * valid JWT until it expires, so every verticle that checks tokens asks here too. Kept up to date
 * by {@link Address#USER_DISABLED} and read from the store at start (asked again every second
 * until a store answers; until then only the events count).
 */
public final class DisabledAccounts {
  private static final Logger log = LoggerFactory.getLogger(DisabledAccounts.class);
  private static final long RETRY_MS = 1_000;
  /** What a request with a token of a disabled account is told (403). */
  public static final String REFUSAL = "this account is disabled";

  private final Set<String> userIds = ConcurrentHashMap.newKeySet();
  private final MessageConsumer<JsonObject> consumer;

  private DisabledAccounts(Vertx vertx, Consumer<String> onDisabled) {
    consumer = vertx.eventBus().consumer(Address.USER_DISABLED, message -> {
      String userId = message.body().getString("userId");
      if (message.body().getBoolean("disabled", false)) {
        userIds.add(userId);
        onDisabled.accept(userId);
      } else {
        userIds.remove(userId);
      }
    });
  }

  /**
   * Starts watching; {@code onDisabled} runs (on the caller's context) for each account disabled
   * from now on, to close its connections. {@link #ready} completes once the consumer is registered.
   */
  public static DisabledAccounts watch(Vertx vertx, Bus bus, Consumer<String> onDisabled) {
    DisabledAccounts accounts = new DisabledAccounts(vertx, onDisabled);
    accounts.consumer.completion().onSuccess(v -> accounts.load(vertx, bus));
    return accounts;
  }

  /** Completes once the events reach this verticle. */
  public Future<Void> ready() {
    return consumer.completion();
  }

  public boolean contains(String userId) {
    return userId != null && userIds.contains(userId);
  }

  private void load(Vertx vertx, Bus bus) {
    bus.request(Address.DISABLED_USERS, new JsonObject())
        .onSuccess(reply -> reply.getJsonArray("userIds").forEach(id -> userIds.add((String) id)))
        .onFailure(cause -> {
          log.debug("disabled accounts: no store answered yet ({}); asking again", cause.getMessage());
          vertx.setTimer(RETRY_MS, t -> load(vertx, bus));
        });
  }
}
