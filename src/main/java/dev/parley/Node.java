package dev.parley;

import dev.parley.api.ApiVerticle;
import dev.parley.bridge.BridgeVerticle;
import dev.parley.config.ParleyConfig;
import dev.parley.http.HttpFront;
import dev.parley.push.PushVerticle;
import dev.parley.store.StoreVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import dev.parley.shared.Event;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;

/**
 * One Parley node: a Vert.x instance and the verticles its roles name. The store comes up first
 * (it must answer before anyone asks), then push, the bridge, then the API that accepts
 * requests; shutdown runs the other way round.
 */
public final class Node {
  public static final Set<String> ROLES = Set.of("api", "push", "bridge", "store");

  private final JsonObject config;
  private final ParleyConfig typed;
  private final Deque<String> deployments = new ArrayDeque<>();
  private Vertx vertx;

  public Node(JsonObject config) {
    this.config = config;
    this.typed = ParleyConfig.from(config);
  }

  public Future<Void> start() {
    for (String role : typed.roles()) {
      if (!ROLES.contains(role)) {
        return Future.failedFuture(new IllegalArgumentException("unknown role '" + role + "'; known roles: " + ROLES));
      }
    }
    VertxOptions options = new VertxOptions();
    if (typed.eventLoops() > 0) {
      options.setEventLoopPoolSize(typed.eventLoops());
    }
    if (typed.metrics()) {
      options.setMetricsOptions(new MicrometerMetricsOptions()
          .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
          .setJvmMetricsEnabled(true)
          // No per-address label: one series per user address would grow with the user count and
          // cost a lookup per message. Event-bus totals stay; our own meters say what matters.
          .setLabels(EnumSet.of(Label.EB_FAILURE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE))
          .setMeterCacheEnabled(true)
          .setEnabled(true));
      vertx = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory()).build();
    } else {
      vertx = Vertx.builder().with(options).build();
    }
    vertx.eventBus().registerDefaultCodec(Event.class, new Event.Codec());
    DeploymentOptions one = new DeploymentOptions().setConfig(config);
    Future<Void> chain = Future.succeededFuture();
    if (typed.roles().contains("store")) {
      chain = chain.compose(v -> deploy(vertx.deployVerticle(StoreVerticle::new, one)));
    }
    if (typed.roles().contains("push")) {
      chain = chain.compose(v -> deploy(vertx.deployVerticle(PushVerticle::new, one)));
    }
    if (typed.roles().contains("bridge")) {
      chain = chain.compose(v -> deploy(vertx.deployVerticle(BridgeVerticle::new, one)));
    }
    if (typed.roles().contains("api")) {
      DeploymentOptions api = new DeploymentOptions(one).setInstances(Math.max(1, typed.http().instances()));
      chain = chain.compose(v -> deploy(vertx.deployVerticle(ApiVerticle::new, api)));
    }
    return chain;
  }

  private Future<Void> deploy(Future<String> deployment) {
    return deployment.map(id -> {
      deployments.push(id);
      return null;
    });
  }

  /** Stops accepting, undeploys in reverse order (push, then the store drains), closes Vert.x. */
  public Future<Void> stop() {
    if (vertx == null) {
      return Future.succeededFuture();
    }
    Future<Void> chain = HttpFront.stopAccepting(vertx).otherwiseEmpty();
    while (!deployments.isEmpty()) {
      String id = deployments.pop();
      chain = chain.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return chain.eventually(() -> vertx.close());
  }

  public Vertx vertx() {
    return vertx;
  }

  public ParleyConfig config() {
    return typed;
  }
}
