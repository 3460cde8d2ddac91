package dev.parley.api;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import dev.parley.shared.ErrorCode;
import dev.parley.shared.Failure;
import dev.parley.shared.Json;
import dev.parley.shared.PushCommands;
import dev.parley.http.EndpointGuard;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;

/**
 * {@code /api/push-subscriptions}: the signed-in user's devices that receive Web Push while no
 * Parley tab is open there, and the server's VAPID public key they subscribe with. The body of a
 * subscription is what the browser's {@code PushSubscription.toJSON()} gives.
 */
final class PushSubscriptionRoutes {
  private final Bus bus;
  private final EndpointGuard guard;
  private final boolean enabled;

  PushSubscriptionRoutes(Bus bus, ParleyConfig.WebPush settings) {
    this.bus = bus;
    this.guard = new EndpointGuard(settings.allowPrivateEndpoints());
    this.enabled = settings.enabled();
  }

  void mount(Router router, Handler<RoutingContext> authn) {
    router.get("/api/push-subscriptions/key").handler(authn).handler(HttpReplies.guarded(this::key));
    router.get("/api/push-subscriptions").handler(authn).handler(HttpReplies.guarded(this::list));
    router.post("/api/push-subscriptions").handler(authn).handler(HttpReplies.guarded(this::subscribe));
    router.delete("/api/push-subscriptions/:id").handler(authn).handler(HttpReplies.guarded(this::unsubscribe));
  }

  /** {@code GET /api/push-subscriptions/key} → {@code {publicKey}}: the browser's {@code applicationServerKey}. */
  private void key(RoutingContext ctx) {
    requireEnabled();
    HttpReplies.ok(ctx, bus.request(Address.PUSH_VAPID, BusBody.Empty.INSTANCE)
        .map(keys -> new JsonObject().put("publicKey", keys.publicKey())));
  }

  private void list(RoutingContext ctx) {
    HttpReplies.ok(ctx, bus.request(Address.PUSH_SUBSCRIPTIONS, new PushCommands.ListSubscriptions(HttpReplies.userId(ctx)))
        .map(PushCommands.Subscriptions::toJson));
  }

  /** {@code POST {endpoint, keys: {p256dh, auth}, expirationTime?}} → 201 (new) or 200 (known) {@code {subscription}}. */
  private void subscribe(RoutingContext ctx) {
    requireEnabled();
    JsonObject body = HttpReplies.body(ctx);
    String endpoint = Json.requiredString(body, "endpoint");
    guard.check(endpoint);
    if (!(body.getValue("keys") instanceof JsonObject keys)) {
      throw Failure.invalid("keys", "keys must be an object with p256dh and auth");
    }
    String p256dh = Json.requiredString(keys, "p256dh");
    String auth = Json.requiredString(keys, "auth");
    byte[] point = base64url(p256dh, "keys.p256dh");
    if (point.length != 65 || point[0] != 4) {
      throw Failure.invalid("keys.p256dh", "keys.p256dh must be an uncompressed P-256 point (65 bytes), base64url");
    }
    if (base64url(auth, "keys.auth").length != 16) {
      throw Failure.invalid("keys.auth", "keys.auth must be 16 bytes, base64url");
    }
    bus.request(Address.PUSH_SUBSCRIBE, new PushCommands.Subscribe(HttpReplies.userId(ctx), endpoint, p256dh, auth))
        .onComplete(ar -> {
          boolean created = ar.succeeded() && ar.result().created();
          HttpReplies.respond(ctx, created ? 201 : 200, ar.succeeded()
              ? Future.succeededFuture(new JsonObject().put("subscription", ar.result().subscription()))
              : Future.failedFuture(ar.cause()));
        });
  }

  /** {@code DELETE /api/push-subscriptions/{id}} → 204; 404 unless it is the caller's. */
  private void unsubscribe(RoutingContext ctx) {
    HttpReplies.noContent(ctx, bus.request(Address.PUSH_UNSUBSCRIBE,
        new PushCommands.Unsubscribe(HttpReplies.userId(ctx), ctx.pathParam("id"), null)));
  }

  private void requireEnabled() {
    if (!enabled) {
      throw new Failure(ErrorCode.NOT_FOUND, "Web Push is off on this server");
    }
  }

  private static byte[] base64url(String value, String field) {
    try {
      return Base64.getUrlDecoder().decode(value.replace("=", ""));
    } catch (IllegalArgumentException e) {
      throw Failure.invalid(field, field + " must be base64url");
    }
  }
}
