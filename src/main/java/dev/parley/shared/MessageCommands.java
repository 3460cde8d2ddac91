package dev.parley.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages and their delivery path on the bus: the bodies and replies of {@code store.message.*},
 * {@code store.reaction.*}, {@code store.events.since}, {@code store.presence.*} and
 * {@code store.route.probe} (see {@link Address} for who sends each and who serves it). What a
 * client sends is validated at the edge into a {@link SendRequest} or {@link EditRequest} first;
 * these records carry it with who sends it.
 */
public final class MessageCommands {
  private MessageCommands() {
  }

  /**
   * {@link Address#MESSAGE_SEND}: {@code senderId}'s message. {@code ackOnly} (a WebSocket or
   * bridge send) asks for a reply whose message is only {@code {id, seq}}, which is all an ack
   * needs; on the bus it is {@code reply: "ack"}.
   */
  public record Send(String senderId, SendRequest request, boolean ackOnly) implements BusBody {
    /** A send answered with the whole message. */
    public static Send of(String senderId, SendRequest request) {
      return new Send(senderId, request, false);
    }

    /** A send answered with only what its ack frame needs. */
    public static Send forAck(String senderId, SendRequest request) {
      return new Send(senderId, request, true);
    }

    public static Send from(JsonObject json) {
      return new Send(json.getString("senderId"), SendRequest.fromJson(json), "ack".equals(json.getString("reply")));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = request.toJson(senderId);
      if (ackOnly) {
        json.put("reply", "ack");
      }
      return json;
    }
  }

