package dev.parley.http;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import dev.parley.shared.NodeCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.function.Supplier;

/**
 * {@code GET /health} (is this node fit to serve: can it reach the store, and which cluster
 * members does it see?) and {@code GET /metrics}.
 */
public final class OpsRoutes {
  private final Bus bus;
  private final String nodeId;
  private final boolean clustered;
  private final Supplier<HttpFront.Phase> phase;

  private OpsRoutes(Vertx vertx, long timeoutMs, String nodeId, boolean clustered, Supplier<HttpFront.Phase> phase) {
    this.phase = phase;
    this.bus = new Bus(vertx, timeoutMs);
    this.nodeId = nodeId;
    this.clustered = clustered;
  }

  /** Mounts both routes once per router. */
  public static void mount(Router router, Vertx vertx, long timeoutMs, String nodeId, boolean clustered, boolean metrics,
                           Supplier<HttpFront.Phase> phase) {
    OpsRoutes ops = new OpsRoutes(vertx, timeoutMs, nodeId, clustered, phase);
    router.get("/health").handler(ops::health);
    if (metrics && BackendRegistries.getDefaultNow() != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create());
    }
  }

  private void health(RoutingContext ctx) {
    HttpFront.Phase now = phase.get();
    if (now != HttpFront.Phase.SERVING) {
      // Not UP before every route of the node's roles is mounted, nor once it is shutting down.
      respond(ctx, 503, new JsonObject().put("status", now == HttpFront.Phase.STARTING ? "STARTING" : "STOPPING")
          .put("node", nodeId));
      return;
    }
    Future<JsonObject> store = bus.request(Address.STORE_HEALTH, BusBody.Empty.INSTANCE)
        .map(NodeCommands.StoreHealth::toJson)
        .recover(cause -> whyNoStore(cause.getMessage()));
    Future<JsonObject> cluster = cluster();
    Future.join(store, cluster).onComplete(done -> {
      JsonObject storeCheck = store.result();
      boolean up = "UP".equals(storeCheck.getString("status"));
      JsonObject body = new JsonObject()
          .put("status", up ? "UP" : "DOWN")
          .put("node", nodeId)
          .put("checks", new JsonObject().put("store", storeCheck).put("cluster", cluster.result()));
      respond(ctx, up ? 200 : 503, body);
    });
  }

  private static void respond(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }

  /**
   * No store answered: say whether one is waiting to take over (PostgreSQL), and who holds the
   * database's writer fence as it last saw.
   */
  private Future<JsonObject> whyNoStore(String error) {
    JsonObject down = new JsonObject().put("status", "DOWN").put("error", error);
    return bus.request(Address.STORE_STANDBY, BusBody.Empty.INSTANCE)
        .map(standby -> down.put("reason", "no active store; store node " + standby.node()
            + " is waiting to take over since " + standby.since() + " (writer fence held by "
            + standby.holder() + ")").put("standby", standby.toJson()))
        .otherwise(none -> down.put("reason", "no store node answers: start a node with the store role"));
  }

  /** This node's view of the cluster, from its own cluster verticle (never another node's). */
  private Future<JsonObject> cluster() {
    if (!clustered) {
      return Future.succeededFuture(new JsonObject().put("enabled", false));
    }
    return bus.request(Address.CLUSTER_STATUS, BusBody.Empty.INSTANCE)
        .map(status -> status.toJson().put("enabled", true).put("status", "UP"))
        .otherwise(cause -> new JsonObject().put("enabled", true).put("status", "DOWN").put("error", cause.getMessage()));
  }
}
