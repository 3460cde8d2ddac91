package dev.parley.shared;

import io.vertx.core.json.JsonObject;

/**
 * An {@link Event} as the store published it to one user (one recipient of a {@link NodeBatch}
 * entry), with {@code previousId}, the id of the durable event the store published to the
 * same user just before this one (null for an ephemeral event; for the first one after a store
 * started or took over, the newest event id the database held then, since that store cannot know
 * what the one before it published). The ids chain each user's durable events, so a delivery that receives an
 * event whose predecessor it never sent knows there is a hole and fetches it, whatever made the
 * hole: a hop that reordered, a route that did not exist yet, a node that died.
 *
 * <p>The store also sends one kind of marker this way that is never shown to a client: a
 * {@linkplain #route route} marker, the answer to a delivery's {@link Address#STORE_ROUTE_PROBE}.
 * Its arrival proves that the store's publications to this user reach this verticle.
 */
public final class UserEvent {
  /** The frame type of a route marker: {@code {type: route, data: {probe, head}}}. */
  public static final String ROUTE = "route";

  private final Event event;
  private final Long previousId;

  public UserEvent(Event event, Long previousId) {
    this.event = event;
    this.previousId = previousId;
  }

  /** A route marker answering probe {@code probe}; {@code head} is the newest event id published before it. */
  public static UserEvent route(String probe, long head) {
    return new UserEvent(Event.of(Frames.ephemeral(ROUTE, new JsonObject().put("probe", probe).put("head", head))), null);
  }

  public Event event() {
    return event;
  }

  /** The id of this user's previous durable event (at most), or null for an ephemeral event. */
  public Long previousId() {
    return previousId;
  }

  public boolean isRoute() {
    return ROUTE.equals(event.type());
  }

  /** The probe a route marker answers. */
  public String probe() {
    return event.frame().getJsonObject("data").getString("probe");
  }

  /** A route marker's head: every event up to it was published before the marker. */
  public long head() {
    return event.frame().getJsonObject("data").getLong("head");
  }
}