  /**
   * {@code {message, created}}: the stored message (docs/api.md, "Message"), or only its
   * {@code {id, seq}} for an {@linkplain Send#ackOnly ack-only} send; {@code created} false when
   * the {@code clientId} was seen before and {@code message} is the one stored then.
   */
  public record Sent(JsonObject message, boolean created) implements BusBody {
    public static Sent from(JsonObject json) {
      return new Sent(json.getJsonObject("message"), json.getBoolean("created"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("message", message).put("created", created);
    }
  }

  /**
   * {@link Address#MESSAGE_HISTORY}: a page of a conversation's messages, after the seq
   * {@code after} (ascending), else before the seq {@code before}, else the newest; null: not given.
   */
  public record History(String userId, String conversationId, Long before, Long after, int limit) implements BusBody {
    public static History from(JsonObject json) {
      return new History(json.getString("userId"), json.getString("conversationId"), json.getLong("before"),
          json.getLong("after"), json.getInteger("limit"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("before", before)
          .put("after", after).put("limit", limit);
    }
  }

  /** {@code {messages, hasMore}}: message views (docs/api.md, "Message") in seq order; more beyond them or not. */
  public record HistoryPage(JsonArray messages, boolean hasMore) implements BusBody {
    public static HistoryPage from(JsonObject json) {
      return new HistoryPage(json.getJsonArray("messages"), json.getBoolean("hasMore"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("messages", messages).put("hasMore", hasMore);
    }
  }

  /** {@link Address#MESSAGE_RECALL}: {@code userId} takes message {@code messageId} back. */
  public record Recall(String userId, String conversationId, long messageId) implements BusBody {
    public static Recall from(JsonObject json) {
      return new Recall(json.getString("userId"), json.getString("conversationId"), json.getLong("messageId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("messageId", messageId);
    }
  }

  /**
   * {@link Address#MESSAGE_SEARCH}: the full-text query {@code q} over {@code userId}'s
   * conversations, or only {@code conversationId}'s (null: all); {@code before} a message id to
   * continue below (null: from the newest).
   */
  public record Search(String userId, String q, String conversationId, int limit, Long before) implements BusBody {
    public static Search from(JsonObject json) {
      return new Search(json.getString("userId"), json.getString("q"), json.getString("conversationId"),
          json.getInteger("limit", 50), json.getLong("before"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("q", q).put("conversationId", conversationId).put("limit", limit)
          .put("before", before);
    }
  }

  /**
   * {@code {messages, nextCursor}}: one page of found message views (docs/api.md, "Message"),
   * newest first; {@code nextCursor} null on the last.
   */
  public record SearchPage(JsonArray messages, String nextCursor) implements BusBody {
    public static SearchPage from(JsonObject json) {
      return new SearchPage(json.getJsonArray("messages"), json.getString("nextCursor"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("messages", messages).put("nextCursor", nextCursor);
    }
  }

  /** {@link Address#MESSAGE_EDIT}: {@code userId} changes the text (and maybe the mentions) of their message. */
  public record Edit(String userId, String conversationId, long messageId, EditRequest edit) implements BusBody {
    public static Edit from(JsonObject json) {
      return new Edit(json.getString("userId"), json.getString("conversationId"), json.getLong("messageId"),
          EditRequest.fromJson(json));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("messageId", messageId)
          .mergeIn(edit.toJson());
    }
  }

  /** {@code {message}}: one message as its conversation's members see it (docs/api.md, "Message"). */
  public record MessageReply(JsonObject message) implements BusBody {
    public static MessageReply from(JsonObject json) {
      return new MessageReply(json.getJsonObject("message"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("message", message);
    }
  }

  /** {@link Address#REACTION_ADD}, {@link Address#REACTION_REMOVE}: {@code userId}'s {@code emoji} on a message. */
  public record Reaction(String userId, String conversationId, long messageId, String emoji) implements BusBody {
    public static Reaction from(JsonObject json) {
      return new Reaction(json.getString("userId"), json.getString("conversationId"), json.getLong("messageId"),
          json.getString("emoji"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("conversationId", conversationId).put("messageId", messageId)
          .put("emoji", emoji);
    }
  }

  /**
   * {@link Address#EVENTS_SINCE}: {@code userId}'s durable events after the event id {@code since},
   * at most {@code limit}; more is a resync, unless {@code page} asks for the first {@code limit}
   * (written only when true).
   */
  public record EventsSince(String userId, long since, int limit, boolean page) implements BusBody {
    public static EventsSince from(JsonObject json) {
      return new EventsSince(json.getString("userId"), json.getLong("since"), json.getInteger("limit", 1000),
          json.getBoolean("page", false));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("userId", userId).put("since", since).put("limit", limit);
      if (page) {
        json.put("page", true);
      }
      return json;
    }
  }

  /**
   * {@code {events, resync}}: the event frames ({@code {type: message, id, data}}, docs/api.md,
   * "Events") in event-id order, or none and {@code resync} when there were too many.
   */
  public record EventFrames(JsonArray events, boolean resync) implements BusBody {
    public static EventFrames from(JsonObject json) {
      return new EventFrames(json.getJsonArray("events", new JsonArray()), json.getBoolean("resync", false));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("events", events).put("resync", resync);
    }
  }

  /**
   * {@link Address#PRESENCE_UPDATE}: the reporter {@code nodeId} (push: the cluster member id; the
   * bridge: {@code <member id>/bridge}) holds a connection of {@code userId}, or no longer any.
   */
  public record PresenceReport(String nodeId, String userId, boolean online) implements BusBody {
    public static PresenceReport from(JsonObject json) {
      return new PresenceReport(json.getString("nodeId"), json.getString("userId"), json.getBoolean("online", false));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("nodeId", nodeId).put("userId", userId).put("online", online);
    }
  }

  /** {@link Address#PRESENCE_SYNC}: every user with a connection on the reporter {@code nodeId}. */
  public record PresenceSync(String nodeId, List<String> userIds) implements BusBody {
    public static PresenceSync from(JsonObject json) {
      List<String> userIds = new ArrayList<>();
      json.getJsonArray("userIds", new JsonArray()).forEach(id -> userIds.add(String.valueOf(id)));
      return new PresenceSync(json.getString("nodeId"), userIds);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("nodeId", nodeId).put("userIds", new JsonArray(new ArrayList<>(userIds)));
    }
  }

  /**
   * {@link Address#STORE_ROUTE_PROBE}: route {@code userId}'s events to the reporter {@code nodeId}
   * and answer there with a route marker carrying {@code probe}.
   */
  public record RouteProbe(String userId, String nodeId, String probe) implements BusBody {
    public static RouteProbe from(JsonObject json) {
      return new RouteProbe(json.getString("userId"), json.getString("nodeId"), json.getString("probe"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("nodeId", nodeId).put("probe", probe);
    }
  }
}
