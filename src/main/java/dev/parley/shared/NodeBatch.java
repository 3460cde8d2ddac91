package dev.parley.shared;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of every {@link Address#deliveries(String)} message: the events the store published
 * to the users one push or bridge verticle holds connections of, in publication order, each with
 * its recipients there and, per recipient, the id of the durable event published to that user
 * before it (see {@link UserEvent}). One event travels once to each verticle that needs it, with
 * its recipients, however many there are; a verticle with none of them gets nothing.
 */
public final class NodeBatch {
  /** One event and its recipients on the node, each with the previous id of their chain (null: none). */
  public static final class Entry {
    private final Event event;
    private final List<String> userIds = new ArrayList<>(2);
    private final List<Long> previousIds = new ArrayList<>(2);

    public Entry(Event event) {
      this.event = event;
    }

    public Entry add(String userId, Long previousId) {
      userIds.add(userId);
      previousIds.add(previousId);
      return this;
    }

    public Event event() {
      return event;
    }

    public int size() {
      return userIds.size();
    }

    public String userId(int i) {
      return userIds.get(i);
    }

    /** What recipient {@code i} is to receive: the event, chained to its previous one. */
    public UserEvent forRecipient(int i) {
      return new UserEvent(event, previousIds.get(i));
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  public NodeBatch add(Entry entry) {
    entries.add(entry);
    return this;
  }

  public List<Entry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * The event-bus codec: between nodes each event's JSON text once, then its recipients; inside a
   * node the instance itself, which nobody changes after it is sent. Registered on every Vert.x
   * instance of a node before any verticle starts.
   */
  public static final class Codec implements MessageCodec<NodeBatch, NodeBatch> {
    public static final String NAME = "parley.node-batch";

    @Override
    public void encodeToWire(Buffer buffer, NodeBatch batch) {
      buffer.appendInt(batch.entries.size());
      for (Entry entry : batch.entries) {
        Buffer json = entry.event.frame().toBuffer();
        buffer.appendInt(json.length()).appendBuffer(json).appendInt(entry.size());
        for (int i = 0; i < entry.size(); i++) {
          byte[] userId = entry.userIds.get(i).getBytes(StandardCharsets.UTF_8);
          Long previous = entry.previousIds.get(i);
          buffer.appendInt(userId.length).appendBytes(userId).appendLong(previous == null ? -1 : previous);
        }
      }
    }

    @Override
    public NodeBatch decodeFromWire(int pos, Buffer buffer) {
      NodeBatch batch = new NodeBatch();
      int entries = buffer.getInt(pos);
      pos += 4;
      for (int e = 0; e < entries; e++) {
        int length = buffer.getInt(pos);
        Entry entry = new Entry(Event.of(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length))));
        pos += 4 + length;
        int recipients = buffer.getInt(pos);
        pos += 4;
        for (int i = 0; i < recipients; i++) {
          int idLength = buffer.getInt(pos);
          String userId = buffer.getString(pos + 4, pos + 4 + idLength, "UTF-8");
          long previous = buffer.getLong(pos + 4 + idLength);
          pos += 4 + idLength + 8;
          entry.add(userId, previous < 0 ? null : previous);
        }
        batch.add(entry);
      }
      return batch;
    }

    @Override
    public NodeBatch transform(NodeBatch batch) {
      return batch;
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
