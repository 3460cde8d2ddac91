package dev.parley.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * What is published on the bus for every node to act on (the {@link Topic}s of {@link Address}):
 * a store ready, a sign-in ended, an account disabled, a bot revoked, a member gone, a node's
 * status, a count of connections. Chat events to users travel in {@link NodeBatch}es instead.
 */
public final class Events {
  private Events() {
  }

  /** {@link Address#STORE_STARTED}: the store on {@code node} answers now. */
  public record StoreStarted(String node) implements BusBody {
    public static StoreStarted from(JsonObject json) {
      return new StoreStarted(json.getString("node"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("node", node);
    }
  }

  /** {@link Address#SESSIONS_REVOKED}: the sign-in {@code familyId} of {@code userId} has ended. */
  public record SessionsRevoked(String userId, String familyId) implements BusBody {
    public static SessionsRevoked from(JsonObject json) {
      return new SessionsRevoked(json.getString("userId"), json.getString("familyId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("familyId", familyId);
    }
  }

  /** {@link Address#CLUSTER_MEMBER_LEFT}: Hazelcast dropped the member {@code memberId}. */
  public record MemberLeft(String memberId) implements BusBody {
    public static MemberLeft from(JsonObject json) {
      return new MemberLeft(json.getString("memberId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("memberId", memberId);
    }
  }

  /** {@link Address#USER_DISABLED}: an admin disabled (or enabled again) the account. */
  public record UserDisabled(String userId, boolean disabled) implements BusBody {
    public static UserDisabled from(JsonObject json) {
      return new UserDisabled(json.getString("userId"), json.getBoolean("disabled", false));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId).put("disabled", disabled);
    }
  }

  /** {@link Address#BOT_REVOKED}: the bot's token was revoked. */
  public record BotRevoked(String userId) implements BusBody {
    public static BotRevoked from(JsonObject json) {
      return new BotRevoked(json.getString("userId"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId);
    }
  }

  /**
   * {@link Address#NODE_STATUS}: one node's report. {@code connections} is {@code {push, bridge}};
   * {@code series} is {@code {intervalSeconds, messagesStored, connections, httpRequests}}, one
   * point a minute over the last hour.
   */
  public record NodeStatus(String id, List<String> roles, String version, String startedAt, JsonObject connections,
                           JsonObject series) implements BusBody {
    public static NodeStatus from(JsonObject json) {
      JsonArray roles = json.getJsonArray("roles", new JsonArray());
      return new NodeStatus(json.getString("id"), roles.stream().map(String::valueOf).toList(), json.getString("version"),
          json.getString("startedAt"), json.getJsonObject("connections"), json.getJsonObject("series"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("roles", new JsonArray(List.copyOf(roles))).put("version", version)
          .put("startedAt", startedAt).put("connections", connections).put("series", series);
    }
  }

  /**
   * {@link Address#CONNECTION_CENSUS}: how many connections each of {@code userIds} has; every
   * push and bridge registry answers with a {@link CensusCount} sent to {@code replyTo}
   * ({@link Address#censusReply}).
   */
  public record ConnectionCensus(String census, List<String> userIds, String replyTo) implements BusBody {
    public static ConnectionCensus from(JsonObject json) {
      JsonArray userIds = json.getJsonArray("userIds", new JsonArray());
      return new ConnectionCensus(json.getString("census"), userIds.stream().map(String::valueOf).toList(),
          json.getString("replyTo"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("census", census).put("userIds", new JsonArray(List.copyOf(userIds)))
          .put("replyTo", replyTo);
    }
  }

  /** One registry's answer to a {@link ConnectionCensus}: the users it has connections of, and how many. */
  public record CensusCount(String census, Map<String, Integer> counts) implements BusBody {
    public static CensusCount from(JsonObject json) {
      Map<String, Integer> counts = new java.util.HashMap<>();
      json.getJsonObject("counts", new JsonObject()).forEach(e -> counts.put(e.getKey(), ((Number) e.getValue()).intValue()));
      return new CensusCount(json.getString("census"), counts);
    }

    @Override
    public JsonObject toJson() {
      JsonObject counts = new JsonObject();
      this.counts.forEach(counts::put);
      return new JsonObject().put("census", census).put("counts", counts);
    }
  }
}
