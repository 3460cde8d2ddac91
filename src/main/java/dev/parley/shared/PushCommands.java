package dev.parley.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Web Push on the bus: the bodies and replies of {@code store.push.*}, the subscriptions and VAPID
 * key the store keeps, and of {@code webpush.deliver}, the notifications it hands the web-push
 * sender (see {@link Address} for who sends each and who serves it). A subscription's endpoint
 * is a bearer capability: it crosses the bus only between the store and the sender.
 */
public final class PushCommands {
  private PushCommands() {
  }

  /** {@link Address#PUSH_SUBSCRIBE}: a device of {@code userId}, its endpoint and keys as the api checked them. */
  public record Subscribe(String userId, String endpoint, String p256dh, String auth) implements BusBody {
    public static Subscribe from(JsonObject json) {
      return new Subscribe(json.getString("userId"), json.getString("endpoint"), json.getString("p256dh"),
          json.getString("auth"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("endpoint", endpoint).put("p256dh", p256dh).put("auth", auth);
    }
  }

  /**
   * The subscription as its owner sees it ({@code {id, service, createdAt}}, docs/api.md "POST
   * /api/push-subscriptions"), and whether it is new (false: the caller's already, keys and all).
   */
  public record Subscribed(JsonObject subscription, boolean created) implements BusBody {
    public static Subscribed from(JsonObject json) {
      return new Subscribed(json.getJsonObject("subscription"), json.getBoolean("created", false));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("subscription", subscription).put("created", created);
    }
  }

  /** {@link Address#PUSH_SUBSCRIPTIONS}: the devices of {@code userId}. */
  public record ListSubscriptions(String userId) implements BusBody {
    public static ListSubscriptions from(JsonObject json) {
      return new ListSubscriptions(json.getString("userId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId);
    }
  }

  /** {@code {subscriptions}}: a user's subscriptions as they see them ({@code {id, service, createdAt}}), oldest first. */
  public record Subscriptions(JsonArray subscriptions) implements BusBody {
    public static Subscriptions from(JsonObject json) {
      return new Subscriptions(json.getJsonArray("subscriptions"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("subscriptions", subscriptions);
    }
  }

  /** {@link Address#PUSH_UNSUBSCRIBE}: a device of {@code userId} named by its id or by its endpoint (the other null). */
  public record Unsubscribe(String userId, String id, String endpoint) implements BusBody {
    public static Unsubscribe from(JsonObject json) {
      return new Unsubscribe(json.getString("userId"), json.getString("id"), json.getString("endpoint"));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("userId", userId);
      if (id != null) {
        json.put("id", id);
      }
      if (endpoint != null) {
        json.put("endpoint", endpoint);
      }
      return json;
    }
  }

  /** {@link Address#PUSH_EXPIRED}: the push service no longer knows subscription {@code id} at {@code endpoint}. */
  public record Expired(String id, String endpoint) implements BusBody {
    public static Expired from(JsonObject json) {
      return new Expired(json.getString("id"), json.getString("endpoint"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("endpoint", endpoint);
    }
  }

  /**
   * The reply of {@link Address#PUSH_VAPID}: the server's VAPID key pair, {@code publicKey} as the
   * browser's {@code applicationServerKey} (base64url, uncompressed point), the pair as base64
   * X.509 and PKCS #8 for the sender.
   */
  public record VapidPair(String publicKey, String x509, String pkcs8) implements BusBody {
    public static VapidPair from(JsonObject json) {
      return new VapidPair(json.getString("publicKey"), json.getString("x509"), json.getString("pkcs8"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("publicKey", publicKey).put("x509", x509).put("pkcs8", pkcs8);
    }
  }

  /** One device to push to: its subscription's id, where its push service listens, and the keys to encrypt to. */
  public record Target(String id, String endpoint, String p256dh, String auth) {
    public static Target from(JsonObject json) {
      return new Target(json.getString("id"), json.getString("endpoint"), json.getString("p256dh"), json.getString("auth"));
    }

    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("endpoint", endpoint).put("p256dh", p256dh).put("auth", auth);
    }
  }

  /**
   * {@link Address#WEB_PUSH_DELIVER}: one message's notification, the payload every target's
   * service worker shows as it is ({@code {type, conversationId, messageId, seq, senderId, title,
   * body}}, docs/api.md "Web Push"), and the devices to push it to.
   */
  public record Deliver(JsonObject notification, List<Target> targets) implements BusBody {
    public static Deliver from(JsonObject json) {
      List<Target> targets = new ArrayList<>();
      json.getJsonArray("targets").forEach(target -> targets.add(Target.from((JsonObject) target)));
      return new Deliver(json.getJsonObject("notification"), List.copyOf(targets));
    }

    @Override
    public JsonObject toJson() {
      JsonArray array = new JsonArray();
      targets.forEach(target -> array.add(target.toJson()));
      return new JsonObject().put("notification", notification).put("targets", array);
    }
  }
}
