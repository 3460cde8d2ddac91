package dev.parley.http;

import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;

/** {@code GET /health} (is this node fit to serve: can it reach the store?) and {@code GET /metrics}. */
public final class OpsRoutes {
  private final Bus bus;
  private final String nodeId;

  private OpsRoutes(Bus bus, String nodeId) {
    this.bus = bus;
    this.nodeId = nodeId;
  }

  /** Mounts both routes once per router. */
  public static void mount(Router router, Bus bus, String nodeId, boolean metrics) {
    OpsRoutes ops = new OpsRoutes(bus, nodeId);
    router.get("/health").handler(ops::health);
    if (metrics && BackendRegistries.getDefaultNow() != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create());
    }
  }

  private void health(RoutingContext ctx) {
    bus.request(Address.STORE_HEALTH, new JsonObject())
        .map(store -> new JsonObject().put("status", "UP").put("lastEventId", store.getLong("lastEventId")))
        .otherwise(cause -> new JsonObject().put("status", "DOWN").put("error", cause.getMessage()))
        .onSuccess(store -> {
          boolean up = "UP".equals(store.getString("status"));
          JsonObject body = new JsonObject()
              .put("status", up ? "UP" : "DOWN")
              .put("node", nodeId)
              .put("checks", new JsonObject().put("store", store));
          ctx.response().setStatusCode(up ? 200 : 503)
              .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
              .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
              .end(body.encode());
        });
  }
}
