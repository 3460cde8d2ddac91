package dev.parley.shared;

import io.vertx.core.json.JsonObject;

/**
 * A push event on its way to users: the frame {@code {type, id?, data}} of {@link Frames}, shared
 * read-only by every consumer on a node. Published once per recipient address (inside a
 * {@link UserEvent}), it is neither copied nor re-encoded per recipient: the codec hands the same
 * instance to every local consumer, and the WebSocket and SSE texts are encoded once, on first use.
 */
public final class Event {
  private final JsonObject frame;
  private final String type;
  private final Long id;
  private volatile String data;
  private volatile String webSocket;
  private volatile String sse;

  private Event(JsonObject frame) {
    this.frame = frame;
    this.type = frame.getString("type");
    this.id = frame.getLong("id");
  }

  /** Wraps a frame; the caller hands it over and must not change it afterwards. */
  public static Event of(JsonObject frame) {
    return new Event(frame);
  }

  public String type() {
    return type;
  }

  /** The event id of a durable event; null for an ephemeral one. */
  public Long id() {
    return id;
  }

  public boolean durable() {
    return id != null;
  }

  /** The frame itself, for readers that want JSON (bridges); do not modify it. */
  public JsonObject frame() {
    return frame;
  }

  private String data() {
    String encoded = data;
    if (encoded == null) {
      JsonObject body = frame.getJsonObject("data");
      encoded = body == null ? "{}" : body.encode();
      data = encoded;
    }
    return encoded;
  }

  /** The WebSocket text frame: {@code {"type":…,"id":…,"data":…}}. */
  public String webSocketText() {
    String text = webSocket;
    if (text == null) {
      text = "{\"type\":\"" + type + "\"" + (id != null ? ",\"id\":" + id : "") + ",\"data\":" + data() + "}";
      webSocket = text;
    }
    return text;
  }

  /** The SSE record: {@code event:}, {@code id:} for durable events, {@code data:} the frame's data. */
  public String sseText() {
    String text = sse;
    if (text == null) {
      text = "event: " + type + "\n" + (id != null ? "id: " + id + "\n" : "") + "data: " + data() + "\n\n";
      sse = text;
    }
    return text;
  }
}
