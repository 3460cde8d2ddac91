package dev.parley.push;

import io.vertx.core.json.JsonObject;

/**
 * One event frame, encoded once for every connection that gets it: the WebSocket text
 * {@code {"type","id"?,"data"}} and the SSE record {@code event:/id:/data:} share the same
 * encoding of {@code data}.
 */
final class Encoded {
  final String type;
  final Long id;
  private final String data;
  private String ws;
  private String sse;

  private Encoded(String type, Long id, String data) {
    this.type = type;
    this.id = id;
    this.data = data;
  }

  static Encoded of(JsonObject frame) {
    JsonObject data = frame.getJsonObject("data");
    return new Encoded(frame.getString("type"), frame.getLong("id"), data == null ? "{}" : data.encode());
  }

  boolean durable() {
    return id != null;
  }

  synchronized String ws() {
    if (ws == null) {
      ws = "{\"type\":\"" + type + "\"" + (id != null ? ",\"id\":" + id : "") + ",\"data\":" + data + "}";
    }
    return ws;
  }

  synchronized String sse() {
    if (sse == null) {
      sse = "event: " + type + "\n" + (id != null ? "id: " + id + "\n" : "") + "data: " + data + "\n\n";
    }
    return sse;
  }
}
