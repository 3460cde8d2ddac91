package dev.parley.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Bots and webhooks on the bus: the bodies and replies of {@code store.bot.*},
 * {@code store.outgoing.*} (a bot's outgoing webhook and its deliverer) and {@code store.webhook.*}
 * (a conversation's incoming webhooks); see {@link Address} for who sends each and who serves it.
 * Hashes only: bot tokens and webhook URLs' secrets never cross the bus. An outgoing webhook's
 * signing secret does, because the deliverer signs with it.
 */
public final class BotCommands {
  private BotCommands() {
  }

  // ---- Bots ------------------------------------------------------------------------------------

  /** {@link Address#BOT_CREATE}: a person ({@code ownerId}) making a bot, whose token the store keeps as its hash. */
  public record CreateBot(String ownerId, String username, String displayName, String tokenHash) implements BusBody {
    public static CreateBot from(JsonObject json) {
      return new CreateBot(json.getString("ownerId"), json.getString("username"), json.getString("displayName"),
          json.getString("tokenHash"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("ownerId", ownerId).put("username", username).put("displayName", displayName)
          .put("tokenHash", tokenHash);
    }
  }

  /** {@code {user}}: the new bot's own user (docs/bots.md, {@code POST /api/bots}; the api adds the token). */
  public record BotCreated(JsonObject user) implements BusBody {
    public static BotCreated from(JsonObject json) {
      return new BotCreated(json.getJsonObject("user"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("user", user);
    }
  }

  /**
   * A user ({@code userId}) acting on a bot they must own ({@code botId}): {@link Address#BOT_REVOKE},
   * {@link Address#OUTGOING_GET}, {@link Address#OUTGOING_RESUME}, {@link Address#OUTGOING_DELETE}.
   */
  public record OwnedBot(String userId, String botId) implements BusBody {
    public static OwnedBot from(JsonObject json) {
      return new OwnedBot(json.getString("userId"), json.getString("botId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("botId", botId);
    }
  }

  /** {@link Address#BOT_AUTHENTICATE}: the SHA-256 of a presented bot token. */
  public record Authenticate(String tokenHash) implements BusBody {
    public static Authenticate from(JsonObject json) {
      return new Authenticate(json.getString("tokenHash", ""));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("tokenHash", tokenHash);
    }
  }

  /** The bot a live token belongs to. */
  public record Authenticated(String userId) implements BusBody {
    public static Authenticated from(JsonObject json) {
      return new Authenticated(json.getString("userId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId);
    }
  }

  /** {@link Address#BOT_CURSOR}: the bot ({@code userId}) whose kept position is asked for. */
  public record Cursor(String userId) implements BusBody {
    public static Cursor from(JsonObject json) {
      return new Cursor(json.getString("userId", ""));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId);
    }
  }

  /**
   * {@link Address#BOT_ACK}: the bot ({@code userId}) has handled every event up to {@code id}
   * (null only from a sender that left it out: a 400).
   */
  public record Ack(String userId, Long id) implements BusBody {
    public static Ack from(JsonObject json) {
      return new Ack(json.getString("userId", ""), json.getLong("id"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("id", id);
    }
  }

  /** {@code {ackedId}}: a bot's kept position, the newest event id it acknowledged. */
  public record Position(long ackedId) implements BusBody {
    public static Position from(JsonObject json) {
      return new Position(json.getLong("ackedId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("ackedId", ackedId);
    }
  }

  // ---- Outgoing webhooks -----------------------------------------------------------------------

  /** {@link Address#OUTGOING_SET}: the owner ({@code userId}) gives the bot an endpoint and a new signing secret. */
  public record SetOutgoing(String userId, String botId, String url, String secret) implements BusBody {
    public static SetOutgoing from(JsonObject json) {
      return new SetOutgoing(json.getString("userId"), json.getString("botId"), json.getString("url"), json.getString("secret"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("botId", botId).put("url", url).put("secret", secret);
    }
  }

  /**
   * {@code {webhook}}: a bot's outgoing webhook, {@code {url, paused, pausedReason?}} (docs/api.md,
   * "Outgoing webhooks"; the api adds {@code secret} to the answer of a set).
   */
  public record OutgoingReply(JsonObject webhook) implements BusBody {
    public static OutgoingReply from(JsonObject json) {
      return new OutgoingReply(json.getJsonObject("webhook"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("webhook", webhook);
    }
  }

  /**
   * {@code {webhook, deliveries}}: the outgoing webhook as {@link OutgoingReply} and its newest
   * attempts, newest first, each {@code {eventId, at, status, latencyMs, error?}} (docs/api.md,
   * {@code GET /api/bots/{id}/webhook}).
   */
  public record OutgoingLog(JsonObject webhook, JsonArray deliveries) implements BusBody {
    public static OutgoingLog from(JsonObject json) {
      return new OutgoingLog(json.getJsonObject("webhook"), json.getJsonArray("deliveries"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("webhook", webhook).put("deliveries", deliveries);
    }
  }

  /** {@link Address#OUTGOING_PENDING}: a deliverer ({@code nodeId}, its own name) asking what to send. */
  public record Deliverer(String nodeId) implements BusBody {
    public static Deliverer from(JsonObject json) {
      return new Deliverer(json.getString("nodeId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("nodeId", nodeId);
    }
  }

  /**
   * The bots leased to the asking deliverer, each with events after its kept position; every event
   * up to {@code head} is committed.
   */
  public record Pending(long head, List<PendingBot> bots) implements BusBody {
    public static Pending from(JsonObject json) {
      return new Pending(json.getLong("head"),
          json.getJsonArray("bots").stream().map(bot -> PendingBot.from((JsonObject) bot)).toList());
    }

    @Override
    public JsonObject toJson() {
      JsonArray array = new JsonArray();
      bots.forEach(bot -> array.add(bot.toJson()));
      return new JsonObject().put("head", head).put("bots", array);
    }
  }

  /**
   * One bot of {@link Pending}: where and how to send, from which position, and the retry series of
   * its head event ({@code failingEventId} and {@code failingSince} null when none fails).
   */
  public record PendingBot(String botId, String url, String secret, long ackedId, Long failingEventId, Long failingSince,
                           int failures) {
    public static PendingBot from(JsonObject json) {
      return new PendingBot(json.getString("botId"), json.getString("url"), json.getString("secret"), json.getLong("ackedId"),
          json.getLong("failingEventId"), json.getLong("failingSince"), json.getInteger("failures", 0));
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("botId", botId).put("url", url).put("secret", secret).put("ackedId", ackedId)
          .put("failures", failures);
      if (failingEventId != null) {
        json.put("failingEventId", failingEventId).put("failingSince", failingSince);
      }
      return json;
    }
  }

  /**
   * {@link Address#OUTGOING_ATTEMPT}: one delivery attempt of {@code eventId} by the deliverer
   * {@code nodeId}; {@code error} null when there is none to log. The webhook pauses once the
   * event's retry series is older than {@code pauseAfterMs}.
   */
  public record Attempt(String nodeId, String botId, long eventId, int status, long latencyMs, String error, boolean delivered,
                        long pauseAfterMs) implements BusBody {
    public static Attempt from(JsonObject json) {
      return new Attempt(json.getString("nodeId", ""), json.getString("botId", ""), json.getLong("eventId", 0L),
          json.getInteger("status", 0), json.getLong("latencyMs", 0L), json.getString("error"),
          json.getBoolean("delivered", false), json.getLong("pauseAfterMs", Long.MAX_VALUE));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("nodeId", nodeId).put("botId", botId).put("eventId", eventId)
          .put("status", status).put("latencyMs", latencyMs).put("delivered", delivered).put("pauseAfterMs", pauseAfterMs);
      if (error != null) {
        json.put("error", error);
      }
      return json;
    }
  }

  /** Where the retry series stands after an attempt; {@code failingSince} null once the event is delivered. */
  public record AttemptReply(boolean paused, int failures, Long failingSince) implements BusBody {
    public static AttemptReply from(JsonObject json) {
      return new AttemptReply(json.getBoolean("paused"), json.getInteger("failures"), json.getLong("failingSince"));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("paused", paused).put("failures", failures);
      if (failingSince != null) {
        json.put("failingSince", failingSince);
      }
      return json;
    }
  }

  /** {@link Address#OUTGOING_RELEASE}: the deliverer {@code nodeId} gives the bot's lease back. */
  public record Release(String nodeId, String botId) implements BusBody {
    public static Release from(JsonObject json) {
      return new Release(json.getString("nodeId", ""), json.getString("botId", ""));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("nodeId", nodeId).put("botId", botId);
    }
  }

  // ---- Incoming webhooks -----------------------------------------------------------------------

  /**
   * {@link Address#WEBHOOK_CREATE}: a member ({@code userId}) adding a webhook to a conversation;
   * {@code avatarMediaId} null for none, {@code secretHash} the SHA-256 of its URL's secret.
   */
  public record CreateWebhook(String userId, String conversationId, String name, String avatarMediaId, String secretHash)
      implements BusBody {
    public static CreateWebhook from(JsonObject json) {
      return new CreateWebhook(json.getString("userId"), json.getString("conversationId"), json.getString("name"),
          json.getString("avatarMediaId"), json.getString("secretHash"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("name", name)
          .put("avatarMediaId", avatarMediaId).put("secretHash", secretHash);
    }
  }

  /** {@code {webhook}}: a new incoming webhook (docs/api.md, "The webhook object"; the api adds {@code url}). */
  public record WebhookReply(JsonObject webhook) implements BusBody {
    public static WebhookReply from(JsonObject json) {
      return new WebhookReply(json.getJsonObject("webhook"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("webhook", webhook);
    }
  }

  /** {@code {webhooks}}: a conversation's live incoming webhooks, oldest first (docs/api.md, "The webhook object"). */
  public record WebhookList(JsonArray webhooks) implements BusBody {
    public static WebhookList from(JsonObject json) {
      return new WebhookList(json.getJsonArray("webhooks"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("webhooks", webhooks);
    }
  }

  /** {@link Address#WEBHOOK_REVOKE}: a member ({@code userId}) revoking one of a conversation's webhooks. */
  public record RevokeWebhook(String userId, String conversationId, String webhookId) implements BusBody {
    public static RevokeWebhook from(JsonObject json) {
      return new RevokeWebhook(json.getString("userId"), json.getString("conversationId"), json.getString("webhookId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("webhookId", webhookId);
    }
  }

  /**
   * {@link Address#WEBHOOK_POST}: a post to the webhook whose secret hashes to {@code secretHash}:
   * the checked and rendered {@code text}, the name to show ({@code username}, null: the
   * webhook's) and the send's {@code clientId}.
   */
  public record PostToWebhook(String secretHash, String text, String username, String clientId) implements BusBody {
    public static PostToWebhook from(JsonObject json) {
      return new PostToWebhook(json.getString("secretHash", ""), json.getString("text"), json.getString("username"),
          json.getString("clientId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("secretHash", secretHash).put("text", text).put("username", username)
          .put("clientId", clientId);
    }
  }
}
