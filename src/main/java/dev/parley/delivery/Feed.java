package dev.parley.delivery;

import dev.parley.shared.Bus;
import dev.parley.shared.Meters;
import io.micrometer.core.instrument.Counter;

/**
 * What every {@link Delivery} of a verticle shares: the bus to the store, the most events a
 * replay or catch-up may bring before the client is told to resync, and the counters that make
 * delivery trouble visible in {@code /metrics}.
 */
public record Feed(Bus bus, int replayLimit, Counter duplicates, Counter gaps, Counter refetched, Counter replayed) {
  public static Feed of(Bus bus, int replayLimit) {
    return new Feed(bus, replayLimit,
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
