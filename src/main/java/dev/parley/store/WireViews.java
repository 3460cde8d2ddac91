package dev.parley.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The wire shapes of users and messages (docs/api.md), built from the state and from rows. */
final class WireViews {
  private final StoreState state;
  private final Presence presence;

  WireViews(StoreState state, Presence presence) {
    this.state = state;
    this.presence = presence;
  }

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }

  /**
   * A user as {@code viewerId} may see them: presence and last-seen only for people who share a
   * conversation with the viewer (and for the viewer themself).
   */
  JsonObject user(StoreState.User u, String viewerId) {
    JsonObject json = new JsonObject()
        .put("id", u.id)
        .put("username", u.username)
        .put("displayName", u.displayName)
        .put("bot", u.bot);
    if (u.avatarMediaId != null) {
      json.put("avatarUrl", "/api/media/" + u.avatarMediaId);
    }
    boolean visible = viewerId == null || state.sharesConversation(viewerId, u.id);
    json.put("online", visible && presence.isOnline(u.id));
    if (visible && u.lastSeenAt != null) {
      json.put("lastSeenAt", u.lastSeenAt);
    }
    return json;
  }

  JsonObject user(String userId, String viewerId) {
    StoreState.User u = state.users.get(userId);
    return u == null ? null : user(u, viewerId);
  }

  /** The user's own view, with their settings. */
  JsonObject me(StoreState.User u) {
    JsonObject me = user(u, u.id).put("readReceipts", u.readReceipts).put("createdAt", u.createdAt);
    return state.isAdmin(u) ? me.put("admin", true) : me;
  }

  /**
   * The contract's {@code media}: {@code {id, kind, mime, size, name, width?, height?, durationMs?,
   * url, thumbnailUrl?}}, from a media record ({@link Dialect#mediaJson} or a create command).
   */
  static JsonObject media(JsonObject record) {
    String id = record.getString("id");
    JsonObject json = new JsonObject().put("id", id).put("kind", record.getString("kind"))
        .put("mime", record.getString("mime")).put("size", record.getLong("size")).put("name", record.getString("name"));
    for (String optional : new String[] {"width", "height", "durationMs"}) {
      if (record.getValue(optional) != null) {
        json.put(optional, record.getLong(optional));
      }
    }
    json.put("url", "/api/media/" + id);
    Object thumbnail = record.getValue("thumbnail");
    if (Boolean.TRUE.equals(thumbnail) || (thumbnail instanceof Number n && n.intValue() == 1)) {
      json.put("thumbnailUrl", "/api/media/" + id + "/thumbnail");
    }
    return json;
  }

  static JsonObject message(Row row) {
    boolean recalled = row.getInteger("recalled") == 1;
    JsonObject json = new JsonObject()
        .put("id", row.getLong("id"))
        .put("conversationId", row.getString("conversation_id"))
        .put("seq", row.getLong("seq"))
        .put("senderId", row.getString("sender_id"))
        .put("type", row.getString("type"));
    String text = row.getString("text");
    if (text != null && !recalled) {
      json.put("text", text);
    }
    String media = row.getString("media_json");
    if (media != null && !recalled) {
      json.put("media", media(new JsonObject(media)));
    }
    Long replyTo = row.getLong("reply_to");
    if (replyTo != null) {
      json.put("replyTo", replyTo);
    }
    String mentions = row.getString("mentions");
    json.put("mentions", mentions == null ? new JsonArray() : new JsonArray(mentions));
    String clientId = row.getString("client_id");
    if (clientId != null) {
      json.put("clientId", clientId);
    }
    json.put("createdAt", row.getString("created_at"));
    String editedAt = row.getString("edited_at");
    json.put("edited", editedAt != null);
    if (editedAt != null) {
      json.put("editedAt", editedAt);
    }
    json.put("recalled", recalled);
    // The row keeps its reactions as the wire shows them (see Reactions): no query per message.
    String reactions = row.getString("reactions");
    json.put("reactions", reactions == null ? new JsonArray() : new JsonArray(reactions));
    String system = row.getString("system");
    if (system != null) {
      json.put("system", new JsonObject(system));
    }
    // Posted through an incoming webhook: {webhook, name} (Webhooks).
    String via = row.getString("via");
    if (via != null) {
      json.put("via", new JsonObject(via));
    }
    return json;
  }
}
