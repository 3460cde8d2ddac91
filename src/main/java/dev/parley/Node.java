package dev.parley;

import com.hazelcast.core.HazelcastInstance;
import dev.parley.api.ApiVerticle;
import dev.parley.bridge.BridgeVerticle;
import dev.parley.ops.NodeStatusVerticle;
import dev.parley.cluster.ClusterVerticle;
import dev.parley.cluster.HazelcastSetup;
import dev.parley.config.ParleyConfig;
import dev.parley.http.HttpFront;
import dev.parley.media.MediaVerticle;
import dev.parley.push.PushVerticle;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.BusBody;
import dev.parley.shared.NodeBatch;
import dev.parley.shared.NodeCommands;
import dev.parley.store.StoreVerticle;
import dev.parley.webpush.WebPushVerticle;
import dev.parley.outgoing.OutgoingWebhookVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Parley node: a Vert.x instance (clustered through Hazelcast when {@code cluster.enabled})
 * and the verticles its roles name. The cluster verticle comes up first, then the store (it must
 * answer before anyone asks), then media, push, the bridge, then the API that accepts requests;
 * shutdown runs the other way round.
 */
public final class Node {
  public static final Set<String> ROLES = Set.of("api", "push", "bridge", "store", "media");

  private final JsonObject config;
  private final ParleyConfig typed;
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  /** How long a node without the key waits for the store: one attempt a second. */
  private static final int SIGNING_KEY_ATTEMPTS = 60;

