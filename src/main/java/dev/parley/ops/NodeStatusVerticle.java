package dev.parley.ops;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.Address;
import dev.parley.shared.Bus;
import dev.parley.shared.Events;
import dev.parley.shared.Meters;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Instant;

/**
 * This node's report to the admin page: every {@code ops.status.reportSeconds} it publishes
 * {@link Address#NODE_STATUS} with its roles, version, uptime, open connections and the last hour
 * of a few counters, which {@link CounterSeries} samples from the node's meters. Runs on every
 * node, whatever its roles; the api of each node keeps the newest report of every node.
 */
public final class NodeStatusVerticle extends VerticleBase {
  private final Instant startedAt = Instant.now();
  private ParleyConfig config;
  private CounterSeries series;

  @Override
  public Future<?> start() {
    config = ParleyConfig.from(config());
    series = new CounterSeries(Meters.registry(), config.nodeStatus().sampleSeconds());
    vertx.setPeriodic(config.nodeStatus().sampleSeconds() * 1000, t -> series.sample());
    vertx.setPeriodic(0, config.nodeStatus().reportSeconds() * 1000, t -> report());
    return Future.succeededFuture();
  }

  private void report() {
    Bus.publish(vertx, Address.NODE_STATUS, new Events.NodeStatus(config.nodeId(), config.roles().stream().sorted().toList(),
        BuildInfo.version(), startedAt.toString(), series.connections(), series.toJson()));
  }
}
