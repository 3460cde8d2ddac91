package dev.parley.shared;

/**
 * Who sends or consumes an address in {@link Address}: one of the verticle packages, the HTTP
 * front's own routes, the node's root ({@code Node}), or the bots on the event-bus bridge.
 */
public enum Party {
  API, PUSH, BRIDGE, STORE, MEDIA, CLUSTER, WEBPUSH, OUTGOING, OPS, HTTP, NODE,
  /** Bots (and people) on the SockJS or TCP bridge; only the bridge's own words allow them. */
  BOTS;

  /** The name the docs use: the package name, {@code root} for the node, {@code bots}. */
  public String label() {
    return this == NODE ? "root" : name().toLowerCase(java.util.Locale.ROOT);
  }
}
