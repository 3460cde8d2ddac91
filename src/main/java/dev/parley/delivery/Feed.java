package dev.parley.delivery;

import dev.parley.shared.Bus;
import dev.parley.shared.Meters;
import io.micrometer.core.instrument.Counter;

/**
 * What every {@link Delivery} of a verticle shares: the bus to the store, the most events a
 * replay or catch-up may bring before the client is told to resync, how often and how long to
 * probe for a route, and the counters that make delivery trouble visible in {@code /metrics}.
 */
public record Feed(Bus bus, int replayLimit, long probeEveryMs, int probeAttempts, Counter duplicates, Counter gaps,
                   Counter refetched, Counter replayed) {
  /** A route usually exists at once (one node) or within a second (a cluster); after 30 s the client retries. */
  private static final long PROBE_EVERY_MS = 250;
  private static final int PROBE_ATTEMPTS = 120;

  public static Feed of(Bus bus, int replayLimit) {
    return new Feed(bus, replayLimit, PROBE_EVERY_MS, PROBE_ATTEMPTS,
        Counter.builder("parley.events.duplicates")
            .description("Durable events a live connection discarded because it had already sent them")
            .register(Meters.registry()),
        Counter.builder("parley.events.gaps")
            .description("Holes a live connection saw in its user's event chain and filled from the store")
            .register(Meters.registry()),
        Counter.builder("parley.events.refetched")
            .description("Durable events fetched from the store to fill holes in live connections")
            .register(Meters.registry()),
        Counter.builder("parley.events.replayed")
            .description("Durable events replayed to connections that resumed with a cursor")
            .register(Meters.registry()));
  }
}
