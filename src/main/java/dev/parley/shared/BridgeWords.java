package dev.parley.shared;

import io.vertx.core.json.JsonObject;

/**
 * What bots (and people) say on the SockJS or TCP bridge, and what they are told: the bridge's
 * own words ({@link Address#BRIDGE_SEND}, {@link Address#BRIDGE_ACK},
 * {@link Address#USER_EVENTS}). These are not addresses on the bus: the bridge serves them
 * itself, so their bodies are a client's input and are checked here as they are read.
 */
public final class BridgeWords {
  private BridgeWords() {
  }

  /**
   * {@link Address#BRIDGE_SEND}: a WebSocket {@code send} frame's body ({@code conversationId},
   * {@code clientId}, {@code msgType}, ...), checked like one; 400 naming the field otherwise.
   */
  public record Send(SendRequest request) implements BusBody {
    public static Send from(JsonObject json) {
      return new Send(SendRequest.parse(Json.requiredString(json, "conversationId"), json, "msgType"));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = request.toJson(null);
      json.remove("senderId");
      json.put("msgType", json.remove("type"));
      return json;
    }
  }

  /** The answer to a {@link Send}: the data of the {@code ack} frame, or of the {@code error} frame, a WebSocket would get. */
  public record Answer(JsonObject data) implements BusBody {
    public static Answer from(JsonObject json) {
      return new Answer(json);
    }

    @Override
    public JsonObject toJson() {
      return data;
    }
  }

  /** {@link Address#BRIDGE_ACK}: a bot has handled every event up to {@code id}; 400 unless it is an event id. */
  public record Ack(long id) implements BusBody {
    public static Ack from(JsonObject json) {
      if (!(json.getValue("id") instanceof Number id) || id.longValue() < 1) {
        throw Failure.invalid("id", "the body must be {\"id\": <an event id>}");
      }
      return new Ack(id.longValue());
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("id", id);
    }
  }

  /** {@link Address#USER_EVENTS}: one event frame ({@code {type, id?, data}}, as a WebSocket carries it) to a registered user. */
  public record UserFrame(JsonObject frame) implements BusBody {
    public static UserFrame from(JsonObject json) {
      return new UserFrame(json);
    }

    @Override
    public JsonObject toJson() {
      return frame;
    }
  }
}
