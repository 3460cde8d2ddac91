package dev.parley.push;

import dev.parley.config.ParleyConfig;
import dev.parley.shared.Frames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;

/**
 * Load shedding on one connection, by the bytes written to it that the socket has not taken yet
 * (its write queue). Below {@code shedBytes} everything is written. Past it the connection is
 * behind: ephemeral events that are soon superseded and never replayed ({@code typing},
 * {@code delivered}, {@code read}, {@code presence}) are dropped for it, and everything else is
 * still written, durable events above all, which are never dropped. If another
 * {@code closeBytes - shedBytes} bytes pile up before the queue drains, the connection is closed
 * at once, dropping its queue: the client reconnects and resumes from its last event id. A client
 * that stops reading therefore costs at most about {@code closeBytes}, and never slows anyone
 * else's delivery.
 */
record Backlog(int shedBytes, int closeBytes, Counter shed, Counter closed) {
  /** The event types a connection that is behind may lose. */
  static final Set<String> SHEDDABLE = Set.of(Frames.TYPING, Frames.DELIVERED, Frames.READ, Frames.PRESENCE);

  static Backlog of(ParleyConfig.Push push, MeterRegistry meters) {
    return new Backlog(push.writeQueueMaxBytes(), Math.max(push.writeQueueMaxBytes(), push.writeQueueCloseBytes()),
        Counter.builder("parley.events.shed").description("Ephemeral events dropped for connections that were behind")
            .register(meters),
        Counter.builder("parley.connections.overrun").description("Connections closed because their write queue passed its bound")
            .register(meters));
  }

  /** How much more may be written to a connection after it went past {@code shedBytes}. */
  long headroom() {
    return (long) closeBytes - shedBytes;
  }
}
