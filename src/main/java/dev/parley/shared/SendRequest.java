package dev.parley.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A message send, validated at the edge. The REST body and the WebSocket {@code send} frame both
 * parse into this record (the frame names the type {@code msgType}); the store receives it as JSON.
 */
public record SendRequest(
    String conversationId,
    String clientId,
    String type,
    String text,
    String mediaId,
    Long replyTo,
    List<String> mentions) {

  public static final int MAX_TEXT = 8_000;
  public static final int MAX_MENTIONS = 50;
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  private static final Set<String> TYPES = Set.of("text", "image", "voice", "file");

  /** Parses a REST body ({@code type}) or a WebSocket frame ({@code msgType}). */
  public static SendRequest parse(String conversationId, JsonObject body, String typeField) {
    String clientId = Json.string(body, "clientId");
    if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
      throw Failure.invalid("clientId", "clientId must be 1-64 characters of [A-Za-z0-9_.:-]");
    }
    String type = Json.string(body, typeField);
    if (type == null || !TYPES.contains(type)) {
      throw Failure.invalid(typeField, typeField + " must be one of text, image, voice, file");
    }
    String text = Json.string(body, "text");
    if (text != null && text.codePointCount(0, text.length()) > MAX_TEXT) {
      throw Failure.invalid("text", "text is longer than " + MAX_TEXT + " characters");
    }
    if (text != null && text.isBlank()) {
      text = null;
    }
    String mediaId = Json.string(body, "mediaId");
    if ("text".equals(type)) {
      if (text == null) {
        throw Failure.invalid("text", "a text message needs text");
      }
      if (mediaId != null) {
        throw Failure.invalid("mediaId", "a text message carries no mediaId");
      }
    } else if (mediaId == null || mediaId.isBlank()) {
      throw Failure.invalid("mediaId", "a " + type + " message needs a mediaId");
    }
    Long replyTo = null;
    if (body.getValue("replyTo") != null) {
      replyTo = Json.positiveLong(body, "replyTo");
    }
    return new SendRequest(conversationId, clientId, type, text, mediaId, replyTo, mentions(body));
  }

  /** {@code mentions}: absent is empty; at most 50 user ids, duplicates dropped. */
  static List<String> mentions(JsonObject body) {
    Object value = body.getValue("mentions");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || array.size() > MAX_MENTIONS) {
      throw Failure.invalid("mentions", "mentions must be an array of at most " + MAX_MENTIONS + " user ids");
    }
    Set<String> ids = new LinkedHashSet<>();
    for (Object id : array) {
      if (!(id instanceof String s) || s.isEmpty() || s.length() > 64) {
        throw Failure.invalid("mentions", "mentions must hold user ids");
      }
      ids.add(s);
    }
    return new ArrayList<>(ids);
  }

  public JsonObject toJson(String senderId) {
    return new JsonObject()
        .put("senderId", senderId)
        .put("conversationId", conversationId)
        .put("clientId", clientId)
        .put("type", type)
        .put("text", text)
        .put("mediaId", mediaId)
        .put("replyTo", replyTo)
        .put("mentions", new JsonArray(new ArrayList<>(mentions)));
  }

  public static SendRequest fromJson(JsonObject json) {
    List<String> mentions = new ArrayList<>();
    JsonArray array = json.getJsonArray("mentions");
    if (array != null) {
      array.forEach(id -> mentions.add((String) id));
    }
    return new SendRequest(json.getString("conversationId"), json.getString("clientId"),
        json.getString("type"), json.getString("text"), json.getString("mediaId"),
        json.getLong("replyTo"), mentions);
  }
}
