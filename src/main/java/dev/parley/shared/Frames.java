package dev.parley.shared;

import io.vertx.core.json.JsonObject;

/**
 * Push event frames: {@code {type, id?, data}}, the body of every {@link Address#user(String)}
 * event and, unchanged, of every WebSocket server frame. Only durable events carry an id.
 */
public final class Frames {
  private Frames() {
  }

  public static final String MESSAGE = "message";
  public static final String DELIVERED = "delivered";
  public static final String READ = "read";
  public static final String TYPING = "typing";
  public static final String PRESENCE = "presence";
  public static final String CONVERSATION = "conversation";
  public static final String RESYNC = "resync";
  /** Sent once per connection when it is live: replay done, every later event will arrive. */
  public static final String READY = "ready";
  public static final String ACK = "ack";
  public static final String ERROR = "error";
  public static final String PONG = "pong";

  public static JsonObject durable(String type, long id, JsonObject data) {
    return new JsonObject().put("type", type).put("id", id).put("data", data);
  }

  public static JsonObject ephemeral(String type, JsonObject data) {
    return new JsonObject().put("type", type).put("data", data);
  }

  /** A {@code message} event: a new message (event id = message id) or a change to one (a newer id). */
  public static JsonObject message(long eventId, JsonObject message) {
    return durable(MESSAGE, eventId, message);
  }

  /** An {@code ack} for a send, from the store's reply: WebSocket frame and bridge reply alike. */
  public static JsonObject ack(String clientId, MessageCommands.Sent stored) {
    JsonObject message = stored.message();
    return ephemeral(ACK, new JsonObject().put("clientId", clientId).put("id", message.getLong("id"))
        .put("seq", message.getLong("seq")));
  }

  public static JsonObject error(String clientId, Failure failure) {
    JsonObject data = new JsonObject().put("code", failure.code().wire()).put("message", failure.getMessage());
    if (clientId != null) {
      data.put("clientId", clientId);
    }
    if (failure.field() != null) {
      data.put("field", failure.field());
    }
    if (failure.retryAfter() > 0) {
      data.put("retryAfter", failure.retryAfter());
    }
    return ephemeral(ERROR, data);
  }
}
