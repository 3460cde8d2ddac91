package dev.parley.shared;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

/** The meter registry of this node's Vert.x metrics, or a private one when metrics are off. */
public final class Meters {
  private static final MeterRegistry FALLBACK = new SimpleMeterRegistry();

  private Meters() {
  }

  public static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry != null ? registry : FALLBACK;
  }
}
