package dev.parley.shared;

import io.vertx.core.json.JsonObject;

/**
 * A body that crosses the event bus: a command, a reply or a published event, each a record in
 * one of the {@code *Commands} files (or {@link Events}) that writes itself as the JSON the bus
 * carries and is read back by its static {@code from(JsonObject)}. JSON, so the same code runs on
 * a clustered bus; a record, so the compiler knows every field. {@link Address} says which body
 * and reply each address has.
 */
public interface BusBody {
  JsonObject toJson();

  /** {@code {}}: a command that needs nothing, or a reply that says only "done". */
  record Empty() implements BusBody {
    public static final Empty INSTANCE = new Empty();

    public static Empty from(JsonObject json) {
      return INSTANCE;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject();
    }
  }
}
