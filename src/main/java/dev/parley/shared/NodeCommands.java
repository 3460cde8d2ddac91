package dev.parley.shared;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A node's own questions on the bus: is a store up ({@code /health}), which store waits to take
 * over, the key every node signs access tokens with, and this node's view of the cluster. Every
 * one is asked with {@link BusBody.Empty}.
 */
public final class NodeCommands {
  private NodeCommands() {
  }

  /**
   * {@link Address#STORE_HEALTH}: the active store answers, so it is up. {@code database} is
   * {@code sqlite} or {@code postgresql}; {@code lastBackup} the SQLite backups' state
   * ({@code status} {@code unknown} on PostgreSQL).
   */
  public record StoreHealth(long lastEventId, String node, String database, JsonObject lastBackup) implements BusBody {
    public static StoreHealth from(JsonObject json) {
      return new StoreHealth(json.getLong("lastEventId", 0L), json.getString("node"), json.getString("database"),
          json.getJsonObject("lastBackup"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("status", "UP").put("lastEventId", lastEventId).put("node", node)
          .put("database", database).put("lastBackup", lastBackup);
    }
  }

  /** {@link Address#STORE_STANDBY}: which store waits, since when, and who held the writer fence when it last looked. */
  public record Standby(String node, String since, String holder) implements BusBody {
    public static Standby from(JsonObject json) {
      return new Standby(json.getString("node"), json.getString("since"), json.getString("holder"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("node", node).put("since", since).put("holder", holder);
    }
  }

  /** {@link Address#STORE_SIGNING_KEY}: the secret every node signs and checks access tokens with. */
  public record SigningKey(String jwtSecret) implements BusBody {
    public static SigningKey from(JsonObject json) {
      return new SigningKey(json.getString("jwtSecret"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("jwtSecret", jwtSecret);
    }
  }

  /**
   * {@link Address#CLUSTER_STATUS}: this node's member id and the members it sees, each
   * {@code {memberId, node, address, roles, self}}.
   */
  public record ClusterStatus(String memberId, JsonArray members) implements BusBody {
    public static ClusterStatus from(JsonObject json) {
      return new ClusterStatus(json.getString("memberId"), json.getJsonArray("members"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("memberId", memberId).put("size", members.size()).put("members", members);
    }
  }
}
