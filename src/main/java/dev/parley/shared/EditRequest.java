package dev.parley.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A message edit ({@code PATCH …/messages/{id}}), validated at the edge: {@code text} by the rules
 * of a send (required, at most 8,000 code points, not blank) and optional {@code mentions}. Without
 * {@code mentions} the store recomputes them: a user stays mentioned while the new text still
 * holds their {@code @username}.
 */
public record EditRequest(String text, List<String> mentions) {

  public static EditRequest parse(JsonObject body) {
    String text = Json.string(body, "text");
    if (text == null || text.isBlank()) {
      throw Failure.invalid("text", "text is required");
    }
    if (text.codePointCount(0, text.length()) > SendRequest.MAX_TEXT) {
      throw Failure.invalid("text", "text is longer than " + SendRequest.MAX_TEXT + " characters");
    }
    return new EditRequest(text, body.getValue("mentions") == null ? null : SendRequest.mentions(body));
  }

  /** Reads back {@link #toJson}: no {@code mentions} is null (recompute). */
  public static EditRequest fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("mentions");
    List<String> mentions = null;
    if (array != null) {
      mentions = new ArrayList<>();
      for (Object id : array) {
        mentions.add((String) id);
      }
    }
    return new EditRequest(json.getString("text"), mentions);
  }

  /** The store command's fields; {@code mentions} absent means recompute. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("text", text);
    if (mentions != null) {
      json.put("mentions", new JsonArray(new ArrayList<>(mentions)));
    }
    return json;
  }
}
