package dev.parley.shared;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * The body of every {@link Address#user(String)} message: an {@link Event} as the store published
 * it to one user, with {@code previousId}, the id of the durable event the store published to the
 * same user just before this one (null for an ephemeral event; for the first one after a store
 * started or took over, the newest event id the database held then, since that store cannot know
 * what the one before it published). The ids chain each user's durable events, so a delivery that receives an
 * event whose predecessor it never sent knows there is a hole and fetches it, whatever made the
 * hole: a hop that reordered, a route that did not exist yet, a node that died.
 *
 * <p>The store also publishes one kind of marker here that is never shown to a client: a
 * {@linkplain #route route} marker, the answer to a delivery's {@link Address#STORE_ROUTE_PROBE}.
 * Its arrival proves that the store's publications to this user reach this node.
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

  /**
   * The event-bus codec: between nodes the previous id and the frame's JSON text; inside a node
   * the instance itself, which nobody changes. Registered on every Vert.x instance of a node
   * before any verticle starts.
   */
  public static final class Codec implements MessageCodec<UserEvent, UserEvent> {
    public static final String NAME = "parley.user-event";

    @Override
    public void encodeToWire(Buffer buffer, UserEvent routed) {
      Buffer json = routed.event.frame().toBuffer();
      buffer.appendLong(routed.previousId == null ? -1 : routed.previousId).appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public UserEvent decodeFromWire(int pos, Buffer buffer) {
      long previous = buffer.getLong(pos);
      int length = buffer.getInt(pos + 8);
      JsonObject frame = new JsonObject(buffer.getBuffer(pos + 12, pos + 12 + length));
      return new UserEvent(Event.of(frame), previous < 0 ? null : previous);
    }

    @Override
    public UserEvent transform(UserEvent routed) {
      return routed;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