  private final Deque<String> deployments = new ArrayDeque<>();
  private Vertx vertx;
  private HazelcastClusterManager hazelcast;
  private Future<Void> stopped;

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
    return createVertx()
        .compose(v -> signingKey())
        .compose(v -> deployRoles())
        .onSuccess(v -> HttpFront.enter(vertx, HttpFront.Phase.SERVING));
  }

  private Future<Void> createVertx() {
    VertxOptions options = new VertxOptions();
    if (typed.eventLoops() > 0) {
      options.setEventLoopPoolSize(typed.eventLoops());
    }
    VertxBuilder builder = Vertx.builder().with(options);
    if (typed.metrics()) {
      options.setMetricsOptions(new MicrometerMetricsOptions()
          .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
          .setJvmMetricsEnabled(true)
          // No per-address label: one series per user address would grow with the user count and
          // cost a lookup per message. Event-bus totals stay; our own meters say what matters.
          .setLabels(EnumSet.of(Label.EB_FAILURE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE))
          .setMeterCacheEnabled(true)
          .setEnabled(true));
      builder.withMetrics(new MicrometerMetricsFactory());
    }
    Future<Vertx> created;
    if (typed.cluster().enabled()) {
      // The event-bus transport binds to the same interface as Hazelcast: cluster traffic stays
      // on the network the operator named.
      options.getEventBusOptions()
          .setHost(typed.cluster().host())
          .setPort(typed.cluster().busPort())
          .setClusterPublicHost(typed.cluster().host());
      hazelcast = new HazelcastClusterManager(HazelcastSetup.config(typed));
      created = builder.withClusterManager(hazelcast).buildClustered();
    } else {
      created = Future.succeededFuture(builder.build());
    }
    return created.map(v -> {
      vertx = v;
      vertx.eventBus().registerDefaultCodec(NodeBatch.class, new NodeBatch.Codec());
      // Presence reports name this node by its cluster member id: when the member leaves the
      // cluster, the store forgets its connections.
      config.getJsonObject("node").put("memberId", hazelcast == null ? typed.nodeId() : hazelcast.getNodeId());
      return null;
    });
  }

  /**
   * A clustered node without the store role and without a configured JWT secret takes the
   * store's, so a token issued anywhere is accepted everywhere. It waits for the store to come up.
   */
  private Future<Void> signingKey() {
    JsonObject auth = config.getJsonObject("auth");
    if (auth.getString("jwtSecret") != null || typed.auth().asymmetric()) {
      return Future.succeededFuture();
    }
    if (hazelcast == null) {
      return Future.failedFuture(new IllegalStateException("no JWT secret: set auth.jwtSecret or PARLEY_JWT_SECRET"));
    }
    Bus bus = new Bus(vertx, Math.min(typed.busTimeoutMs(), 2_000));
    return askForKey(bus, SIGNING_KEY_ATTEMPTS).map(reply -> {
      auth.put("jwtSecret", reply.jwtSecret());
      return null;
    });
  }

  private Future<NodeCommands.SigningKey> askForKey(Bus bus, int attemptsLeft) {
    return bus.request(Address.STORE_SIGNING_KEY, BusBody.Empty.INSTANCE).recover(cause -> {
      if (attemptsLeft <= 1) {
        return Future.failedFuture(new IllegalStateException(
            "no JWT secret configured and no store reachable to take it from: " + cause.getMessage()));
      }
      log.info("waiting for the store to share the token signing key ({})", cause.getMessage());
      return Future.<Void>future(p -> vertx.setTimer(1_000, t -> p.complete()))
          .compose(v -> askForKey(bus, attemptsLeft - 1));
    });
  }

  private Future<Void> deployRoles() {
    DeploymentOptions one = new DeploymentOptions().setConfig(config);
    Future<Void> chain = Future.succeededFuture();
    if (hazelcast != null) {
      HazelcastInstance instance = hazelcast.getHazelcastInstance();
      chain = chain.compose(v -> deploy(vertx.deployVerticle(() -> new ClusterVerticle(instance), one)));
    }
    // Every node reports itself to the admin page, whatever its roles.
    chain = chain.compose(v -> deploy(vertx.deployVerticle(NodeStatusVerticle::new, one)));
    if (typed.roles().contains("store")) {
      chain = chain.compose(v -> deploy(vertx.deployVerticle(StoreVerticle::new, one)));
    }
    if (typed.roles().contains("media")) {
      // A worker verticle on its own pool: image decoding never holds an event loop or a thread
      // the database needs. One instance per thread, since a worker instance runs one job at a time.
      int workers = typed.media().workers();
      DeploymentOptions media = new DeploymentOptions(one).setThreadingModel(ThreadingModel.WORKER)
          .setWorkerPoolName(MediaVerticle.POOL).setWorkerPoolSize(workers).setInstances(workers);
      chain = chain.compose(v -> deploy(vertx.deployVerticle(MediaVerticle::new, media)));
    }
    if (typed.roles().contains("push")) {
      chain = chain.compose(v -> deploy(vertx.deployVerticle(PushVerticle::new, one)));
    }
    if (typed.roles().contains("bridge")) {
      chain = chain.compose(v -> deploy(vertx.deployVerticle(BridgeVerticle::new, one)));
    }
    if (typed.roles().contains("api") && typed.webPush().enabled()) {
      // The push sender makes the requests to the push services: it lives at the edge, beside the api.
      // A worker verticle: payload encryption and name resolution never hold an event loop.
      DeploymentOptions sender = new DeploymentOptions(one).setThreadingModel(ThreadingModel.WORKER);
      chain = chain.compose(v -> deploy(vertx.deployVerticle(WebPushVerticle::new, sender)));
    }
    if (typed.roles().contains("api") && typed.outgoingWebhooks().enabled()) {
      // The outgoing webhooks' deliverer, beside the api like the push sender, and a worker for the same reasons.
      DeploymentOptions deliverer = new DeploymentOptions(one).setThreadingModel(ThreadingModel.WORKER);
      chain = chain.compose(v -> deploy(vertx.deployVerticle(OutgoingWebhookVerticle::new, deliverer)));
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
  public synchronized Future<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    if (vertx == null) {
      return Future.succeededFuture();
    }
    Vertx closing = vertx;
    HttpFront.enter(closing, HttpFront.Phase.STOPPING);
    Future<Void> chain = HttpFront.stopAccepting(closing).otherwiseEmpty();
    while (!deployments.isEmpty()) {
      String id = deployments.pop();
      chain = chain.compose(v -> closing.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    stopped = chain.eventually(closing::close);
    return stopped;
  }

  public Vertx vertx() {
    return vertx;
  }

  public ParleyConfig config() {
    return typed;
  }
}
