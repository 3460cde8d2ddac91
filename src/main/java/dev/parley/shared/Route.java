package dev.parley.shared;

import java.util.Set;

/**
 * One entry of the address registry ({@link Address#ALL}): an address, what travels on it and
 * who is at either end. A {@link Command} is request/reply, a {@link Topic} is published; the
 * bridge's words ({@link Address#BRIDGE_SEND}, {@link Address#BRIDGE_ACK}) are commands bots send
 * that the bridge serves itself.
 */
public sealed interface Route permits Command, Topic {
  /** The address on the bus, or for a family of addresses its prefix (ending in {@code .}). */
  String name();

  Class<? extends BusBody> bodyType();

  Set<Party> senders();

  Set<Party> consumers();

  /**
   * Whether bots on the bridge may use it: send to it (a command bots send) or register on it (a
   * topic bots receive). {@code BridgeGate} lets a frame through only then.
   */
  default boolean botsMayUse() {
    return senders().contains(Party.BOTS) || consumers().contains(Party.BOTS);
  }
}
